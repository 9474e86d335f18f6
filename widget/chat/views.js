/* ---- views: the frame (header, emergency strip), closed line, pre-chat, conversation ---- */
var touch = window.matchMedia && matchMedia("(pointer: coarse)").matches;
function shell() {
  app.textContent = "";
  document.title = config.name;
  var logo = config.branding.logo_url;
  var head = el("header", {}, [
    logo ? el("img", { class: "logo", src: logo, alt: "" }) : null,
    el("h1", { text: config.name }),
    embedded ? el("button", { type: "button", class: "min", text: t("minimize"), on: { click: function () { tell("havre:close"); } } }) : null,
    el("button", { type: "button", class: "exit", id: "quick-exit", text: t("quick_exit"), on: { click: quickExit } })
  ]);
  ui.body = el("div", { class: "body" });
  app.append(head, urgentStrip() || document.createTextNode(""), ui.body);
  app.removeAttribute("aria-busy");
}
function digits(n) { return n.replace(/ /g, ""); }
/* One line of emergency numbers, each a real tel:/sms: link; "more" opens the full cards. */
function urgentStrip() {
  var urgent = config.referrals.filter(function (r) { return r.emergency && (r.phone || r.sms); });
  if (!urgent.length) return null;
  var list = el("ul", { id: "urgent-list", class: "cards", hidden: true }, urgent.map(card));
  var more = el("button", { type: "button", class: "more", "aria-expanded": "false", "aria-controls": "urgent-list", text: t("more"), on: { click: function () {
    ui.showUrgent(list.hidden);
  } } });
  ui.showUrgent = function (open) {
    list.hidden = !open;
    more.setAttribute("aria-expanded", String(open));
    more.textContent = t(open ? "less" : "more");
  };
  var quick = urgent.slice(0, 3).map(function (r) {
    return el("a", { href: r.phone ? "tel:" + digits(r.phone) : "sms:" + digits(r.sms), "aria-label": (r.phone ? t("call") : t("text")) + " " + (r.phone || r.sms) + ", " + r.name,
      text: r.phone ? r.phone : t("text") + " " + r.sms });
  });
  return el("nav", { class: "urgent", "aria-label": t("emergency") }, [
    el("p", { class: "strip" }, [el("span", { text: t("emergency") + " :" })].concat(quick, [more])), list]);
}
/* A referral as a card with buttons to call, text or open its site: the closed screen, the
   emergency list and the cards a listener sends all use it. */
function card(r) {
  var ways = [];
  if (r.phone) ways.push(el("a", { href: "tel:" + digits(r.phone), text: t("call") + " " + r.phone }));
  if (r.sms) ways.push(el("a", { href: "sms:" + digits(r.sms), text: t("text") + " " + r.sms }));
  if (r.url) ways.push(el("a", { href: r.url, target: "_blank", rel: "noopener", text: t("website") }));
  return el("li", { class: "card" }, [el("strong", { text: r.name }),
    r.hours ? el("span", { class: "muted", text: " · " + r.hours }) : null,
    r.description ? el("p", { text: r.description }) : null,
    el("p", { class: "ways" }, ways)]);
}
function referralList(only) {
  var items = config.referrals.filter(function (r) { return !only || r.emergency; });
  return el("section", { class: "referrals", "aria-label": t("referrals_title") },
    [el("h2", { text: t(only ? "crisis_title" : "referrals_title") }), el("ul", { class: "cards" }, items.map(card))]);
}
function hint() { return el("p", { class: "hint", text: t(touch ? "quick_exit_hint_touch" : "quick_exit_hint") }); }
function show(nodes) {
  ui.body.textContent = "";
  ui.body.className = "body";
  nodes.forEach(function (n) { if (n) ui.body.appendChild(n); });
}

function closedView(note) {
  show([
    el("h2", { id: "closed", tabindex: "-1", text: note || t("closed_title") }),
    el("p", { class: "hours", text: config.hours[config.locale] }),
    referralList(), hint()
  ]);
  ui.body.scrollTop = 0;
}
/* Open, but not in this language: say so, and offer the language that is answered now. */
function otherLanguageView(open) {
  var other = open[0];
  show([
    el("h2", { id: "closed", text: t("lang_closed", { lang: t("lang_" + config.locale) }) }),
    el("p", { text: t("lang_open", { lang: t("lang_" + other) }) }),
    el("button", { type: "button", id: "switch-language", class: "primary", lang: other, text: t("write_in_" + other), on: { click: function () {
      location.replace(withParams({ locale: other }));
    } } }),
    referralList(), hint()
  ]);
}
function preChat() {
  var open = config.languages_open || [config.locale];
  if (open.indexOf(config.locale) < 0) return open.length ? otherLanguageView(open) : closedView();
  var welcome = config.branding.welcome ? config.branding.welcome[config.locale] : null;
  var consent = el("input", { type: "checkbox", id: "consent", required: true });
  var topic = el("select", { id: "topic" }, [el("option", { value: "", text: t("topic_none") })].concat(
    config.topics.map(function (k) { return el("option", { value: k, text: (config.topic_labels || {})[k] || k.replace(/-/g, " ") }); })));
  var lang = el("select", { id: "language", on: { change: function () {
    location.replace(withParams({ locale: lang.value }));
  } } }, [el("option", { value: "fr", text: "Français" }), el("option", { value: "en", text: "English" })]);
  lang.value = config.locale;
  var start = el("button", { type: "submit", id: "start", class: "primary", disabled: true, text: t("start") });
  consent.addEventListener("change", function () { start.disabled = !consent.checked || !begin; });
  var status = el("p", { id: "start-status", role: "status" });
  var form = el("form", { id: "prechat", on: { submit: function (e) {
    e.preventDefault();
    if (!consent.checked || !begin) return;
    start.disabled = true;
    status.textContent = t("starting");
    begin(topic.value || null).catch(function () {
      start.disabled = false;
      status.textContent = t("start_failed");
    });
  } } }, [
    welcome ? el("p", { id: "welcome", text: welcome }) : null,
    el("p", { class: "hours", text: config.hours[config.locale] }),
    el("div", { class: "check" }, [consent, el("label", { for: "consent", text: t("consent") })]),
    el("div", { class: "row" }, [
      config.topics.length ? el("p", {}, [el("label", { for: "topic", text: t("topic") }), topic]) : null,
      el("p", {}, [el("label", { for: "language", text: t("language") }), lang])
    ]),
    start, status
  ]);
  show([form, hint()]);
  /* A line that asks for a puzzle: solved while the visitor reads (not in the preview). */
  if (begin) prepareChallenge();
}

function chatView() {
  ui.status = el("p", { id: "status", class: "status", role: "status" });
  ui.end = el("button", { type: "button", id: "end", class: "link", text: t("end"), on: { click: function () { confirmEnd(true); } } });
  ui.log = el("div", { id: "log", class: "log", role: "log", "aria-live": "polite", "aria-label": t("messages") });
  ui.typing = el("p", { id: "typing", class: "typing", hidden: true, text: t("typing") });
  ui.input = el("textarea", { id: "message", rows: "2", maxlength: String(config.max_message_chars), on: { keydown: function (e) {
    if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); submit(); }
  }, input: typing, focus: function () { setTimeout(newest, 300); } } });
  var form = el("form", { id: "composer", class: "composer", on: { submit: function (e) { e.preventDefault(); submit(); } } }, [
    el("label", { for: "message", class: "sr", text: t("message_label") }), ui.input,
    el("button", { type: "submit", class: "primary", id: "send", text: t("send") })
  ]);
  /* Ending is never one tap: the composer gives way to a question with both answers. */
  ui.confirm = el("div", { id: "confirm-end", class: "confirm", role: "group", "aria-labelledby": "confirm-q", hidden: true }, [
    el("p", { id: "confirm-q", text: t("end_confirm") }),
    el("button", { type: "button", id: "end-yes", class: "primary", text: t("end_yes"), on: { click: function () {
      confirmEnd(false);
      send({ type: "end" });
    } } }),
    el("button", { type: "button", id: "end-no", text: t("end_no"), on: { click: function () { confirmEnd(false); ui.input.focus(); } } })
  ]);
  ui.after = el("div", { id: "after" });
  ui.composer = form;
  show([el("div", { class: "chatbar" }, [ui.status, ui.end]), ui.log, ui.typing, form, ui.confirm, ui.after]);
  ui.body.className = "body chat";
}
function confirmEnd(asking) {
  ui.composer.hidden = asking;
  ui.confirm.hidden = !asking;
  ui.end.setAttribute("aria-expanded", String(asking));
  if (asking) ui.confirm.querySelector("#end-no").focus();
}
function newest() { ui.log.scrollTop = ui.log.scrollHeight; }
function queueLine(position, seconds, anyone) {
  var s = t("queue", { position: position });
  if (anyone === false) s += " " + t("nobody");
  else if (seconds != null) s += " " + t("wait", { minutes: Math.max(1, Math.round(seconds / 60)) });
  ui.status.textContent = s;
}
function clock(at) {
  return at ? new Date(at).toLocaleTimeString(config.locale, { hour: "2-digit", minute: "2-digit" }) : "";
}
/* A card a listener sent: the line's own card when its name is known, else its lines with
   numbers and addresses made into links. */
function referralBody(body) {
  var lines = body.split("\n");
  var known = config.referrals.filter(function (r) { return r.name === lines[0]; })[0];
  if (known) return el("ul", { class: "cards" }, [card(known)]);
  return el("div", { class: "card" }, lines.map(function (line, i) {
    var url = /^https?:\/\/\S+$/.test(line), phone = line.match(/(\+?\d[\d ]{1,16}\d)\s*$/);
    if (url) return el("p", {}, [el("a", { href: line, target: "_blank", rel: "noopener", text: line })]);
    if (phone && i) return el("p", {}, [el("a", { href: "tel:" + digits(phone[1]), text: line })]);
    return el(i ? "p" : "strong", { text: line });
  }));
}
function bubble(author, body, clientId, seq, extra, at) {
  var key = clientId || "seq" + seq;
  if (bubbles[key]) { if (seq) bubbles[key].dataset.seq = seq; return bubbles[key]; }
  var who = author === "visitor" ? t("you") : author === "system" ? t("system") : t("listener");
  var li = el("div", { class: "msg " + author + (extra ? " " + extra : "") }, [
    el("span", { class: "sr", text: who + " : " }),
    extra === "referral" ? referralBody(body) : el("p", { text: body }),
    author !== "system" ? el("span", { class: "meta" }, [
      el("time", { text: clock(at || Date.now()) }),
      author === "visitor" ? el("span", { class: "mark" }) : null]) : null
  ]);
  if (typeof seq === "number") li.dataset.seq = seq;
  bubbles[key] = li;
  ui.log.appendChild(li);
  newest();
  return li;
}
var bubbles = {}, notes = 0;
/* A line from Havre itself (warnings, errors): never confused with a message's seq. */
function note(text, extra) { return bubble("system", text, "note" + notes++, null, extra); }
function mark(clientId, what) {
  var li = bubbles[clientId];
  var m = li && li.querySelector(".mark");
  if (m && !(m.dataset.state === "read" && what !== "read")) { m.dataset.state = what; m.textContent = t(what); }
}
function finish(state, crisis) {
  if (ended) return;
  ended = true;
  lastToken = session && session.token;
  session = null;
  pending = [];
  save();
  ui.composer.hidden = true;
  ui.confirm.hidden = true;
  ui.end.hidden = true;
  ui.typing.hidden = true;
  ui.status.textContent = t(state === "missed" || state === "abandoned" ? state : "ended");
  tell("havre:ended", { state: state });
  var after = [];
  if (crisis) after.push(el("p", { id: "crisis-note", class: "notice", text: t("crisis_note") }), referralList(true));
  if (state === "ended") after.push(rating());
  if (state === "missed" || state === "abandoned") after.push(referralList());
  after.push(el("button", { type: "button", class: "link", id: "new-chat", text: t("new_chat"), on: { click: function () {
    location.reload();
  } } }));
  after.forEach(function (n) { ui.after.appendChild(n); });
  ui.body.className = "body ended";
}
function rating() {
  var box = el("fieldset", { id: "rating" }, [el("legend", { text: t("rate") })]);
  var scale = el("div", { class: "stars" });
  [1, 2, 3, 4, 5].forEach(function (n) {
    scale.appendChild(el("button", { type: "button", class: "star", "aria-label": t("rate_value", { n: n }), text: String(n), on: { click: function () {
      rate(n, box);
    } } }));
  });
  box.append(scale, el("p", { class: "scale muted", "aria-hidden": "true" }, [el("span", { text: t("rate_low") }), el("span", { text: t("rate_high") })]));
  return box;
}
