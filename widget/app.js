/* Havre chat (inside the iframe). Texts come from the config; every body is set with
   textContent. State lives in sessionStorage only: the token and the last seq. */
(function () {
  "use strict";
  var params = new URLSearchParams(location.search);
  var slug = decodeURIComponent(location.pathname.split("/").pop());
  var KEY = "havre:" + slug;
  var app = document.getElementById("app");
  var parentOrigin = (location.ancestorOrigins && location.ancestorOrigins[0]) || params.get("host") || "";
  var embedded = window.parent !== window;
  var config, T;
  var ws = null, session = null, lastSeq = 0, retry = 0, pingTimer = null, renewTimer = null;
  var pending = [], bubbles = {}, typingTimer = null, lastTypingSent = 0, ended = false, exiting = false;
  var ui = {};

  function t(key, vars) {
    var s = T[key] || key;
    Object.keys(vars || {}).forEach(function (k) { s = s.split("{" + k + "}").join(String(vars[k])); });
    return s;
  }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "on") Object.keys(attrs.on).forEach(function (ev) { node.addEventListener(ev, attrs.on[ev]); });
      else if (attrs[k] === true) node.setAttribute(k, "");
      else if (attrs[k] !== false && attrs[k] != null) node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }
  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function tell(event, payload) {
    if (embedded && parentOrigin) window.parent.postMessage({ event: event, payload: payload || {} }, parentOrigin);
  }
  function save() {
    try {
      if (session) sessionStorage.setItem(KEY, JSON.stringify({ token: session.token, last_seq: lastSeq, pending: pending }));
      else sessionStorage.removeItem(KEY);
    } catch (e) { /* storage refused: the chat still works for this page */ }
  }
  function load() {
    try { return JSON.parse(sessionStorage.getItem(KEY) || "null"); } catch (e) { return null; }
  }

  /* ---- frame: header, emergency bar, body ---- */
  function shell() {
    app.textContent = "";
    var exit = el("button", { type: "button", class: "exit", id: "quick-exit", text: t("quick_exit"), on: { click: quickExit } });
    var head = el("header", {}, [
      el("h1", { text: config.name }),
      embedded ? el("button", { type: "button", class: "min", text: t("minimize"), on: { click: function () { tell("havre:close"); } } }) : null,
      exit
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
      config.topics.map(function (k) { return el("option", { value: k, text: k.replace(/-/g, " ") }); })));
    var lang = el("select", { id: "language", on: { change: function () {
      location.replace("?locale=" + lang.value + "&host=" + encodeURIComponent(params.get("host") || ""));
    } } }, [el("option", { value: "fr", text: "Français" }), el("option", { value: "en", text: "English" })]);
    lang.value = config.locale;
    var start = el("button", { type: "submit", id: "start", class: "primary", disabled: true, text: t("start") });
    consent.addEventListener("change", function () { start.disabled = !consent.checked; });
    var status = el("p", { id: "start-status", role: "status" });
    var form = el("form", { id: "prechat", on: { submit: function (e) {
      e.preventDefault();
      if (!consent.checked) return;
      start.disabled = true;
      status.textContent = t("starting");
      begin(topic.value || null).catch(function () {
        start.disabled = false;
        status.textContent = t("start_failed");
      });
    } } }, [
      welcome ? el("p", { text: welcome }) : null,
      el("p", { class: "hours", text: config.hours[config.locale] }),
      el("div", { class: "check" }, [consent, el("label", { for: "consent", text: t("consent") })]),
      config.topics.length ? el("label", { for: "topic", text: t("topic") }) : null,
      config.topics.length ? topic : null,
      el("label", { for: "language", text: t("language") }), lang,
      start, status
    ]);
    show([form]);
  }

  async function begin(topic) {
    var r = await fetch("/api/conversations", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ tenant: slug, locale: config.locale, consent: true, topic: topic })
    });
    if (r.status === 409) {
      var problem = await r.json();
      if (problem.referrals) config.referrals = problem.referrals;
      closedView();
      return;
    }
    if (!r.ok) throw new Error(String(r.status));
    var started = await r.json();
    session = { token: started.token };
    lastSeq = 0;
    save();
    chatView();
    ui.input.focus();
    queueLine(started.position, started.estimated_wait_seconds);
    connect();
  }

  /* ---- conversation ---- */
  function chatView() {
    ui.status = el("p", { id: "status", class: "status", role: "status" });
    ui.log = el("div", { id: "log", class: "log", role: "log", "aria-live": "polite", "aria-label": t("messages") });
    ui.typing = el("p", { id: "typing", class: "typing", hidden: true, text: t("typing") });
    ui.input = el("textarea", { id: "message", rows: "2", maxlength: "4000", on: { keydown: function (e) {
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
  function connect() {
    if (!session || ended) return;
    var proto = location.protocol === "https:" ? "wss://" : "ws://";
    ws = new WebSocket(proto + location.host + "/ws/visitor");
    ws.onopen = function () {
      retry = 0;
      ws.send(JSON.stringify({ type: "hello", token: session.token, last_seq: lastSeq }));
      clearInterval(pingTimer);
      pingTimer = setInterval(function () { send({ type: "ping" }); }, 25000);
    };
    ws.onmessage = function (e) { receive(JSON.parse(e.data)); };
    ws.onclose = function (e) {
      clearInterval(pingTimer);
      ws = null;
      if (ended || exiting) return;
      if (e.code === 4401 || e.code === 4404) { session = null; save(); return preChat(); }
      ui.status.textContent = t("reconnecting");
      ui.status.classList.add("warn");
      setTimeout(connect, Math.min(10000, 500 * Math.pow(2, retry++)));
    };
  }
  function send(frame) {
    if (ws && ws.readyState === 1) { ws.send(JSON.stringify(frame)); return true; }
    return false;
  }
  function typing() {
    var now = Date.now();
    if (now - lastTypingSent > 3000 && send({ type: "typing" })) lastTypingSent = now;
  }
  function submit() {
    var body = ui.input.value.trim();
    if (!body || ended) return;
    ui.input.value = "";
    var item = { client_id: uuid(), body: body };
    pending.push(item);
    save();
    bubble("visitor", body, item.client_id, null);
    mark(item.client_id, "pending");
    send({ type: "send", client_id: item.client_id, body: body });
  }
  function bubble(author, body, clientId, seq) {
    var key = clientId || "seq" + seq;
    if (bubbles[key]) { if (seq) bubbles[key].dataset.seq = seq; return bubbles[key]; }
    var who = author === "visitor" ? t("you") : author === "system" ? t("system") : t("listener");
    var li = el("div", { class: "msg " + author }, [
      el("span", { class: "sr", text: who + " : " }),
      el("p", { text: body }),
      author === "visitor" ? el("span", { class: "mark" }) : null
    ]);
    if (seq) li.dataset.seq = seq;
    bubbles[key] = li;
    ui.log.appendChild(li);
    ui.log.scrollTop = ui.log.scrollHeight;
    return li;
  }
  function mark(clientId, what) {
    var li = bubbles[clientId];
    var m = li && li.querySelector(".mark");
    if (m && !(m.dataset.state === "read" && what !== "read")) { m.dataset.state = what; m.textContent = t(what); }
  }
  function acked(clientId, seq) {
    pending = pending.filter(function (p) { return p.client_id !== clientId; });
    if (bubbles[clientId]) bubbles[clientId].dataset.seq = seq;
    mark(clientId, "delivered");
    save();
  }
  function receive(f) {
    switch (f.type) {
      case "welcome":
        ui.status.classList.remove("warn");
        if (f.state === "active") ui.status.textContent = t("active");
        pending.forEach(function (p) { send({ type: "send", client_id: p.client_id, body: p.body }); });
        if (f.state === "ended" || f.state === "abandoned" || f.state === "missed") finish(f.state);
        break;
      case "message":
        if (f.seq > lastSeq) lastSeq = f.seq;
        if (f.author === "visitor") { bubble("visitor", f.body, f.client_id, f.seq); acked(f.client_id, f.seq); }
        else {
          bubble(f.kind === "event" ? "system" : f.author, f.body, null, f.seq);
          ui.typing.hidden = true;
          if (document.visibilityState === "visible") send({ type: "read", seq: f.seq });
        }
        save();
        break;
      case "ack":
        if (f.seq > lastSeq) lastSeq = f.seq;
        acked(f.client_id, f.seq);
        break;
      case "queue":
        queueLine(f.position, f.estimated_wait_seconds);
        break;
      case "state":
        if (f.state === "active") ui.status.textContent = t("active");
        else if (f.state !== "queued") finish(f.state);
        break;
      case "typing":
        ui.typing.hidden = false;
        clearTimeout(typingTimer);
        typingTimer = setTimeout(function () { ui.typing.hidden = true; }, 5000);
        break;
      case "read":
        Object.keys(bubbles).forEach(function (k) {
          var li = bubbles[k];
          if (li.classList.contains("visitor") && li.dataset.seq && +li.dataset.seq <= f.seq) mark(k, "read");
        });
        break;
      case "warning":
        bubble("system", t("warning_" + f.kind, { minutes: f.minutes_left }), null, "w" + Date.now());
        break;
      case "token":
        session.token = f.token;
        save();
        break;
      case "error":
        if (f.client_id) {
          pending = pending.filter(function (p) { return p.client_id !== f.client_id; });
          save();
        }
        bubble("system", T["error_" + f.code] || f.message, null, "e" + Date.now());
        break;
    }
    if (f.type === "welcome" || f.type === "token") scheduleRenew();
  }
  function scheduleRenew() {
    clearTimeout(renewTimer);
    renewTimer = setTimeout(function () { send({ type: "renew" }); }, 30 * 60 * 1000);
  }
  function finish(state) {
    if (ended) return;
    ended = true;
    var wasActive = state === "ended";
    lastToken = session && session.token;
    session = null;
    pending = [];
    save();
    ui.composer.hidden = true;
    ui.end.hidden = true;
    ui.typing.hidden = true;
    ui.status.textContent = state === "missed" ? t("missed") : t("ended");
    tell("havre:ended", { state: state });
    var after = [];
    if (wasActive) after.push(rating());
    if (state === "missed") after.push(referralList());
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
  function rate(n, box) {
    box.textContent = "";
    box.appendChild(el("p", { role: "status", text: t("rated") }));
    if (send({ type: "rate", rating: n }) || !lastToken) return;
    /* The socket was lost after the end: one short connection carries the rating. */
    var token = lastToken;
    var sock = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws/visitor");
    sock.onopen = function () {
      sock.send(JSON.stringify({ type: "hello", token: token, last_seq: lastSeq }));
      sock.send(JSON.stringify({ type: "rate", rating: n }));
      setTimeout(function () { sock.close(1000); }, 1000);
    };
  }
  var lastToken = null;

  window.addEventListener("offline", function () { if (ws) ws.close(); });
  window.addEventListener("online", function () { retry = 0; if (!ws && session) connect(); });

  /* ---- quick exit ---- */
  function quickExit() {
    if (exiting) return;
    exiting = true;
    document.body.hidden = true;
    app.textContent = "";
    send({ type: "end" });
    try { sessionStorage.clear(); } catch (e) { /* nothing to clear */ }
    if (embedded) tell("havre:quick-exit");
    else location.replace(config ? config.exit_url : "about:blank");
    setTimeout(function () { if (ws) ws.close(1000); }, 200);
  }
  var shifts = [];
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && embedded) tell("havre:close");
    if (e.key !== "Shift" || e.repeat) return;
    var now = Date.now();
    shifts = shifts.filter(function (s) { return now - s < 1500; });
    shifts.push(now);
    if (shifts.length >= 3) quickExit();
  });
  window.addEventListener("message", function (e) {
    if (e.source !== window.parent || e.origin !== parentOrigin) return;
    if (e.data && e.data.event === "havre:opened") { wantFocus = true; focusFirst(); }
  });
  var wantFocus = !embedded;
  function focusFirst() {
    if (!wantFocus || !ui.body) return;
    var target = ui.composer && !ui.composer.hidden ? ui.input : ui.body.querySelector("input, select, textarea, button, a[href]");
    if (target) { target.focus(); wantFocus = false; }
  }

  /* ---- start ---- */
  fetch("/api/widget/" + encodeURIComponent(slug) + "/config?locale=" + encodeURIComponent(params.get("locale") || ""))
    .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
    .then(function (c) {
      config = c;
      T = c.texts;
      document.documentElement.lang = c.locale;
      document.documentElement.style.setProperty("--primary", c.branding.primary_color);
      document.documentElement.style.setProperty("--on-primary", c.branding.text_color);
      shell();
      var saved = load();
      if (saved && saved.token) {
        session = { token: saved.token };
        pending = saved.pending || [];
        lastSeq = 0; /* a new page repaints the whole history */
        chatView();
        pending.forEach(function (p) { bubble("visitor", p.body, p.client_id, null); mark(p.client_id, "pending"); });
        connect();
      } else if (c.accepting) preChat();
      else closedView();
      focusFirst();
    })
    .catch(function () { app.textContent = "Havre: indisponible / unavailable"; });
})();
