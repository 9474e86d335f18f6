// The crisis panel, shown while a conversation's risk is high or imminent: prompts to assess
// plan, means and timeframe, the emergency referrals in one click, and who was alerted.
import { el, isCrisis, t } from "./dom.js";
import { referralName, referralsOf, sendReferral } from "./tools.js";

const ASPECTS = ["plan", "means", "timeframe"];

export function setupCrisis(conversation) {
  const { crisis, "emergency-list": list, "save-assessment": save, alerted } = conversation.refs;
  const box = (aspect) => crisis.querySelector(`[data-assess="${aspect}"]`);
  const detail = (aspect) => crisis.querySelector(`[data-assess-note="${aspect}"]`);
  let saved = "";

  const show = (level) => {
    // Shown without taking the focus: the listener may be typing.
    crisis.hidden = !(isCrisis(level) && !conversation.ended);
  };
  conversation.onRisk(show);
  show(conversation.risk);

  referralsOf(conversation.summary.tenant).then((referrals) => {
    list.replaceChildren(
      ...referrals
        .filter((r) => r.emergency)
        .map((referral) =>
          el("li", {}, [
            el("button", {
              type: "button",
              class: "emergency-send",
              text: `${t("con_send_referral")} : ${referralName(referral)}`,
              on: { click: () => sendReferral(conversation, referral) },
            }),
          ]),
        ),
    );
  });

  // The assessment as plain text, for a private note or the wrap-up's note.
  conversation.assessmentText = () => {
    const touched = ASPECTS.some((a) => box(a).checked || detail(a).value.trim());
    if (!touched) return "";
    const lines = ASPECTS.map((aspect) => {
      const answer = box(aspect).checked ? t("con_js_yes") : t("con_js_no");
      const more = detail(aspect).value.trim();
      return `${t(`con_crisis_${aspect}`)} ${answer}${more ? ` — ${more}` : ""}`;
    });
    return `${t("con_js_assessment")}\n${lines.join("\n")}`;
  };

  save.addEventListener("click", () => {
    const text = conversation.assessmentText();
    if (!text || text === saved) return;
    saved = text;
    conversation.post(text, "note");
  });

  // When the server says whom it alerted, the names replace the generic line; an empty
  // list means no supervisor was online.
  conversation.alerted = (frame) => {
    const names = (frame.supervisors || []).filter((name) => typeof name === "string" && name);
    if (Array.isArray(frame.supervisors) && !names.length) alerted.textContent = t("con_crisis_nobody");
    else if (names.length) alerted.textContent = t("con_crisis_alerted_named", { names: names.join(", ") });
  };
}
