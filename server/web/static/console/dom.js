// Small DOM and text helpers shared by the console modules. User strings only ever go
// through textContent (or attribute values), never innerHTML.

const root = document.getElementById("console");
const TEXTS = JSON.parse(root.dataset.texts || "{}");
export const CONFIG = JSON.parse(root.dataset.config || "{}");
export const LOCALE = root.dataset.locale === "en" ? "en" : "fr";

/** A page text by key ("con_" prefix optional), with {name} fields filled. */
export function t(key, vars = {}) {
  const text = TEXTS[key] ?? TEXTS[`con_${key}`] ?? TEXTS[`con_js_${key}`] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in vars ? String(vars[name]) : `{${name}}`));
}

/** el("li", {class: "x", text: "…", on: {click}}, [children]) */
export function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "text") node.textContent = value;
    else if (name === "on") for (const [event, fn] of Object.entries(value)) node.addEventListener(event, fn);
    else if (name === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

/** "4 min 05 s", "1 h 02 min", "42 s" */
export function duration(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h) return `${h} h ${String(m).padStart(2, "0")} min`;
  if (m) return `${m} min ${String(rest).padStart(2, "0")} s`;
  return `${rest} s`;
}

/** "mm:ss" for a countdown. */
export function clock(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

export const RISK_ORDER = ["none", "elevated", "high", "imminent"];
export const isCrisis = (level) => level === "high" || level === "imminent";
export const riskLabel = (level) => t(`con_risk_${level}`);

export function lineFor(slug) {
  return (CONFIG.lines || []).find((line) => line.slug === slug) || null;
}

/** "means:medication" → "moyens : médicaments": a category of the closed triage vocabulary
 * (never message words), labelled by the text `con_js_reason_means_medication`. A category the
 * page has no label for (a newer server) is shown as given rather than hidden. */
export function reasonLabel(reason) {
  const key = `con_js_reason_${String(reason).replace(":", "_")}`;
  return Object.hasOwn(TEXTS, key) ? t(key) : String(reason);
}

export const topicLabel = (key) =>
  key ? (CONFIG.topic_labels || {})[key] || key.replace(/-/g, " ") : t("con_js_no_topic");

export function uuid() {
  return crypto.randomUUID();
}

/** The staff pages' CSRF token, from its (readable) cookie. */
export { csrf } from "../staff.js";
