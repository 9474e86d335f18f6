/* Havre chat, shared state and helpers. Texts come from the config; every body is set with
   textContent. State lives in sessionStorage only: the token, its expiry, the last seq, how
   far the listener has read (read marks are not stored on the server). */
var params = new URLSearchParams(location.search);
var slug = decodeURIComponent(location.pathname.split("/").pop());
var KEY = "havre:" + slug;
var DEVICE = "havre:device";
var app = document.getElementById("app");
var embedded = window.parent !== window;
/* The page that framed us: Chromium and Safari say it; elsewhere the loader passes it. */
var parentOrigin = (location.ancestorOrigins && location.ancestorOrigins[0]) || params.get("host") || "";
var config, T;
var session = null, lastSeq = 0, readSeq = 0, pending = [], ended = false, exiting = false, lastToken = null;
var ui = {};
/* Who answers, once someone has joined: {name} (their chosen alias), {role} (their team's). */
var answerer = null;

/* {role} is who answers on this line, as the config says ("un·e bénévole formé·e"). */
function t(key, vars) {
  var own = answerer && answerer.role, role = (own && own[config.locale]) || config.role || "";
  if (answerer && answerer.name && T[key + "_named"]) key += "_named";
  var s = T[key] || key;
  vars = Object.assign({ role: role, Role: role.charAt(0).toUpperCase() + role.slice(1),
    name: answerer && answerer.name }, vars);
  Object.keys(vars).forEach(function (k) { s = s.split("{" + k + "}").join(String(vars[k])); });
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
/* Posts only to the exact origin of the page that framed us, never "*". */
function tell(event, payload) {
  if (embedded && parentOrigin) window.parent.postMessage({ event: event, payload: payload || {} }, parentOrigin);
}
function fromParent(e) {
  return embedded && e.source === window.parent && e.origin === parentOrigin && e.data && typeof e.data.event === "string";
}
function save() {
  try {
    if (session && !exiting) {
      sessionStorage.setItem(KEY, JSON.stringify({ token: session.token, expires_at: session.expiresAt,
        renew_at: session.renewAt, last_seq: lastSeq, read_seq: readSeq, pending: pending }));
    } else sessionStorage.removeItem(KEY);
  } catch (e) { /* storage refused: the chat still works for this page */ }
}
function load() {
  try { return JSON.parse(sessionStorage.getItem(KEY) || "null"); } catch (e) { return null; }
}
/* The same URL with other query parameters (language switch, preview), the rest kept. */
function withParams(changes) {
  var next = new URLSearchParams(location.search);
  Object.keys(changes).forEach(function (k) { next.set(k, changes[k]); });
  return "?" + next.toString();
}
function applyPalette(p) {
  var s = document.documentElement.style;
  s.setProperty("--primary", p.primary);
  s.setProperty("--on-primary", p.on_primary);
  s.setProperty("--accent", p.accent);
}
function fetchConfig(locale) {
  return fetch("/api/widget/" + encodeURIComponent(slug) + "/config" + (locale ? "?locale=" + encodeURIComponent(locale) : ""))
    .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); });
}
function useConfig(c) {
  config = c;
  T = c.texts;
  document.documentElement.lang = c.locale;
  applyPalette(c.palette);
}
