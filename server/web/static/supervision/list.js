// The live list: every queued or active conversation supervised, from supervision_snapshot
// frames. The server sends a new list when something changes; the clocks tick here.
import { clock, el, t, teamName } from "./dom.js";

export class LiveList {
  constructor({ onJoin }) {
    this.rows = document.getElementById("sv-rows");
    this.empty = document.getElementById("sv-empty");
    this.onJoin = onJoin;
    this.entries = [];
    this.receivedAt = 0;
    this.reading = null;
    setInterval(() => this.tick(), 1000);
  }

  show(entries) {
    // Until the first list arrives the page says it is loading, not that nobody is there.
    document.getElementById("sv-loading").hidden = true;
    this.entries = entries;
    this.receivedAt = Date.now();
    this.render();
  }

  setReading(conversationId) {
    this.reading = conversationId;
    this.render();
  }

  has(conversationId) {
    return this.entries.some((e) => e.conversation_id === conversationId);
  }

  render() {
    this.rows.replaceChildren(...this.entries.map((entry) => this.row(entry)));
    this.empty.hidden = this.entries.length > 0;
  }

  row(entry) {
    const tr = el("tr", { attrs: { "data-conversation": entry.conversation_id } });
    tr.classList.add(`sv-risk-${entry.risk_level}`);
    // A waiting visitor whose page has gone: listed after those present, and said so.
    if (entry.left) tr.classList.add("sv-left");
    const state = entry.left ? `${t(`state_${entry.state}`)} · ${t("left")}` : t(`state_${entry.state}`);
    const cells = [
      entry.tenant_name,
      entry.team ? teamName(entry.tenant, entry.team) : t("nobody"),
      state,
      t(`risk_${entry.risk_level}`),
      entry.listener_name ?? t("nobody"),
    ];
    for (const text of cells) tr.append(el("td", { text }));
    tr.append(el("td", { text: clock(entry.waiting_seconds), className: "sv-waiting" }));
    tr.append(el("td", { text: entry.duration_seconds == null ? t("nobody") : clock(entry.duration_seconds), className: "sv-duration" }));
    tr.append(el("td", { text: entry.supervised ? t("yes") : t("no") }));
    const action = el("td");
    const reading = this.reading === entry.conversation_id;
    const join = el("button", { text: reading ? t("reading") : t("join"), className: "sv-button", attrs: { type: "button" } });
    join.disabled = reading;
    join.addEventListener("click", () => this.onJoin(entry.conversation_id));
    action.append(join);
    tr.append(action);
    return tr;
  }

  tick() {
    const elapsed = (Date.now() - this.receivedAt) / 1000;
    for (const tr of this.rows.children) {
      const entry = this.entries.find((e) => e.conversation_id === tr.dataset.conversation);
      if (!entry) continue;
      if (entry.state === "queued") tr.querySelector(".sv-waiting").textContent = clock(entry.waiting_seconds + elapsed);
      if (entry.duration_seconds != null) tr.querySelector(".sv-duration").textContent = clock(entry.duration_seconds + elapsed);
    }
  }
}
