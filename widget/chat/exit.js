/* ---- quick exit: the button, Shift three times, or the loader (Shift pressed on the host) ---- */
/* Safe to call again and again: every call hides, clears and asks for the exit page. */
function quickExit() {
  document.body.hidden = true;
  if (!exiting) {
    exiting = true;
    app.textContent = "";
    send({ type: "end", quick_exit: true });
    session = null;
    pending = [];
    clearTimeout(renewTimer);
    clearTimeout(reconnectTimer);
    setTimeout(function () { if (ws) ws.close(1000); }, 200);
  }
  try { sessionStorage.clear(); } catch (e) { /* nothing to clear */ }
  try { localStorage.removeItem(DEVICE); } catch (e) { /* nothing to clear */ }
  var exit = config ? config.exit_url : "about:blank";
  if (embedded && parentOrigin) tell("havre:quick-exit");
  else if (embedded) {
    /* No known parent origin to ask: navigate the top page ourselves (allowed after a key
       press or click in this frame). */
    try { window.top.location.replace(exit); } catch (e) { location.replace(exit); }
  } else location.replace(exit);
}
var shifts = [];
document.addEventListener("keydown", function (e) {
  if (e.key === "Escape" && embedded) tell("havre:close");
  /* Only Shift taps count: Shift held to type capitals (another key in between) does not. */
  if (e.key !== "Shift") { shifts = []; return; }
  if (e.repeat) return;
  var now = Date.now();
  shifts = shifts.filter(function (s) { return now - s < 1500; });
  shifts.push(now);
  if (shifts.length >= 3) { shifts = []; quickExit(); }
}, true);
