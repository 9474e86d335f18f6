// Opening hours: every change asks the server what a visitor would read right now with the
// unsaved hours (the same schedule and wording as the widget); nothing is stored until Save.
import { clearErrors, collect, debounce, send, showErrors, status, wireRows, wireSave } from "./form.js";

const form = document.getElementById("hours-form");
const state = document.getElementById("hours-state");

const refresh = debounce(async () => {
  const result = await send("POST", form.dataset.preview, collect(form));
  clearErrors(form);
  if (result.ok) {
    state.textContent = result.data.open ? state.dataset.open : state.dataset.closed;
    state.className = `badge ${result.data.open ? "open" : "closed"}`;
    document.getElementById("hours-now-fr").textContent = result.data.fr;
    document.getElementById("hours-now-en").textContent = result.data.en;
    status(form, "");
  } else if (result.data && result.data.errors) {
    showErrors(form, result.data.errors.filter((e) => !isIncomplete(e)), { focus: false });
  }
}, 300);

// A row just added is empty: do not call it wrong while the admin is still filling it in.
const isIncomplete = (error) => error.code === "required" || error.code === "too_few";

form.addEventListener("change", refresh);
wireRows(form, refresh);
wireSave(form);
