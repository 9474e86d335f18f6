/* ---- start: the config the loader already has (else our own fetch), then the right view ---- */
var wantFocus = !embedded, booted = false, fallback = null;
function focusFirst() {
  if (!wantFocus || !ui.body) return;
  var target = ui.composer && !ui.composer.hidden ? ui.input : ui.body.querySelector("input, select, textarea, button, a[href]");
  if (target) { target.focus(); wantFocus = false; }
}
function boot(c) {
  if (booted || exiting) return;
  booted = true;
  clearTimeout(fallback);
  useConfig(c);
  shell();
  var saved = load();
  if (saved && saved.token) {
    resumeToken(saved);
    pending = saved.pending || [];
    readSeq = saved.read_seq || 0;
    lastSeq = 0; /* a new page repaints the whole history */
    chatView();
    pending.forEach(function (p) { bubble("visitor", p.body, p.client_id, null); mark(p.client_id, "pending"); });
    connect();
  } else if (c.accepting) preChat();
  else closedView();
  focusFirst();
}
function fetchOwn() {
  if (booted) return;
  fetchConfig(params.get("locale")).then(boot, function () {
    if (!booted) app.textContent = "Havre: indisponible / unavailable";
  });
}
window.addEventListener("message", function (e) {
  if (!fromParent(e)) return;
  var event = e.data.event, c = e.data.payload;
  if (event === "havre:opened") { wantFocus = true; focusFirst(); }
  else if (event === "havre:quick-exit") quickExit();
  else if (event === "havre:config") {
    /* Only the config of this tenant in this page's language; anything else: fetch it. */
    if (c && c.slug === slug && c.locale === params.get("locale") && c.palette && c.texts) boot(c);
    else fetchOwn();
  }
});
if (embedded && parentOrigin && params.get("cfg") === "1") {
  tell("havre:ready");
  fallback = setTimeout(fetchOwn, 3000);
} else fetchOwn();
