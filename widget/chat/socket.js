/* ---- the conversation: start, socket, queue of unsent messages, token renewal ---- */
var ws = null, retry = 0, pingTimer = null, renewTimer = null, reconnectTimer = null;
var typingTimer = null, lastTypingSent = 0;

function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  var b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
  var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
  return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
}
/* A token and when to renew it: at three quarters of the lifetime the server gave
   (expires_in), measured on this page's clock, so a skewed clock does not matter. */
function holdToken(token, expiresIn) {
  var now = Date.now();
  session = { token: token, expiresAt: now + expiresIn * 1000, renewAt: now + expiresIn * 750 };
}
/* A token read back after a reload: its times as saved, else from the JWT's own exp. */
function resumeToken(saved) {
  var exp = saved.expires_at;
  if (!exp) {
    try { exp = JSON.parse(atob(saved.token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/"))).exp * 1000; } catch (e) { exp = Date.now(); }
  }
  session = { token: saved.token, expiresAt: exp, renewAt: saved.renew_at || exp - 5 * 60 * 1000 };
}
function scheduleRenew() {
  clearTimeout(renewTimer);
  if (!session) return;
  /* With the socket down, the next welcome schedules it again (at once, if it is due). */
  renewTimer = setTimeout(function () { if (session) send({ type: "renew" }); }, Math.max(0, session.renewAt - Date.now()));
}

/* The anonymous device token a line's fair use and blocks count by: random, kept in this
   browser's storage for Havre's origin (partitioned by the host site), and removed by the
   quick exit. Without storage there is none, and nothing is counted by device. */
function deviceToken() {
  try {
    var token = localStorage.getItem(DEVICE);
    if (!token) { token = uuid().replace(/-/g, ""); localStorage.setItem(DEVICE, token); }
    return token;
  } catch (e) { return null; }
}
/* A line under attack asks for a puzzle: a number whose SHA-256 after the token begins with
   `bits` zero bits, found by trying (a second or two), started while the visitor reads. */
function zeroBits(bytes) {
  for (var i = 0; i < bytes.length; i++) if (bytes[i]) return i * 8 + Math.clz32(bytes[i]) - 24;
  return bytes.length * 8;
}
async function solve(puzzle) {
  var encoder = new TextEncoder();
  for (var n = 0; ; n += 256) {
    var batch = [];
    for (var i = 0; i < 256; i++) batch.push(crypto.subtle.digest("SHA-256", encoder.encode(puzzle.token + ":" + (n + i))));
    var hashes = await Promise.all(batch);
    for (var j = 0; j < hashes.length; j++) {
      if (zeroBits(new Uint8Array(hashes[j])) >= puzzle.bits) return { token: puzzle.token, nonce: String(n + j) };
    }
  }
}
var solving = null;
function prepareChallenge() {
  if (!config.challenge || solving) return;
  solving = fetch("/api/widget/" + slug + "/challenge", { method: "POST" })
    .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
    .then(solve);
  solving.catch(function () { solving = null; });
}
function retryAt(seconds) {
  return new Date(Date.now() + seconds * 1000).toLocaleString(config.locale === "en" ? "en-GB" : "fr-FR",
    { weekday: "long", hour: "2-digit", minute: "2-digit" });
}
async function begin(topic, puzzle) {
  var body = { tenant: slug, locale: config.locale, consent: true, topic: topic };
  var device = deviceToken();
  if (device) body.device = device;
  if (puzzle) body.challenge = await solve(puzzle);
  else if (config.challenge) { prepareChallenge(); body.challenge = await solving; solving = null; }
  var r = await fetch("/api/conversations", {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body)
  });
  if (r.status === 403 || r.status === 409 || r.status === 429) {
    var problem = await r.json();
    /* A puzzle expired or already used: one more, solved at once. */
    if (problem.code === "challenge_required" && problem.challenge && !puzzle) return begin(topic, problem.challenge);
    if (problem.code === "challenge_required") throw new Error("challenge");
    /* Closed, too many starts, fair use, blocked: the numbers that answer now. */
    if (problem.referrals) config.referrals = problem.referrals;
    var note = null;
    if (problem.code === "too_many_starts") note = t("starts_limited");
    else if (problem.code === "fair_use_reached") {
      note = t("fair_use", { hours: problem.hours, when: retryAt(problem.retry_after || 0) });
    } else if (problem.code === "visitor_blocked") note = t("visitor_blocked");
    closedView(note);
    document.getElementById("closed").focus();
    return;
  }
  if (!r.ok) throw new Error(String(r.status));
  var started = await r.json();
  holdToken(started.token, started.expires_in);
  lastSeq = 0;
  save();
  chatView();
  ui.input.focus();
  queueLine(started.position, started.estimated_wait_seconds, started.listeners_available);
  connect();
}
function connect() {
  clearTimeout(reconnectTimer);
  if (!session || ended || exiting || ws) return;
  var proto = location.protocol === "https:" ? "wss://" : "ws://";
  var sock = ws = new WebSocket(proto + location.host + "/ws/visitor");
  sock.onopen = function () {
    retry = 0;
    sock.send(JSON.stringify({ type: "hello", token: session.token, last_seq: lastSeq }));
    clearInterval(pingTimer);
    pingTimer = setInterval(function () { send({ type: "ping" }); }, 25000);
  };
  sock.onmessage = function (e) { if (sock === ws) receive(JSON.parse(e.data)); };
  sock.onclose = function (e) {
    if (sock !== ws) return;
    clearInterval(pingTimer);
    ws = null;
    if (ended || exiting) return;
    if (e.code === 4401 || e.code === 4404) { session = null; save(); return preChat(); }
    ui.status.textContent = t("reconnecting");
    ui.status.classList.add("warn");
    reconnectTimer = setTimeout(connect, Math.min(10000, 500 * Math.pow(2, retry++)));
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
function acked(clientId, seq) {
  pending = pending.filter(function (p) { return p.client_id !== clientId; });
  if (bubbles[clientId]) bubbles[clientId].dataset.seq = seq;
  mark(clientId, seq <= readSeq ? "read" : "delivered");
  save();
}
function receive(f) {
  switch (f.type) {
    case "welcome":
      ui.status.classList.remove("warn");
      if (f.state === "active") { answerer = f.listener || null; ui.status.textContent = t("active"); }
      pending.forEach(function (p) { send({ type: "send", client_id: p.client_id, body: p.body }); });
      if (f.state === "ended" || f.state === "abandoned" || f.state === "missed") finish(f.state, f.crisis_help);
      else scheduleRenew();
      break;
    case "message":
      /* The server sends messages in seq order: only they say what this page has. */
      if (f.seq > lastSeq) lastSeq = f.seq;
      if (f.author === "visitor") { bubble("visitor", f.body, f.client_id, f.seq, null, f.at); acked(f.client_id, f.seq); }
      else {
        bubble(f.kind === "event" ? "system" : f.author, f.body, null, f.seq, f.kind === "referral" ? "referral" : null, f.at);
        ui.typing.hidden = true;
        if (document.visibilityState === "visible") send({ type: "read", seq: f.seq });
      }
      save();
      break;
    case "ack":
      /* Not lastSeq: an ack may overtake a listener's message with a lower seq, still on its way. */
      acked(f.client_id, f.seq);
      break;
    case "queue":
      queueLine(f.position, f.estimated_wait_seconds, f.listeners_available);
      break;
    case "state":
      if (f.state === "active") {
        answerer = f.listener || null;
        ui.status.textContent = t("active");
        note(t("joined"));
      }
      else if (f.state !== "queued") finish(f.state, f.crisis_help);
      break;
    case "typing":
      ui.typing.hidden = false;
      clearTimeout(typingTimer);
      typingTimer = setTimeout(function () { ui.typing.hidden = true; }, 5000);
      break;
    case "read":
      if (f.seq > readSeq) { readSeq = f.seq; save(); }
      Object.keys(bubbles).forEach(function (k) {
        var li = bubbles[k];
        if (li.classList.contains("visitor") && li.dataset.seq && +li.dataset.seq <= f.seq) mark(k, "read");
      });
      break;
    case "warning":
      note(t("warning_" + f.kind, { minutes: f.minutes_left }), "warning");
      break;
    case "token":
      if (!session) break;
      holdToken(f.token, f.expires_in);
      save();
      scheduleRenew();
      break;
    case "error":
      if (f.client_id) {
        var refused = pending.filter(function (p) { return p.client_id === f.client_id; })[0];
        pending = pending.filter(function (p) { return p.client_id !== f.client_id; });
        save();
        /* Written too fast: nothing was stored, so the text goes back to the box. */
        if (f.code === "too_many_messages" && refused) {
          if (bubbles[f.client_id]) bubbles[f.client_id].remove();
          delete bubbles[f.client_id];
          if (!ui.input.value) ui.input.value = refused.body;
        }
      }
      note(T["error_" + f.code] ? t("error_" + f.code, { max: (f.details || {}).max_chars }) : f.message);
      break;
  }
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

window.addEventListener("offline", function () { if (ws) ws.close(); });
window.addEventListener("online", function () { retry = 0; if (session) connect(); });
