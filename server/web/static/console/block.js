// Blocking the visitor of a conversation: a reason and a length, a confirmation in place, then
// POST …/block (server/conversations/block_route.py). The server ends the conversation
// ("blocked"); the wrap-up stays to write.
import { send } from "../shared/http.js";
import { t } from "./dom.js";

// A visitor who wrote abuse and left can still be blocked; not a chat handed on or taken over.
export const BLOCKABLE_AFTER = new Set(["visitor", "visitor_left", "inactivity", "session_limit"]);

const blockPath = (conversation) =>
  `/api/tenants/${encodeURIComponent(conversation.summary.tenant)}/conversations/${encodeURIComponent(conversation.id)}/block`;

function problemText({ status, data }) {
  if (status === 409 && data.code === "not_your_conversation") return t("con_js_block_not_yours");
  if (status === 401) return t("con_js_block_signed_out");
  return t("con_js_block_failed", { why: data.title || String(status) });
}

export function setupBlock(conversation) {
  const { "block-box": box, block: form, "block-confirm": confirmNote, "block-problem": problem } =
    conversation.refs;
  const { reason, hours } = form.elements;
  const submit = form.querySelector("button[type=submit]");
  const cancel = conversation.refs["block-cancel"];
  const label = () => t(conversation.ended ? "con_js_block_submit_ended" : "con_js_block_submit");

  const unconfirm = () => {
    delete form.dataset.confirming;
    confirmNote.hidden = true;
    cancel.hidden = true;
    submit.textContent = label();
  };
  const showProblem = (text) => {
    problem.textContent = text;
    problem.hidden = false;
  };

  reason.addEventListener("change", unconfirm);
  hours.addEventListener("change", unconfirm);
  cancel.addEventListener("click", () => {
    unconfirm();
    submit.focus();
  });
  form.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && form.dataset.confirming) {
      event.preventDefault();
      unconfirm();
      submit.focus();
    }
  });
  box.addEventListener("toggle", () => box.open || unconfirm());

  // Once the conversation has ended, blocking no longer ends it: the words say so.
  conversation.onEnd((why) => {
    conversation.refs["block-ends"].hidden = true;
    box.hidden = why === "blocked" || !BLOCKABLE_AFTER.has(why);
    unconfirm();
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    problem.hidden = true;
    if (!form.dataset.confirming) {
      form.dataset.confirming = "1";
      confirmNote.hidden = false;
      cancel.hidden = false;
      submit.textContent = t("con_js_block_confirm");
      submit.focus();
      return;
    }
    const chosen = { reason: reason.value, hours: Number(hours.value) };
    submit.disabled = true;
    cancel.disabled = true;
    form.setAttribute("aria-busy", "true");
    submit.textContent = t("con_js_block_sending");
    let answer;
    try {
      answer = await send("POST", blockPath(conversation), chosen);
    } catch {
      answer = null;
    } finally {
      submit.disabled = false;
      cancel.disabled = false;
      form.removeAttribute("aria-busy");
    }
    if (!answer || !answer.ok) {
      unconfirm();
      showProblem(answer ? problemText(answer) : t("con_js_block_offline"));
      submit.focus();
      return;
    }
    // The server's `state`/`unassigned` frames say the same; whichever comes first shows it.
    conversation.finish(t("con_js_ended_blocked"), "blocked");
    conversation.markBlocked(t("con_js_ended_blocked"));
    conversation.notice(
      t("con_js_block_done", {
        duration: t(`con_block_hours_${chosen.hours}`),
        reason: t(`con_block_reason_${chosen.reason}`),
      }),
    );
    box.open = false;
    box.hidden = true;
    conversation.refs["end-box"].querySelector("summary").focus();
  });
}
