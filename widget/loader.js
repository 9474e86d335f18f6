/* Havre widget loader: <script src="https://HOST/widget.js" data-tenant="SLUG" async>.
   No cookie, no storage on the host page, one global (Havre), closed shadow root. */
(function () {
  "use strict";
  if (window.Havre) return;
  var script = document.currentScript;
  if (!script || !script.dataset.tenant) {
    console.error("Havre: data-tenant is missing on the widget script tag");
    return;
  }
  var origin = new URL(script.src).origin;
  var slug = script.dataset.tenant;
  var locale = script.dataset.locale || "";
  var configUrl = origin + "/api/widget/" + encodeURIComponent(slug) + "/config" + (locale ? "?locale=" + encodeURIComponent(locale) : "");
  var listeners = {};
  var config = null, fetchedAt = 0, frame = null, root = null, button = null, panel = null;
  var opened = false, wantOpen = script.dataset.open != null, shifts = [];
  var FULL = "(max-width:480px),(max-height:500px),(pointer:coarse) and (max-width:900px)";

  function emit(name, payload) {
    (listeners[name] || []).slice().forEach(function (fn) {
      try { fn(payload); } catch (e) { console.error(e); }
    });
  }
  function toFrame(event, payload) {
    if (frame && frame.contentWindow) frame.contentWindow.postMessage({ event: event, payload: payload }, origin);
  }
  function getConfig() {
    return fetch(configUrl, { credentials: "omit" }).then(function (r) {
      if (!r.ok) throw new Error("unknown tenant " + JSON.stringify(slug) + " (" + r.status + ")");
      return r.json();
    }).then(function (c) { config = c; fetchedAt = Date.now(); return c; });
  }
  /* The chat uses the config we already have (one fetch on the whole path), unless it is
     older than its own cache lifetime: then a fresh one (a 304 when nothing changed). */
  function handOver() {
    (Date.now() - fetchedAt < 60000 ? Promise.resolve(config) : getConfig())
      .then(function (c) { toFrame("havre:config", c); }, function () { toFrame("havre:config", null); });
  }
  function quickExit() {
    panel.hidden = true;
    toFrame("havre:quick-exit");
    /* The chat answers once it has ended the conversation and cleared its storage; go anyway. */
    setTimeout(leave, 500);
  }
  function leave() { panel.hidden = true; location.replace(config.exit_url); }
  /* On the host page once the chat was opened, minimised or not; only Shift taps (capitals
     typed with Shift reset the count); nothing is ever prevented. */
  function onKey(e) {
    if (e.key !== "Shift") { shifts = []; return; }
    if (e.repeat) return;
    var now = Date.now();
    shifts = shifts.filter(function (s) { return now - s < 1500; });
    shifts.push(now);
    if (shifts.length >= 3) { shifts = []; quickExit(); }
  }
  /* Full screen (phones, landscape): the panel follows the visual viewport, so an on-screen
     keyboard never covers the composer. */
  function fit() {
    var v = window.visualViewport, s = panel.style;
    if (v && opened && matchMedia(FULL).matches) {
      s.setProperty("top", v.offsetTop + "px");
      s.setProperty("height", v.height + "px");
    } else { s.removeProperty("top"); s.removeProperty("height"); }
  }
  /* A site the tenant has not allowed cannot frame the chat: the emergency numbers and a
     link to the chat on its own page instead of a blocked frame. */
  function fallback() {
    var box = document.createElement("div"), a = document.createElement("a"), shut = document.createElement("button");
    box.className = "f";
    a.href = origin + "/c/" + encodeURIComponent(slug) + "?locale=" + config.locale;
    a.target = "_blank";
    a.rel = "noopener";
    a.textContent = config.texts.open_hosted;
    shut.type = "button";
    shut.textContent = config.texts.minimize;
    shut.addEventListener("click", close);
    box.append(a, config.texts.emergency);
    config.referrals.forEach(function (r) {
      var n = document.createElement("a"), number = r.phone || r.sms;
      if (!r.emergency || !number) return;
      n.href = (r.phone ? "tel:" : "sms:") + number.replace(/ /g, "");
      n.textContent = r.name.indexOf(number) < 0 ? r.name + " " + number : r.name;
      box.append(n);
    });
    box.append(shut);
    panel.append(box);
    frame = box;
  }
  function open() {
    if (!root) { wantOpen = true; return; }
    if (opened) return;
    opened = true;
    if (!frame && config.allowed_origins.indexOf(location.origin) < 0) fallback();
    else if (!frame) {
      frame = document.createElement("iframe");
      frame.title = config.texts.frame_title;
      frame.src = origin + "/w/" + encodeURIComponent(slug) + "?locale=" + config.locale +
        "&host=" + encodeURIComponent(location.origin) + "&cfg=1";
      frame.addEventListener("load", function () { if (opened) { frame.focus(); toFrame("havre:opened"); } });
      panel.appendChild(frame);
      document.addEventListener("keydown", onKey, true);
    } else {
      frame.focus();
      toFrame("havre:opened");
    }
    panel.hidden = false;
    if (!frame.contentWindow) frame.firstChild.focus();
    fit();
    button.setAttribute("aria-expanded", "true");
    emit("open");
  }
  function close() {
    if (!opened) return;
    opened = false;
    panel.hidden = true;
    button.setAttribute("aria-expanded", "false");
    shifts = [];
    button.focus();
    emit("close");
  }
  function draw() {
    var p = config.palette;
    var side = script.dataset.position || config.branding.position;
    side = side === "left" ? "left" : "right";
    var host = document.createElement("havre-widget");
    var important = { all: "initial", position: "fixed", bottom: "0", width: "0", height: "0",
      "z-index": "2147483647", display: "block", visibility: "visible", opacity: "1" };
    important[side] = "0";
    Object.keys(important).forEach(function (k) { host.style.setProperty(k, important[k], "important"); });
    root = host.attachShadow({ mode: "closed" });
    var css =
      ":host{all:initial!important}" +
      "*{box-sizing:border-box}" +
      "button{all:initial;display:block!important;visibility:visible!important;position:fixed;bottom:16px;" + side + ":16px;" +
      "font:600 16px/1.2 system-ui,sans-serif;padding:12px 18px;border-radius:24px;cursor:pointer;" +
      "background:" + p.primary + ";color:" + p.on_primary + ";box-shadow:0 2px 8px rgba(0,0,0,.3)}" +
      "button:focus-visible{outline:3px solid #000;outline-offset:2px;box-shadow:0 0 0 5px #fff}" +
      ".p{all:initial;display:block;position:fixed;bottom:72px;" + side + ":16px;width:400px;max-width:calc(100vw - 16px);" +
      "height:680px;max-height:calc(100vh - 88px);background:#fff;border-radius:12px;overflow:hidden;box-shadow:0 4px 24px rgba(0,0,0,.35)}" +
      ".p[hidden]{display:none}" +
      "iframe{border:0;width:100%;height:100%;display:block}" +
      ".f{display:flex;flex-direction:column;gap:12px;padding:16px;font:16px/1.4 system-ui,sans-serif;color:#1a1a1a}.f a{color:#8a0000;font-weight:700}" +
      ".f button{position:static;box-shadow:none;background:#fff;color:#1a1a1a;border:1px solid;border-radius:6px;padding:8px 12px;align-self:flex-start}" +
      /* Phones, touch screens and landscape: the chat fills the screen (it has its own
         minimise button). */
      "@media " + FULL + "{.p{top:0;bottom:auto;left:0;right:0;width:100%;max-width:none;height:100vh;height:100dvh;max-height:none;border-radius:0}" +
      ".p:not([hidden])~button{display:none!important}}";
    // A constructed sheet is not an inline style: hosts whose policy forbids those still
    // get a styled launcher. Older browsers get a <style> element.
    var sheet = null;
    try { sheet = new CSSStyleSheet(); sheet.replaceSync(css); root.adoptedStyleSheets = [sheet]; }
    catch (e) { sheet = null; }
    button = document.createElement("button");
    button.type = "button";
    var label = config.branding.launcher_label;
    button.textContent = label ? label[config.locale] : config.texts.launcher;
    button.setAttribute("aria-expanded", "false");
    button.addEventListener("click", function () { opened ? close() : open(); });
    panel = document.createElement("div");
    panel.className = "p";
    panel.hidden = true;
    if (!sheet) { var style = document.createElement("style"); style.textContent = css; root.append(style); }
    root.append(panel, button);
    (document.body || document.documentElement).appendChild(host);
    if (window.visualViewport) { visualViewport.addEventListener("resize", fit); visualViewport.addEventListener("scroll", fit); }
    if (wantOpen) open();
  }
  window.addEventListener("message", function (e) {
    if (e.origin !== origin || !frame || e.source !== frame.contentWindow) return;
    var d = e.data || {};
    if (d.event === "havre:ready") handOver();
    else if (d.event === "havre:quick-exit") leave();
    else if (d.event === "havre:close") close();
    else if (d.event === "havre:ended") emit("conversation:ended", d.payload || {});
  });
  window.Havre = Object.freeze({
    open: open,
    close: close,
    on: function (name, fn) {
      (listeners[name] = listeners[name] || []).push(fn);
      return function () {
        var list = listeners[name] || [];
        var i = list.indexOf(fn);
        if (i >= 0) list.splice(i, 1);
      };
    }
  });
  getConfig()
    .then(function () { if (document.body) draw(); else document.addEventListener("DOMContentLoaded", draw); })
    .catch(function (err) { console.error("Havre: widget not shown: " + err.message); });
})();
