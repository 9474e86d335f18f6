// Referral list: rows are created, edited, reordered (Move up / Move down keep the focus on
// the moved row's button, so the keyboard can carry a row along) and hidden, then saved
// together; the reset replaces the list with the national defaults after a confirmation.
import { send, status, wireRows, wireSave } from "./form.js";

const form = document.getElementById("referrals-form");
wireRows(form);
wireSave(form);

const reset = document.getElementById("referrals-reset");
reset.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!window.confirm(reset.dataset.confirm)) return;
  const result = await send("POST", reset.dataset.endpoint);
  if (result.ok) {
    const url = new URL(location.href);
    url.searchParams.set("saved", "1");
    location.replace(url);
  } else {
    status(reset, (result.data && result.data.title) || reset.dataset.failed, "error");
  }
});
