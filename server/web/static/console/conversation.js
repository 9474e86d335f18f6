// One conversation held by this listener: its panel (transcript, typing, time left, risk)
// and the composer. The tools (canned replies, referrals, transfer, wrap-up, crisis panel)
// are wired by tools.js and crisis.js.
import { CONFIG, clock, el, isCrisis, lineFor, reasonLabel, riskLabel, t, topicLabel, uuid } from "./dom.js";

const TYPING_SHOWN_MS = 5000;
const TYPING_SENT_EVERY_MS = 2500;

export class Conversation {
  constructor(summary, { send, onActivity }) {
    this.id = summary.conversation_id;
    this.send = send;
    this.onActivity = onActivity;
    this.summary = summary;
    this.line = lineFor(summary.tenant) || { slug: summary.tenant, name: summary.tenant, teams: [], topics: [], colleagues: [] };
    this.lastSeq = 0;
    // What was said before this page got the chat (a transfer's history) is not news.
    this.historyUpTo = summary.last_seq || 0;
    this.items = new Map(); // seq or client id -> li
    this.pending = new Map(); // client id -> frame, until acknowledged
    this.ended = false;
    this.listeners = { risk: [], waiting: [], end: [] };
    // Since when the visitor's last message has had no answer (ms), shown on the tab.
    this.awaitingSince = null;
    this.answeredUpTo = 0;
    this.waitingText = "";
    const template = document.getElementById("tpl-conversation");
    this.panel = template.content.firstElementChild.cloneNode(true);
    this.panel.id = `panel-${this.id}`;
    this.refs = {};
    for (const node of this.panel.querySelectorAll("[data-ref]")) this.refs[node.dataset.ref] = node;
    this.lastTypingSent = 0;
    this.bindComposer();
    this.refs.extend.addEventListener("click", () => this.extend());
    this.refs["set-risk"].addEventListener("change", () => {
      this.send({ type: "set_risk", conversation_id: this.id, level: this.refs["set-risk"].value });
    });
    this.timer = setInterval(() => this.tickTime(), 1000);
    this.update(summary);
  }

  // A short name to tell visitors apart (never anything they wrote): from the conversation
  // id, the same in every console and supervision.
  get alias() {
    return t("con_js_visitor_alias", { code: this.id.slice(0, 4).toUpperCase() });
  }

  get title() {
    const line = (CONFIG.lines || []).length > 1 ? ` · ${this.line.name}` : "";
    return `${this.alias} · ${topicLabel(this.summary.topic)}${line}`;
  }

  update(summary) {
    this.summary = summary;
    const team = this.line.teams.find((x) => x.slug === summary.team);
    this.refs.meta.replaceChildren(
      el("strong", { text: this.alias }),
      el("span", { text: this.line.name }),
      el("span", { text: team ? team.name : summary.team || t("con_js_no_team") }),
      el("span", { text: topicLabel(summary.topic) }),
      el("span", { lang: summary.locale, text: summary.locale.toUpperCase() }),
    );
    this.refs.supervised.hidden = !summary.supervised;
    this.endsAt = summary.session_ends_at ? Date.parse(summary.session_ends_at) : null;
    this.refs.extend.disabled = Boolean(summary.extended) || this.ended;
    this.setRisk(summary.risk_level, summary.risk_reasons || []);
    this.tickTime();
  }

  setRisk(level, reasons) {
    this.risk = level;
    this.reasons = reasons;
    this.refs.risk.textContent = riskLabel(level);
    this.refs.risk.className = `risk-badge risk-${level}`;
    this.refs.reasons.replaceChildren(...reasons.map((r) => el("li", { text: reasonLabel(r) })));
    this.refs["set-risk"].value = level;
    this.panel.classList.toggle("in-crisis", isCrisis(level));
    for (const fn of this.listeners.risk) fn(level, reasons);
  }

  onRisk(fn) {
    this.listeners.risk.push(fn);
  }

  onWaiting(fn) {
    this.listeners.waiting.push(fn);
  }

  /** fn(reason) when the conversation ends, however it ends. */
  onEnd(fn) {
    this.listeners.end.push(fn);
  }

  /** Who spoke last: a visitor's message starts the wait, a reply (or a card) ends it. */
  trackWaiting(frame) {
    if (frame.kind !== "text" && frame.kind !== "referral") return;
    if (frame.seq < this.answeredUpTo) return;
    this.answeredUpTo = frame.seq;
    this.awaitingSince = frame.author === "visitor" ? Date.parse(frame.at) : null;
    this.paintWaiting();
  }

  paintWaiting() {
    const minutes = this.awaitingSince === null || this.ended ? 0 : Math.floor((Date.now() - this.awaitingSince) / 60000);
    const text = minutes >= 1 ? t("con_js_waiting_for", { n: minutes }) : "";
    if (text === this.waitingText) return;
    this.waitingText = text;
    for (const fn of this.listeners.waiting) fn(text);
  }

  tickTime() {
    this.paintWaiting();
    if (this.endsAt === null || this.ended) {
      this.refs["time-left"].textContent = "—";
      return;
    }
    const left = (this.endsAt - Date.now()) / 1000;
    this.refs["time-left"].textContent = clock(left);
    this.refs["time-left"].classList.toggle("urgent", left < 300);
  }

  extend() {
    if (this.summary.extended) return;
    // The server moves the limit 15 minutes later, once, and answers with the new limit
    // (`extended`) or a refusal; the button waits for neither to prevent a second request.
    this.refs.extend.disabled = true;
    this.send({ type: "extend", conversation_id: this.id });
  }

  /** The server's answer to `extend`: the limit as it counts it. */
  extended(frame) {
    this.summary = { ...this.summary, extended: true, session_ends_at: frame.session_ends_at };
    this.endsAt = Date.parse(frame.session_ends_at);
    this.refs.extend.disabled = true;
    this.tickTime();
  }

  // --- composer -----------------------------------------------------------------------

  bindComposer() {
    const { composer, input } = this.refs;
    composer.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.submit();
      }
    });
    input.addEventListener("input", () => {
      const now = Date.now();
      if (!this.refs["as-note"].checked && now - this.lastTypingSent > TYPING_SENT_EVERY_MS) {
        this.lastTypingSent = now;
        this.send({ type: "typing", conversation_id: this.id });
      }
    });
  }

  submit() {
    const body = this.refs.input.value.trim();
    if (!body || this.ended) return;
    const kind = this.refs["as-note"].checked ? "note" : "text";
    this.post(body, kind);
    this.refs.input.value = "";
    this.refs["as-note"].checked = false;
    this.refs.input.focus();
  }

  /** Sends a message of any kind; it shows at once and is resent after a reconnection. */
  post(body, kind = "text") {
    const frame = { type: "send", conversation_id: this.id, client_id: uuid(), body, kind };
    this.pending.set(frame.client_id, frame);
    if (kind !== "note") {
      this.awaitingSince = null;
      this.paintWaiting();
    }
    this.place(this.bubble({ author: "listener", kind, body, client_id: frame.client_id }, true));
    this.send(frame);
  }

  resendPending() {
    for (const frame of this.pending.values()) this.send(frame);
  }

  // --- transcript ---------------------------------------------------------------------

  bubble(message, pending = false) {
    const own = message.author === "listener";
    let who = {
      visitor: t("con_js_visitor"),
      listener: own ? t("con_js_you") : t("con_js_listener"),
      supervisor: t("con_js_supervisor"),
      system: t("con_js_system"),
    }[message.author];
    if (message.kind === "note") who = `${who} — ${t("con_js_note")}`;
    if (message.kind === "referral") who = `${who} — ${t("con_js_referral")}`;
    if (message.kind === "whisper") {
      // The server names the supervisor when it can (author_name, staff-only).
      who = message.author_name ? t("con_js_whisper_from", { name: message.author_name }) : t("con_js_whisper");
    }
    const at = message.at ? new Date(message.at) : new Date();
    const time = at.toLocaleTimeString(document.documentElement.lang || undefined, { hour: "2-digit", minute: "2-digit" });
    const li = el("li", { class: `msg from-${message.author} kind-${message.kind}` }, [
      el("span", { class: "who" }, [who, " ", el("time", { datetime: at.toISOString(), text: time })]),
      el("p", { class: "body", text: message.body }),
      el("span", { class: "mark", text: pending ? t("con_js_sending") : "" }),
    ]);
    if (message.seq) li.dataset.seq = String(message.seq);
    if (message.client_id) li.dataset.client = message.client_id;
    return li;
  }

  place(li) {
    const transcript = this.refs.transcript;
    const seq = Number(li.dataset.seq || Infinity);
    let before = null;
    for (const other of transcript.children) {
      if (Number(other.dataset.seq || Infinity) > seq) {
        before = other;
        break;
      }
    }
    transcript.insertBefore(li, before);
    li.scrollIntoView?.({ block: "nearest" });
  }

  message(frame) {
    if (frame.seq <= this.lastSeq && this.items.has(frame.seq)) return;
    if (frame.seq > this.lastSeq) this.lastSeq = frame.seq;
    const mine = frame.client_id && this.panel.querySelector(`li[data-client="${frame.client_id}"]`);
    if (mine) {
      mine.remove();
      this.pending.delete(frame.client_id);
    }
    const li = this.bubble(frame);
    this.items.set(frame.seq, li);
    this.place(li);
    if (frame.author === "visitor") this.refs.typing.hidden = true;
    this.trackWaiting(frame);
    if ((frame.author === "visitor" || frame.kind === "whisper") && frame.seq > this.historyUpTo) {
      this.onActivity(this, frame);
    }
  }

  ack(frame) {
    this.pending.delete(frame.client_id);
    const li = this.panel.querySelector(`li[data-client="${frame.client_id}"]`);
    if (li && !li.dataset.seq) {
      li.dataset.seq = String(frame.seq);
      li.querySelector(".mark").textContent = "";
    }
  }

  failed(frame) {
    this.pending.delete(frame.client_id);
    const li = this.panel.querySelector(`li[data-client="${frame.client_id}"]`);
    if (li) {
      li.classList.add("failed");
      li.querySelector(".mark").textContent = frame.message;
    }
  }

  typing() {
    this.refs.typing.hidden = false;
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => (this.refs.typing.hidden = true), TYPING_SHOWN_MS);
  }

  read(seq) {
    for (const li of this.refs.transcript.querySelectorAll("li.from-listener.kind-text, li.from-listener.kind-referral")) {
      if (Number(li.dataset.seq) <= seq) li.querySelector(".mark").textContent = t("con_js_read");
    }
  }

  notice(text) {
    this.place(el("li", { class: "msg from-system notice", role: "status" }, [el("p", { class: "body", text })]));
  }

  warning(kind, minutes) {
    const key = { session_ending: "con_js_session_ending", inactivity: "con_js_inactivity", closing: "con_js_closing" }[kind];
    if (key) this.notice(t(key, { n: minutes }));
  }

  // The visitor ended or left (or the time ran out): the conversation stays, marked how it
  // ended, with its crisis assessment and wrap-up, until the listener closes it. What would
  // write to the visitor goes.
  finish(text, reason = "") {
    if (this.ended) return;
    this.ended = true;
    this.endReason = reason;
    clearInterval(this.timer);
    this.refs.typing.hidden = true;
    this.refs.ended.textContent = text;
    this.refs.ended.hidden = false;
    this.panel.classList.add("ended");
    if (reason === "quick_exit") this.panel.classList.add("quick-exit");
    // The block box decides for itself (block.js): a visitor who left can still be blocked.
    for (const node of this.panel.querySelectorAll(".composer, .tools > details:not([data-ref=end-box], [data-ref=block-box]), .crisis h4, .emergency-list, [data-ref=save-assessment]")) {
      node.hidden = true;
    }
    this.refs.extend.disabled = true;
    this.refs["time-left"].textContent = "—";
    this.refs["set-risk"].disabled = true;
    this.refs.close.hidden = false;
    this.paintWaiting();
    for (const fn of this.listeners.end) fn(reason);
    this.onFinish?.(reason);
  }

  /** The visitor was blocked after they had ended or left: the end now says so. */
  markBlocked(text) {
    this.endReason = "blocked";
    this.refs.ended.textContent = text;
  }

  destroy() {
    clearInterval(this.timer);
    clearTimeout(this.typingTimer);
  }
}
