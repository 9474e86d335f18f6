// The list of blocked visitors: "Lift block" calls POST /api/tenants/{slug}/blocks/{id}/lift
// (server/protection/api.py) and writes the row from the list it answers, as the server page
// would (server/web/supervision_blocks.py). Text only through textContent.
import { lang, send } from "../shared/http.js";

const root = document.getElementById("blocks");
const TEXTS = JSON.parse(root.dataset.texts || "{}");

function t(key, fields = {}) {
  const template = TEXTS[`sv_blk_js_${key}`] ?? key;
  return template.replace(/\{(\w+)\}/g, (_, name) => (name in fields ? String(fields[name]) : ""));
}

/** A time of day as server/web/supervision_blocks.py writes it: "14h05" / "2:05 pm". */
function clock(hour, minute) {
  if (lang === "fr") {
    if (hour === 0 && minute === 0) return "minuit";
    return minute === 0 ? `${hour}h` : `${hour}h${String(minute).padStart(2, "0")}`;
  }
  if (hour === 0 && minute === 0) return "midnight";
  if (hour === 12 && minute === 0) return "noon";
  const suffix = hour < 12 ? "am" : "pm";
  const twelve = hour % 12 || 12;
  // A no-break space, as the server writes it: "1:35 am" stays on one line.
  return minute === 0 ? `${twelve}\u00a0${suffix}` : `${twelve}:${String(minute).padStart(2, "0")}\u00a0${suffix}`;
}

/** "12 mars à 14h05" / "12 March at 2:05 pm" in the line's time zone. */
function moment(iso, zone) {
  const options = { day: "numeric", month: "long", hour: "numeric", minute: "2-digit", hourCycle: "h23" };
  let format;
  try {
    format = new Intl.DateTimeFormat(lang, { ...options, timeZone: zone });
  } catch {
    format = new Intl.DateTimeFormat(lang, options); // a zone this browser does not know
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  const day = lang === "fr" && parts.day === "1" ? "1er" : parts.day;
  return t("at", { date: `${day} ${parts.month}`, time: clock(Number(parts.hour) % 24, Number(parts.minute)) });
}

/** One row as the list now says it; a block no longer in force loses its button. */
function show(section, view) {
  const row = section.querySelector(`tr[data-block="${CSS.escape(view.id)}"]`);
  if (!row || view.active) return;
  row.dataset.state = view.lifted_at ? "lifted" : "expired";
  const status = row.querySelector(".blk-status");
  if (view.lifted_at) {
    const date = moment(view.lifted_at, section.dataset.zone);
    status.textContent = view.lifted_by ? t("lifted", { name: view.lifted_by, date }) : t("lifted_anonymous", { date });
  } else {
    status.textContent = t("expired");
  }
  row.querySelector(".blk-network").textContent = t("nobody");
  row.querySelector("button.blk-lift")?.remove();
}

function why({ status, data }) {
  if (status === 404 && data.code === "block_not_found") return t("gone");
  if (status === 401) return t("signed_out");
  return t("failed", { why: data.title || String(status) });
}

async function lift(button) {
  const row = button.closest("tr");
  const section = row.closest("section[data-tenant]");
  const said = section.querySelector(".blk-said");
  const problem = section.querySelector(".blk-problem");
  const tenant = encodeURIComponent(section.dataset.tenant);
  const label = button.textContent;
  problem.hidden = true;
  said.textContent = "";
  button.disabled = true;
  button.textContent = t("lifting");
  let answer = null;
  try {
    answer = await send("POST", `/api/tenants/${tenant}/blocks/${encodeURIComponent(row.dataset.block)}/lift`);
  } catch {
    answer = null;
  }
  if (answer?.ok && Array.isArray(answer.data)) {
    for (const view of answer.data) show(section, view);
    said.textContent = t("done");
    // The button is gone: the keyboard stays on the row, on what it now says.
    if (!document.activeElement || document.activeElement === document.body) {
      row.querySelector(".blk-status").focus();
    }
    return;
  }
  button.disabled = false;
  button.textContent = label;
  problem.textContent = answer ? why(answer) : t("offline");
  problem.hidden = false;
  if (answer?.status === 404) {
    // Expired or lifted by someone else meanwhile: the row says what it is now.
    const listed = await send("GET", `/api/tenants/${tenant}/blocks`).catch(() => null);
    if (listed?.ok && Array.isArray(listed.data)) for (const view of listed.data) show(section, view);
  }
}

for (const button of root.querySelectorAll("button.blk-lift")) {
  button.addEventListener("click", () => lift(button));
}
