// The listener console: presence, the live queue, conversations as tabs. Everything live
// comes over /ws/console (docs/protocol.md); this module routes its frames.
import { CONFIG, t } from "./dom.js";
import { Conversation } from "./conversation.js";
import { setupCrisis } from "./crisis.js";
import { bindPreferences, notify } from "./notify.js";
import { Queue } from "./queue.js";
import { ConsoleSocket } from "./socket.js";
import { Tabs } from "./tabs.js";
import { setupTools } from "./tools.js";

const $ = (id) => document.getElementById(id);
const conversations = new Map();
const status = $("connection");
const problems = $("console-problem");
const presenceBox = document.querySelector("fieldset.presence");
let presence = "away";
let confirming = null; // the status this page asked for, until the server says it is set
let claimed = null; // the chat this listener just took: it opens in front when assigned

// A reload within the presence lifetime keeps the status (closing the page stores "away").
const SAVED = "havre:console-presence";
try {
  const saved = JSON.parse(sessionStorage.getItem(SAVED) || "null");
  if (saved && saved.status === "available" && Date.now() - saved.at < (CONFIG.presence_ttl_seconds || 15) * 1000) {
    presence = "available";
  }
} catch {
  /* storage refused: the listener sets it again */
}
window.addEventListener("pagehide", () => {
  try {
    sessionStorage.setItem(SAVED, JSON.stringify({ status: presence, at: Date.now() }));
  } catch {
    /* nothing kept */
  }
});

const socket = new ConsoleSocket({
  onFrame: receive,
  onStatus: (state) => {
    status.textContent = t(`con_js_${state}`);
    status.dataset.state = state;
  },
  onOpen: () => {
    reassigned = new Set();
    // Presence lives as long as the socket: a new socket starts away until told again.
    if (presence === "available") {
      confirming = "available";
      presenceBox.setAttribute("aria-busy", "true");
      socket.send({ type: "presence", status: "available" });
    }
  },
});

const queue = new Queue({
  list: $("queue-list"),
  empty: $("queue-empty"),
  count: $("queue-count"),
  onTake: (id, button) => {
    button.disabled = true;
    claimed = id;
    socket.send({ type: "claim", conversation_id: id });
  },
});

const tabs = new Tabs({
  list: $("tabs"),
  panels: $("panels"),
  empty: $("no-conversation"),
  onChange: (id) => {
    const shown = conversations.get(id);
    if (shown && shown.lastSeq && !shown.ended) send({ type: "read", conversation_id: id, seq: shown.lastSeq });
  },
});

function send(frame) {
  return socket.send(frame);
}

// Status, capacity and conversations held, as the server counts them (`presence` frame).
function showPresence(frame) {
  $("capacity").textContent = String(frame.capacity);
  $("active-count").textContent = String(frame.active);
  // Presence is per listener: another console of theirs may have changed it. A status
  // older than the one this page just asked for is not shown (it would flicker back).
  if (confirming !== null && frame.status !== confirming) return;
  confirming = null;
  presenceBox.removeAttribute("aria-busy");
  for (const radio of document.querySelectorAll("input[name=presence]")) radio.checked = radio.value === frame.status;
}

function showProblem(message) {
  problems.textContent = message;
  problems.hidden = false;
  clearTimeout(showProblem.timer);
  showProblem.timer = setTimeout(() => (problems.hidden = true), 8000);
}

function activity(conversation, frame) {
  tabs.bump(conversation.id);
  notify();
  if (frame.author === "visitor" && tabs.current === conversation.id && document.visibilityState === "visible") {
    send({ type: "read", conversation_id: conversation.id, seq: frame.seq });
  }
}

function assigned(summary) {
  reassigned?.add(summary.conversation_id);
  const known = conversations.get(summary.conversation_id);
  if (known && !known.ended) {
    known.update(summary);
    // After a reconnection: everything after what this page already has, then our unsent.
    send({ type: "sync", conversation_id: known.id, last_seq: known.lastSeq });
    known.resendPending();
    return;
  }
  if (known) remove(known.id);
  const conversation = new Conversation(summary, { send, onActivity: activity });
  setupTools(conversation);
  setupCrisis(conversation);
  conversation.refs.close.addEventListener("click", () => remove(conversation.id));
  conversations.set(conversation.id, conversation);
  tabs.add(conversation);
  if (conversation.id === claimed) {
    claimed = null;
    tabs.select(conversation.id);
    conversation.refs.input.focus();
  }
  send({ type: "sync", conversation_id: conversation.id, last_seq: 0 });
  notify();
}

function remove(id) {
  const conversation = conversations.get(id);
  if (!conversation) return;
  conversation.destroy();
  conversations.delete(id);
  tabs.remove(id);
}

function unassigned(frame) {
  const conversation = conversations.get(frame.conversation_id);
  if (!conversation) return;
  if (frame.reason === "transferred" || frame.reason === "listener") {
    // This listener handed it over or ended it with the wrap-up: nothing left to do here.
    remove(conversation.id);
    if (frame.reason === "transferred") showProblem(t("con_js_transferred"));
    return;
  }
  conversation.finish(endedText(frame.reason), frame.reason);
}

// How the conversation ended, for a listener who still has its wrap-up to write.
function endedText(reason) {
  const why = {
    visitor: "con_js_ended_visitor",
    quick_exit: "con_js_ended_quick_exit",
    inactivity: "con_js_ended_lost",
    visitor_left: "con_js_ended_lost",
    taken_over: "con_js_taken_over",
    blocked: "con_js_ended_blocked",
  }[reason];
  return t(why || "con_js_ended");
}

// After a reconnection the server re-sends `assigned` for every chat still held, then the
// queue: a tab not named again ended while the socket was away.
let reassigned = null;

function reconcile() {
  if (reassigned === null) return;
  for (const conversation of conversations.values()) {
    if (!reassigned.has(conversation.id)) conversation.finish(t("con_js_ended"));
  }
  reassigned = null;
}

function receive(frame) {
  const conversation = frame.conversation_id ? conversations.get(frame.conversation_id) : null;
  switch (frame.type) {
    case "queue_snapshot":
      reconcile();
      if (queue.show(frame.entries)) notify();
      break;
    case "assigned":
      assigned(frame.conversation);
      break;
    case "unassigned":
      unassigned(frame);
      break;
    case "message":
      conversation?.message(frame);
      break;
    case "ack":
      conversation?.ack(frame);
      break;
    case "typing":
      if (frame.author === "visitor") conversation?.typing();
      break;
    case "read":
      if (frame.author === "visitor") conversation?.read(frame.seq);
      break;
    case "risk":
      conversation?.setRisk(frame.level, frame.reasons);
      // At high or imminent, the server names the supervisors it alerted.
      if (Array.isArray(frame.alerted)) conversation?.alerted?.({ supervisors: frame.alerted });
      break;
    case "alert":
      conversation?.alerted?.(frame);
      break;
    case "presence":
      showPresence(frame);
      break;
    case "extended":
      conversation?.extended(frame);
      break;
    case "warning":
      conversation?.warning(frame.kind, frame.minutes_left);
      break;
    case "state":
      if (conversation && ["ended", "abandoned", "missed"].includes(frame.state)) {
        conversation.finish(endedText(frame.reason), frame.reason);
      }
      break;
    case "error":
      if (frame.client_id && conversation) conversation.failed(frame);
      if (!frame.conversation_id && confirming !== null) {
        // The status asked for was not stored (Redis away): the page stops waiting for it.
        confirming = null;
        presenceBox.removeAttribute("aria-busy");
      }
      if (frame.code === "cannot_extend" && conversation) conversation.refs.extend.disabled = true;
      showProblem(frame.message);
      for (const button of document.querySelectorAll("#queue-list button.take")) button.disabled = false;
      break;
  }
}

// --- presence -------------------------------------------------------------------------

for (const radio of document.querySelectorAll("input[name=presence]")) {
  radio.addEventListener("change", () => {
    if (!radio.checked) return;
    presence = radio.value;
    confirming = presence;
    presenceBox.setAttribute("aria-busy", "true"); // until the server says it is so
    send({ type: "presence", status: presence });
  });
}

bindPreferences();
socket.connect();
document.addEventListener("visibilitychange", () => {
  const current = conversations.get(tabs.current);
  if (document.visibilityState === "visible" && current && current.lastSeq && !current.ended) {
    send({ type: "read", conversation_id: current.id, seq: current.lastSeq });
  }
});
