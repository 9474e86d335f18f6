// The conversations as a keyboard-accessible tablist (WAI-ARIA tabs, automatic activation):
// arrows move between tabs, Home/End go to the ends, the panel follows the focused tab.
import { el, isCrisis } from "./dom.js";

export class Tabs {
  constructor({ list, panels, empty, onChange }) {
    this.list = list;
    this.panels = panels;
    this.empty = empty;
    this.onChange = onChange;
    this.tabs = new Map(); // conversation id -> {tab, conversation}
    this.current = null;
    list.addEventListener("keydown", (event) => this.key(event));
  }

  add(conversation) {
    const unread = el("span", { class: "unread", "aria-hidden": "true" });
    const waiting = el("span", { class: "waiting" });
    const tab = el(
      "button",
      {
        type: "button",
        role: "tab",
        id: `tab-${conversation.id}`,
        "aria-controls": conversation.panel.id,
        "aria-selected": "false",
        tabindex: "-1",
        on: { click: () => this.select(conversation.id) },
      },
      [el("span", { class: "label", text: conversation.title }), waiting, unread],
    );
    conversation.panel.setAttribute("aria-labelledby", tab.id);
    conversation.panel.hidden = true;
    this.list.append(tab);
    this.panels.append(conversation.panel);
    this.tabs.set(conversation.id, { tab, conversation, unread: 0 });
    const paint = (level) => {
      tab.classList.toggle("crisis", isCrisis(level));
      tab.dataset.risk = level;
    };
    conversation.onRisk(paint);
    conversation.onWaiting((text) => (waiting.textContent = text));
    paint(conversation.risk);
    if (!this.current) this.select(conversation.id);
    this.refresh();
  }

  remove(id) {
    const entry = this.tabs.get(id);
    if (!entry) return;
    entry.tab.remove();
    entry.conversation.panel.remove();
    this.tabs.delete(id);
    if (this.current === id) {
      this.current = null;
      const next = this.tabs.keys().next();
      if (!next.done) this.select(next.value);
    }
    this.refresh();
  }

  select(id, focus = false) {
    for (const [key, entry] of this.tabs) {
      const on = key === id;
      entry.tab.setAttribute("aria-selected", String(on));
      entry.tab.tabIndex = on ? 0 : -1;
      entry.conversation.panel.hidden = !on;
      if (on) {
        entry.unread = 0;
        entry.tab.querySelector(".unread").textContent = "";
        if (focus) entry.tab.focus();
      }
    }
    this.current = id;
    this.onChange?.(id);
  }

  /** A visitor wrote in a conversation that is not in front: count it on its tab. */
  bump(id) {
    const entry = this.tabs.get(id);
    if (!entry || (id === this.current && document.visibilityState === "visible")) return;
    entry.unread += 1;
    entry.tab.querySelector(".unread").textContent = String(entry.unread);
  }

  key(event) {
    const ids = [...this.tabs.keys()];
    const at = ids.indexOf(this.current);
    let next = null;
    if (event.key === "ArrowRight") next = ids[(at + 1) % ids.length];
    else if (event.key === "ArrowLeft") next = ids[(at - 1 + ids.length) % ids.length];
    else if (event.key === "Home") next = ids[0];
    else if (event.key === "End") next = ids[ids.length - 1];
    if (next === null || next === undefined) return;
    event.preventDefault();
    this.select(next, true);
  }

  refresh() {
    this.empty.hidden = this.tabs.size > 0;
    this.list.hidden = this.tabs.size === 0;
  }

  get size() {
    return this.tabs.size;
  }
}
