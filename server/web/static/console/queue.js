// The queue across every line served: risk first, then waiting time, visitors whose page has
// gone last, marked "left" (the server's order), and nothing but tenant, team, topic,
// language, waiting time and risk level.
import { duration, el, lineFor, riskLabel, t, topicLabel } from "./dom.js";

export class Queue {
  constructor({ list, empty, count, onTake }) {
    this.list = list;
    this.empty = empty;
    this.count = count;
    this.onTake = onTake;
    this.entries = [];
    this.known = new Set();
    this.receivedAt = 0;
    setInterval(() => this.tick(), 1000);
  }

  /** Replaces the queue; answers whether someone new has arrived. */
  show(entries) {
    const fresh = entries.some((entry) => !this.known.has(entry.conversation_id));
    this.known = new Set(entries.map((entry) => entry.conversation_id));
    this.entries = entries;
    this.receivedAt = performance.now();
    this.list.replaceChildren(...entries.map((entry) => this.item(entry)));
    this.empty.hidden = entries.length > 0;
    this.count.textContent = entries.length ? `(${entries.length})` : "";
    return fresh;
  }

  item(entry) {
    const wait = el("span", { class: "wait", dataset: { since: String(entry.waiting_seconds) } });
    wait.textContent = t("con_js_waiting", { time: duration(entry.waiting_seconds) });
    const take = el("button", {
      type: "button",
      class: "take",
      text: t("con_take"),
      "aria-describedby": `q-${entry.conversation_id}`,
      on: { click: () => this.onTake(entry.conversation_id, take) },
    });
    const left = entry.left
      ? el("span", { class: "left-mark", title: t("con_js_left_hint"), text: t("con_js_left") })
      : null;
    const kind = `queue-entry risk-${entry.risk_level}${entry.left ? " left" : ""}`;
    return el("li", { class: kind, dataset: { id: entry.conversation_id } }, [
      el("div", { class: "entry-main", id: `q-${entry.conversation_id}` }, [
        el("strong", { class: "risk-badge", text: riskLabel(entry.risk_level) }),
        " ",
        left,
        left ? " " : null,
        el("span", { class: "q-tenant", text: entry.tenant_name }),
        el("span", { class: "facts" }, [
          el("span", { text: teamName(entry) }),
          el("span", { text: topicLabel(entry.topic) }),
          el("span", { lang: entry.locale, text: entry.locale.toUpperCase() }),
          wait,
        ]),
      ]),
      take,
    ]);
  }

  tick() {
    const elapsed = (performance.now() - this.receivedAt) / 1000;
    for (const wait of this.list.querySelectorAll(".wait")) {
      wait.textContent = t("con_js_waiting", { time: duration(Number(wait.dataset.since) + elapsed) });
    }
  }
}

function teamName(entry) {
  if (!entry.team) return t("con_js_no_team");
  const team = (lineFor(entry.tenant)?.teams || []).find((x) => x.slug === entry.team);
  return team ? team.name : entry.team;
}
