/* ---- preview: the admin console frames /w/SLUG?preview=1 and posts unsaved branding.
   This bundle has no socket code: a preview cannot start a conversation. ---- */
var begin = null;
function quickExit() { /* a preview never leaves the admin's page */ }

/* The same rule as server/widget/palette.py (WCAG AA 4.5:1), for colours not yet saved. */
function luminance(c) {
  var w = [0.2126, 0.7152, 0.0722];
  return [1, 3, 5].reduce(function (sum, i, n) {
    var v = parseInt(c.substr(i, 2), 16) / 255;
    return sum + w[n] * (v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4));
  }, 0);
}
function ratio(a, b) {
  var x = luminance(a), y = luminance(b);
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}
function paletteOf(b) {
  var p = b.primary_color.toLowerCase(), text = b.text_color.toLowerCase(), accent = "#000000";
  var on = ratio(text, p) >= 4.5 ? text : ratio("#ffffff", p) >= ratio("#000000", p) ? "#ffffff" : "#000000";
  var rgb = [1, 3, 5].map(function (i) { return parseInt(p.substr(i, 2), 16); });
  for (var step = 0; step <= 20; step++) {
    var mixed = "#" + rgb.map(function (c) { return ("0" + Math.round(c * (1 - step / 20)).toString(16)).slice(-2); }).join("");
    if (ratio(mixed, "#ffffff") >= 4.5) { accent = mixed; break; }
  }
  return { primary: p, on_primary: on, accent: accent };
}

var COLOUR = /^#[0-9a-fA-F]{6}$/, WEB = /^https?:\/\/\S+$/;
function localised(v) {
  return v && typeof v.fr === "string" && typeof v.en === "string" && v.fr && v.en &&
    v.fr.length <= 2000 && v.en.length <= 2000 ? { fr: v.fr, en: v.en } : undefined;
}
/* Each field is taken when valid and ignored otherwise; null removes an optional one. */
function override(p) {
  var b = config.branding;
  if (COLOUR.test(p.primary_color)) b.primary_color = p.primary_color;
  if (COLOUR.test(p.text_color)) b.text_color = p.text_color;
  if (p.position === "left" || p.position === "right") b.position = p.position;
  ["welcome", "launcher_label", "role_word"].forEach(function (k) {
    if (p[k] === null) b[k] = null;
    else if (localised(p[k])) b[k] = localised(p[k]);
  });
  if (p.logo_url === null) b.logo_url = null;
  else if (typeof p.logo_url === "string" && p.logo_url.length <= 2000 && WEB.test(p.logo_url)) b.logo_url = p.logo_url;
}
var savedRole = null;
function render() {
  var b = config.branding;
  if (savedRole === null) savedRole = config.role;
  config.role = b.role_word ? b.role_word[config.locale] : savedRole;
  applyPalette(paletteOf(b));
  shell();
  app.insertBefore(el("p", { id: "preview-note", class: "preview-note", role: "note", text: t("preview_note") }), app.firstChild);
  if (config.accepting) preChat(); else closedView();
  var label = b.launcher_label ? b.launcher_label[config.locale] : t("launcher");
  app.appendChild(el("p", { class: "launcher-row " + (b.position === "left" ? "left" : "right") }, [
    el("span", { id: "launcher-sample", class: "launcher-sample", text: label })
  ]));
}
window.addEventListener("message", function (e) {
  /* Only Havre's own pages (the admin console) may drive a preview. */
  if (!config || e.source !== window.parent || e.origin !== location.origin) return;
  if (!e.data || e.data.event !== "havre:preview" || !e.data.payload || typeof e.data.payload !== "object") return;
  override(e.data.payload);
  render();
});
fetchConfig(params.get("locale")).then(function (c) {
  useConfig(c);
  render();
  if (embedded) window.parent.postMessage({ event: "havre:preview-ready", payload: { locale: c.locale } }, location.origin);
}, function () { app.textContent = "Havre: indisponible / unavailable"; });
