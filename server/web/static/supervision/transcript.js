// Silent reading of one conversation: its history then live messages (read-only), a whisper
// box to its listener, take over (after a confirmation) and leave.
import { el, lineName, t, teamName } from "./dom.js";

export class Reading {
  constructor({ send }) {
    this.send = send;
    this.section = document.getElementById("sv-reading");
    this.about = document.getElementById("sv-reading-about");
    this.log = document.getElementById("sv-transcript");
    this.note = document.getElementById("sv-reading-note");
    this.form = document.getElementById("sv-whisper");
    this.body = document.getElementById("sv-whisper-body");
    this.dialog = document.getElementById("sv-confirm");
    this.conversationId = null;
    this.lastSeq = 0;
    this.pending = new Set();
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.whisper();
    });
    document.getElementById("sv-leave").addEventListener("click", () => this.leave());
    document.getElementById("sv-take-over").addEventListener("click", () => this.dialog.showModal());
    document.getElementById("sv-confirm-no").addEventListener("click", () => this.dialog.close());
    document.getElementById("sv-confirm-yes").addEventListener("click", () => {
      this.dialog.close();
      if (this.conversationId) this.send({ type: "take_over", conversation_id: this.conversationId });
    });
  }

  join(conversationId) {
    if (this.conversationId === conversationId) return;
    if (this.conversationId) this.send({ type: "leave", conversation_id: this.conversationId });
    this.send({ type: "join", conversation_id: conversationId });
  }

  /** After a reconnection, the server no longer knows what this page was reading. */
  rejoin() {
    if (!this.conversationId) return;
    this.send({ type: "join", conversation_id: this.conversationId });
  }

  joined(frame) {
    const conversation = frame.conversation;
    if (this.conversationId !== conversation.conversation_id) {
      this.conversationId = conversation.conversation_id;
      this.lastSeq = 0;
      this.log.replaceChildren();
    }
    this.about.textContent = t("reading_title", {
      tenant: lineName(conversation.tenant),
      team: conversation.team ? teamName(conversation.tenant, conversation.team) : t("nobody"),
      listener: frame.listener_name ?? t("nobody"),
    });
    this.note.textContent = "";
    this.section.hidden = false;
    this.section.scrollIntoView({ block: "start" });
    this.body.focus({ preventScroll: true });
  }

  message(frame) {
    if (frame.conversation_id !== this.conversationId || frame.seq <= this.lastSeq) return;
    this.lastSeq = frame.seq;
    const item = el("li", { className: `sv-msg sv-author-${frame.author} sv-kind-${frame.kind}` });
    let who = t(`author_${frame.author}`);
    if (frame.kind !== "text" && frame.kind !== "event") who += ` (${t(`kind_${frame.kind}`)})`;
    item.append(el("span", { text: who, className: "sv-who" }));
    item.append(el("span", { text: frame.body, className: "sv-text" }));
    this.log.append(item);
    item.scrollIntoView({ block: "nearest" });
  }

  state(frame) {
    if (frame.conversation_id !== this.conversationId) return;
    if (!["queued", "active"].includes(frame.state)) this.note.textContent = t("conversation_over");
  }

  whisper() {
    const body = this.body.value.trim();
    if (!body || !this.conversationId) return;
    const clientId = crypto.randomUUID();
    this.pending.add(clientId);
    if (this.send({ type: "whisper", conversation_id: this.conversationId, client_id: clientId, body })) {
      this.body.value = "";
    }
  }

  acked(frame) {
    if (this.pending.delete(frame.client_id)) this.note.textContent = t("whispered");
  }

  takenOver(conversationId) {
    if (conversationId === this.conversationId) this.note.textContent = t("taken_over");
  }

  leave() {
    if (this.conversationId) this.send({ type: "leave", conversation_id: this.conversationId });
    this.conversationId = null;
    this.section.hidden = true;
    this.log.replaceChildren();
  }
}
