// A conversation's tools: canned replies (searchable, per tenant and language), referral
// cards, transfer with a note, the end with its wrap-up form, and blocking (block.js).
import { setupBlock } from "./block.js";
import { CONFIG, el, isCrisis, LOCALE, riskLabel, RISK_ORDER, t, topicLabel } from "./dom.js";

const cache = new Map();

async function fetchJson(path) {
  if (!cache.has(path)) {
    cache.set(
      path,
      fetch(path, { credentials: "same-origin", headers: { accept: "application/json" } }).then((r) => {
        if (!r.ok) {
          cache.delete(path);
          return [];
        }
        return r.json();
      }),
    );
  }
  return cache.get(path);
}

export const referralsOf = (slug) => fetchJson(`/api/tenants/${encodeURIComponent(slug)}/referrals`);
const cannedOf = (slug, locale) =>
  fetchJson(`/api/tenants/${encodeURIComponent(slug)}/canned-replies?locale=${encodeURIComponent(locale)}`);

// The card is read by the visitor, in the conversation's language: its words come in every
// language with the page's config (server/web/console_context.py, texts `con_card_*`).
const CARD = CONFIG.card_words || {};

// A name is one string ("3114") or {fr, en} when the languages need different words.
export const referralName = (referral, locale = LOCALE) =>
  typeof referral.name === "string" ? referral.name : referral.name[locale] || referral.name.fr;

export function referralCard(referral, locale) {
  const words = CARD[locale] || CARD.fr || {};
  const local = (value) => (value ? value[locale] || value.fr || value.en : null);
  return [
    referralName(referral, locale),
    local(referral.description),
    referral.phone ? `${words.phone} ${referral.phone}` : null,
    referral.sms ? `${words.sms} ${referral.sms}` : null,
    local(referral.hours) ? `${words.hours} : ${local(referral.hours)}` : null,
    referral.url,
  ]
    .filter(Boolean)
    .join("\n");
}

export function sendReferral(conversation, referral) {
  conversation.post(referralCard(referral, conversation.summary.locale), "referral");
}

// --- canned replies -------------------------------------------------------------------

function setupCanned(conversation) {
  const { "canned-box": box, "canned-search": search, "canned-list": list, input } = conversation.refs;
  let replies = [];
  const render = () => {
    const words = search.value.trim().toLowerCase();
    const shown = replies.filter((r) => `${r.title} ${r.body} ${r.key}`.toLowerCase().includes(words));
    list.replaceChildren(
      ...shown.map((reply) =>
        el("li", {}, [
          el("button", { type: "button", class: "canned", on: { click: () => pick(reply) } }, [
            el("strong", { text: reply.title }),
            el("span", { text: reply.body }),
          ]),
        ]),
      ),
    );
    if (!shown.length) {
      // No match for what was typed is not the same as no reply at all.
      list.append(el("li", { class: "none", text: t(replies.length ? "con_js_no_canned_match" : "con_js_no_canned") }));
    }
  };
  const pick = (reply) => {
    const current = input.value.startsWith("/") ? "" : input.value;
    input.value = current ? `${current} ${reply.body}` : reply.body;
    box.open = false;
    input.focus();
  };
  const open = () => {
    box.open = true;
    search.focus();
    search.select();
  };
  cannedOf(conversation.summary.tenant, conversation.summary.locale).then((found) => {
    replies = found;
    render();
  });
  search.addEventListener("input", render);
  search.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      list.querySelector("button.canned")?.click();
    } else if (event.key === "ArrowDown") {
      event.preventDefault();
      list.querySelector("button.canned")?.focus();
    } else if (event.key === "Escape") {
      box.open = false;
      input.focus();
    }
  });
  list.addEventListener("keydown", (event) => {
    const buttons = [...list.querySelectorAll("button.canned")];
    const at = buttons.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && at >= 0) buttons[Math.min(at + 1, buttons.length - 1)].focus();
    else if (event.key === "ArrowUp" && at > 0) buttons[at - 1].focus();
    else if (event.key === "ArrowUp" && at === 0) search.focus();
    else if (event.key === "Escape") {
      box.open = false;
      input.focus();
    } else return;
    event.preventDefault();
  });
  // Ctrl+/ anywhere in the panel, or "/" as the first character of the message.
  conversation.panel.addEventListener("keydown", (event) => {
    if (event.key === "/" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      open();
    }
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "/" && !event.ctrlKey && !event.metaKey && input.value === "") {
      event.preventDefault();
      open();
    }
  });
}

// --- referrals ------------------------------------------------------------------------

function setupReferrals(conversation) {
  const { "referral-topic": topic, "referral-list": list } = conversation.refs;
  let referrals = [];
  const render = () => {
    const chosen = topic.value;
    const crisis = isCrisis(conversation.risk);
    const shown = referrals
      .filter((r) => !chosen || (r.topics || []).includes(chosen))
      .map((r, index) => ({ r, index }))
      // Crisis lines first when the risk is high; otherwise the tenant's own order. (The
      // API omits fields left at their default: no `emergency` means false.)
      .sort((a, b) => (crisis ? Number(Boolean(b.r.emergency)) - Number(Boolean(a.r.emergency)) : 0) || a.index - b.index)
      .map(({ r }) => r);
    list.replaceChildren(
      ...shown.map((referral) =>
        el("li", { class: referral.emergency ? "referral emergency" : "referral" }, [
          el("strong", { text: referralName(referral) }),
          referral.emergency ? el("span", { class: "tag", text: t("con_js_emergency") }) : null,
          referral.phone ? el("span", { text: `${t("con_js_phone")} ${referral.phone}` }) : null,
          el("button", {
            type: "button",
            text: t("con_send_referral"),
            "aria-label": `${t("con_send_referral")} : ${referralName(referral)}`,
            on: { click: () => sendReferral(conversation, referral) },
          }),
        ]),
      ),
    );
    if (!shown.length) list.append(el("li", { class: "none", text: t("con_js_no_referral") }));
  };
  referralsOf(conversation.summary.tenant).then((found) => {
    referrals = found;
    const topics = [...new Set(found.flatMap((r) => r.topics || []))].sort();
    topic.append(...topics.map((key) => el("option", { value: key, text: topicLabel(key) })));
    render();
  });
  topic.addEventListener("change", render);
  conversation.onRisk(render);
}

// --- transfer -------------------------------------------------------------------------

function setupTransfer(conversation) {
  const form = conversation.refs.transfer;
  const { team, colleague, note } = form.elements;
  team.append(...conversation.line.teams.map((x) => el("option", { value: x.slug, text: x.name })));
  colleague.append(
    ...conversation.line.colleagues.map((c) =>
      el("option", { value: c.id, text: c.name || `${t("con_js_partner_colleague")} ${c.id.slice(0, 8)}` }),
    ),
  );
  // One target: choosing a team clears the colleague and the other way round.
  team.addEventListener("change", () => team.value && (colleague.value = ""));
  colleague.addEventListener("change", () => colleague.value && (team.value = ""));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!team.value && !colleague.value) {
      team.focus();
      return;
    }
    const frame = { type: "transfer", conversation_id: conversation.id };
    if (team.value) frame.to_team = team.value;
    else frame.to_listener = colleague.value;
    if (note.value.trim()) frame.note = note.value.trim();
    conversation.send(frame);
  });
}

// --- end and wrap-up ------------------------------------------------------------------

function setupWrapup(conversation) {
  const form = conversation.refs.wrapup;
  const topics = new Set(conversation.line.topics);
  if (conversation.summary.topic) topics.add(conversation.summary.topic);
  conversation.refs["wrapup-topics"].append(
    ...[...topics].sort().map((key) =>
      el("label", { class: "inline" }, [
        el("input", { type: "checkbox", name: "topic", value: key, checked: key === conversation.summary.topic }),
        ` ${topicLabel(key)}`,
      ]),
    ),
  );
  const risk = form.elements.risk_level;
  risk.replaceChildren(...RISK_ORDER.map((level) => el("option", { value: level, text: riskLabel(level) })));
  risk.value = conversation.risk;
  conversation.onRisk((level) => (risk.value = level));
  conversation.refs["end-box"].addEventListener("toggle", () => {
    const assessment = conversation.assessmentText?.();
    if (conversation.refs["end-box"].open && assessment && !form.elements.note.value) {
      form.elements.note.value = assessment;
    }
  });
  // At high or imminent risk the outcome is never assumed, and saving asks once more.
  const outcome = form.elements.outcome;
  const submit = form.querySelector("button[type=submit]");
  const confirmNote = conversation.refs["wrapup-confirm"];
  const serious = () => isCrisis(risk.value) || isCrisis(conversation.risk);
  const preset = () => {
    if (outcome.dataset.touched) return;
    const left = ["visitor", "quick_exit", "inactivity", "visitor_left"].includes(conversation.endReason);
    const blocked = conversation.endReason === "blocked";
    outcome.value = serious() ? "" : left ? "visitor_left" : blocked ? "other" : "supported";
  };
  const unconfirm = () => {
    delete form.dataset.confirming;
    confirmNote.hidden = true;
    submit.textContent = t("con_js_wrapup_save");
  };
  preset();
  outcome.addEventListener("change", () => { outcome.dataset.touched = "1"; unconfirm(); });
  risk.addEventListener("change", () => { preset(); unconfirm(); });
  conversation.onRisk(preset);
  conversation.onFinish = () => {
    preset();
    conversation.refs["end-box"].open = true;
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (serious() && !form.dataset.confirming) {
      form.dataset.confirming = "1";
      confirmNote.hidden = false;
      submit.textContent = t("con_js_wrapup_confirm");
      submit.focus();
      return;
    }
    const wrapup = {
      topics: [...form.querySelectorAll("input[name=topic]:checked")].map((box) => box.value),
      risk_level: risk.value,
      outcome: outcome.value,
    };
    const note = form.elements.note.value.trim();
    if (note) wrapup.note = note.slice(0, 4000);
    conversation.send({ type: "end", conversation_id: conversation.id, wrapup });
    unconfirm();
  });
}

export function setupTools(conversation) {
  setupCanned(conversation);
  setupReferrals(conversation);
  setupTransfer(conversation);
  setupWrapup(conversation);
  setupBlock(conversation);
}
