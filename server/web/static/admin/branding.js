// Branding: the live preview is the real widget in preview mode (/w/SLUG?preview=1), sent the
// unsaved values on every change; the contrast warnings come from the server's one formula.
import { collect, debounce, send, wireSave } from "./form.js";

const form = document.getElementById("branding-form");
const frame = document.getElementById("widget-preview");
const list = document.getElementById("contrast-warnings");
const ok = document.getElementById("contrast-ok");

function showWarnings(warnings) {
  list.replaceChildren(
    ...warnings.map((w) => {
      const item = document.createElement("li");
      item.dataset.code = w.code;
      item.textContent = w.message;
      return item;
    }),
  );
  ok.hidden = warnings.length > 0;
}

function preview() {
  const branding = collect(form).branding || {};
  const payload = {
    primary_color: branding.primary_color,
    text_color: branding.text_color,
    position: branding.position,
    welcome: branding.welcome || null,
    launcher_label: branding.launcher_label || null,
    role_word: branding.role_word || null,
    logo_url: branding.logo_url || null,
  };
  frame.contentWindow?.postMessage({ event: "havre:preview", payload }, location.origin);
}

const colour = /^#[0-9a-fA-F]{6}$/;
const checkContrast = debounce(async () => {
  const primary = form.querySelector("#primary_color").value.trim();
  const text = form.querySelector("#text_color").value.trim();
  if (!colour.test(primary) || !colour.test(text)) return;
  const result = await send("POST", form.dataset.check, { primary_color: primary, text_color: text });
  if (result.ok) showWarnings(result.data);
}, 150);

// The colour pickers and the text fields hold the same value; the text field is what is sent.
for (const swatch of form.querySelectorAll("input[data-swatch]")) {
  const field = form.querySelector(`#${swatch.dataset.swatch}`);
  swatch.addEventListener("input", () => {
    field.value = swatch.value;
    field.dispatchEvent(new Event("input", { bubbles: true }));
  });
  field.addEventListener("input", () => {
    if (colour.test(field.value.trim())) swatch.value = field.value.trim().toLowerCase();
  });
}

form.addEventListener("input", (event) => {
  preview();
  if (event.target.matches("#primary_color, #text_color")) checkContrast();
});
form.addEventListener("change", preview);
// The preview ignores messages until its config has loaded, then says "havre:preview-ready".
// Until that word arrives the values are sent again a few times after the frame loads, so
// the preview shows the form even if the word is never sent.
let ready = false;
window.addEventListener("message", (event) => {
  if (event.source !== frame.contentWindow || event.origin !== location.origin) return;
  if (event.data && event.data.event === "havre:preview-ready") {
    ready = true;
    preview();
  }
});
frame.addEventListener("load", () => {
  for (const delay of [0, 300, 1000, 3000]) setTimeout(() => ready || preview(), delay);
});
wireSave(form, { afterSave: (saved) => showWarnings(saved.warnings) });
