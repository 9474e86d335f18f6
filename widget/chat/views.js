/* ---- views: the frame (header, emergency bar), closed line, pre-chat, conversation ---- */
function shell() {
  app.textContent = "";
  var logo = config.branding.logo_url;
  var head = el("header", {}, [
    logo ? el("img", { class: "logo", src: logo, alt: "" }) : null,
    el("h1", { text: config.name }),
    embedded ? el("button", { type: "button", class: "min", text: t("minimize"), on: { click: function () { tell("havre:close"); } } }) : null,
    el("button", { type: "button", class: "exit", id: "quick-exit", text: t("quick_exit"), on: { click: quickExit } })
  ]);
  var urgent = config.referrals.filter(function (r) { return r.emergency; });
  var bar = urgent.length ? el("nav", { class: "urgent", "aria-label": t("emergency") },
    [el("span", { text: t("emergency") })].concat(urgent.map(link))) : null;
  ui.body = el("div", { class: "body" });
  app.append(head, bar || document.createTextNode(""), ui.body,
    el("p", { class: "hint", text: t("quick_exit_hint") }));
  app.removeAttribute("aria-busy");
}
function link(r) {
  var href = r.phone ? "tel:" + r.phone.replace(/ /g, "") : r.sms ? "sms:" + r.sms.replace(/ /g, "") : r.url;
  return el("a", { href: href, class: "ref", target: r.url && !r.phone && !r.sms ? "_blank" : null, rel: "noopener",
    text: r.name + (r.phone ? " " + r.phone : r.sms ? " " + r.sms : "") });
}
function referralList() {
  var items = config.referrals.map(function (r) {
    var ways = [];
    if (r.phone) ways.push(el("a", { href: "tel:" + r.phone.replace(/ /g, ""), text: t("call") + " " + r.phone }));
    if (r.sms) ways.push(el("a", { href: "sms:" + r.sms.replace(/ /g, ""), text: t("text") + " " + r.sms }));
    if (r.url) ways.push(el("a", { href: r.url, target: "_blank", rel: "noopener", text: t("website") }));
    return el("li", {}, [el("strong", { text: r.name }),
      r.hours ? el("span", { class: "muted", text: " · " + r.hours }) : null,
      r.description ? el("p", { text: r.description }) : null,
      el("p", { class: "ways" }, ways)]);
  });
  return el("section", { class: "referrals", "aria-labelledby": "ref-title" },
    [el("h2", { id: "ref-title", text: t("referrals_title") }), el("ul", {}, items)]);
}
function show(nodes) { ui.body.textContent = ""; nodes.forEach(function (n) { if (n) ui.body.appendChild(n); }); }

function closedView(note) {
  show([
    el("h2", { id: "closed", text: note || t("closed_title") }),
    el("p", { class: "hours", text: config.hours[config.locale] }),
    referralList()
  ]);
}
function preChat() {
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
    config.topics.length ? el("label", { for: "topic", text: t("topic") }) : null,
    config.topics.length ? topic : null,
    el("label", { for: "language", text: t("language") }), lang,
    start, status
  ]);
  show([form]);
}

function chatView() {
  ui.status = el("p", { id: "status", class: "status", role: "status" });
  ui.log = el("div", { id: "log", class: "log", role: "log", "aria-live": "polite", "aria-label": t("messages") });
  ui.typing = el("p", { id: "typing", class: "typing", hidden: true, text: t("typing") });
  ui.input = el("textarea", { id: "message", rows: "2", maxlength: String(config.max_message_chars), on: { keydown: function (e) {
    if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); submit(); }
  }, input: typing } });
  var form = el("form", { id: "composer", class: "composer", on: { submit: function (e) { e.preventDefault(); submit(); } } }, [
    el("label", { for: "message", class: "sr", text: t("message_label") }), ui.input,
    el("button", { type: "submit", class: "primary", id: "send", text: t("send") })
  ]);
  ui.end = el("button", { type: "button", id: "end", class: "link", text: t("end"), on: { click: function () {
    send({ type: "end" });
  } } });
  ui.after = el("div", { id: "after" });
  ui.composer = form;
  show([ui.status, ui.log, ui.typing, form, ui.end, ui.after]);
}
function queueLine(position, seconds) {
  var s = t("queue", { position: position });
  if (seconds != null) s += " " + t("wait", { minutes: Math.max(1, Math.round(seconds / 60)) });
  ui.status.textContent = s;
}
function bubble(author, body, clientId, seq, extra) {
  var key = clientId || "seq" + seq;
  if (bubbles[key]) { if (seq) bubbles[key].dataset.seq = seq; return bubbles[key]; }
  var who = author === "visitor" ? t("you") : author === "system" ? t("system") : t("listener");
  var li = el("div", { class: "msg " + author + (extra ? " " + extra : "") }, [
    el("span", { class: "sr", text: who + " : " }),
    el("p", { text: body }),
    author === "visitor" ? el("span", { class: "mark" }) : null
  ]);
  if (typeof seq === "number") li.dataset.seq = seq;
  bubbles[key] = li;
  ui.log.appendChild(li);
  ui.log.scrollTop = ui.log.scrollHeight;
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
function finish(state) {
  if (ended) return;
  ended = true;
  lastToken = session && session.token;
  session = null;
  pending = [];
  save();
  ui.composer.hidden = true;
  ui.end.hidden = true;
  ui.typing.hidden = true;
  ui.status.textContent = t(state === "missed" || state === "abandoned" ? state : "ended");
  tell("havre:ended", { state: state });
  var after = [];
  if (state === "ended") after.push(rating());
  if (state === "missed" || state === "abandoned") after.push(referralList());
  after.push(el("button", { type: "button", class: "link", id: "new-chat", text: t("new_chat"), on: { click: function () {
    location.reload();
  } } }));
  after.forEach(function (n) { ui.after.appendChild(n); });
}
function rating() {
  var box = el("fieldset", { id: "rating" }, [el("legend", { text: t("rate") })]);
  [1, 2, 3, 4, 5].forEach(function (n) {
    box.appendChild(el("button", { type: "button", class: "star", "aria-label": t("rate_value", { n: n }), text: String(n), on: { click: function () {
      rate(n, box);
    } } }));
  });
  return box;
}
