// Small helpers: page texts with {fields} filled, elements built with textContent only.
const root = document.getElementById("supervision");
const TEXTS = root ? JSON.parse(root.dataset.texts || "{}") : {};
const LINES = root ? JSON.parse(root.dataset.lines || "{}") : {};

/** A line's name from its slug (frames name lines and teams by slug). */
export const lineName = (slug) => LINES[slug]?.name ?? slug;
export const teamName = (line, team) => LINES[line]?.teams?.[team] ?? team;

/** A triage reason (a category such as "means:medication"), in the console's words. */
export const reasonLabel = (reason) => TEXTS[`con_js_reason_${String(reason).replace(":", "_")}`] ?? String(reason);

export function t(key, fields = {}) {
  const template = TEXTS[`sv_js_${key}`] ?? key;
  return template.replace(/\{(\w+)\}/g, (_, name) => (name in fields ? String(fields[name]) : ""));
}

export function el(tag, { text, className, attrs } = {}) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, value);
  return node;
}

export { csrf } from "../staff.js";

/** 75 -> "1:15", 3700 -> "1:01:40". */
export function clock(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
}
