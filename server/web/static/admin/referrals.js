// Referral list: one line per referral (its name in the admin's language, how it is reached,
// its flags); Edit opens its form under the line, one at a time. Rows are added, moved (Move
// up / Move down keep the focus on the moved row's button, so the keyboard can carry a row
// along) and deleted, then saved together; a refused value opens the row that holds it. The
// reset replaces the list with the national defaults after a confirmation.
import { send, status, wireRows, wireSave } from "./form.js";

const form = document.getElementById("referrals-form");
const list = form.querySelector("[data-list=referrals]");
const rows = () => [...list.children].filter((el) => el.matches("[data-row]"));
const field = (row, name) => row.querySelector(`[data-name="${name}"]`);
const text = (row, name) => field(row, name).value.trim();

let made = 0;
// Rows are cloned from a template: each gets its own ids, tying its buttons to its name and form.
function identify(row) {
  made += 1;
  const name = row.querySelector("[data-summary=name]");
  const panel = row.querySelector("[data-form]");
  name.id = `referral-name-${made}`;
  panel.id = `referral-form-${made}`;
  for (const button of row.querySelectorAll("button[data-action]")) {
    button.setAttribute("aria-describedby", name.id);
  }
  row.querySelector("[data-action=edit]").setAttribute("aria-controls", panel.id);
}

function setOpen(row, open) {
  row.querySelector("[data-form]").hidden = !open;
  row.querySelector("[data-action=edit]").setAttribute("aria-expanded", String(open));
  row.classList.toggle("open", open);
}

function openOnly(row) {
  for (const other of rows()) if (other !== row) setOpen(other, false);
  setOpen(row, true);
}

// The line above the form follows what is typed: the name in the admin's language (French
// when no English name is given), the numbers and site, the emergency and hidden flags.
function summarise(row) {
  const { locale, tel, sms, noContact } = form.dataset;
  const fr = text(row, "name.fr");
  const en = text(row, "name.en");
  row.querySelector("[data-summary=name]").textContent = (locale === "en" && en) || fr || en || form.dataset.new;
  const url = text(row, "url");
  const host = url.split("/")[2] || url;
  const ways = [
    text(row, "phone") && `${tel} ${text(row, "phone")}`,
    text(row, "sms") && `${sms} ${text(row, "sms")}`,
    host.replace(/^www\./, ""),
  ].filter(Boolean);
  row.querySelector("[data-summary=ways]").textContent = ways.join(" · ") || noContact;
  row.querySelector("[data-summary=emergency]").hidden = !field(row, "emergency").checked;
  row.querySelector("[data-summary=hidden]").hidden = !field(row, "hidden").checked;
}

for (const row of rows()) identify(row);

const follow = (event) => {
  const row = event.target.closest("[data-row]");
  if (row && list.contains(row)) summarise(row);
};
form.addEventListener("input", follow);
form.addEventListener("change", follow);

wireRows(form);
// After wireRows' own handling of the same click (listeners run in the order they were added).
form.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-action]");
  if (!button || !form.contains(button)) return;
  const row = button.closest("[data-row]");
  const action = button.dataset.action;
  if (action === "add") {
    // wireRows appended the new row, form open, and put the focus on its French name.
    const added = rows().at(-1);
    identify(added);
    openOnly(added);
  } else if (action === "edit" && row) {
    if (row.querySelector("[data-form]").hidden) {
      openOnly(row);
      field(row, "name.fr").focus();
    } else {
      setOpen(row, false);
    }
  } else if (action === "close" && row) {
    setOpen(row, false);
    row.querySelector("[data-action=edit]").focus();
  }
});

// Escape in an open form closes it and gives the focus back to its Edit button.
form.addEventListener("keydown", (event) => {
  const panel = event.key === "Escape" && event.target.closest("[data-form]");
  if (!panel || panel.hidden) return;
  const row = panel.closest("[data-row]");
  setOpen(row, false);
  row.querySelector("[data-action=edit]").focus();
});

// A refused value is shown by its field, in its row's form, opened for it. The name is sent as
// {fr, en}: a missing name is the French one's; a referral nobody can reach is its phone's.
function placeError(error) {
  let path = error.field;
  if (/^referrals\[\d+\]\.name$/.test(path)) path += ".fr";
  else if (error.code === "referral_without_contact" && /^referrals\[\d+\]$/.test(path)) path += ".phone";
  const index = path.match(/^referrals\[(\d+)\]/);
  const row = index && rows()[Number(index[1])];
  if (row) setOpen(row, true);
  return { ...error, field: path };
}

wireSave(form, { mapError: placeError });

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
