// The admin console's forms: collect the fields into JSON, send it with the CSRF header, and
// show the server's field errors next to the fields. Every section page uses this module.
//
// Markup: <form data-endpoint data-method> holding inputs with data-name="a.b" (the JSON path)
// and data-type (text, int, bool, set, csv, lines); repeated rows live in
// <div data-list="name"> as direct children [data-row], their inputs named relative to the row.
// Empty text fields are left out, and objects left empty (a localised pair) too.

import { lang, send } from "../shared/http.js";

export { lang, send };

function valueOf(input) {
  const type = input.dataset.type || "text";
  if (type === "bool") return input.checked;
  if (type === "set") {
    return [...input.querySelectorAll("input[type=checkbox]")].filter((c) => c.checked).map((c) => c.value);
  }
  const raw = input.value.trim();
  if (type === "int") return raw === "" ? undefined : /^-?\d+$/.test(raw) ? Number(raw) : raw;
  if (type === "csv") return raw.split(",").map((v) => v.trim()).filter(Boolean);
  if (type === "lines") return raw.split("\n").map((v) => v.trim()).filter(Boolean);
  return raw === "" ? undefined : raw;
}

function put(target, path, value) {
  const parts = path.split(".");
  let node = target;
  for (const part of parts.slice(0, -1)) node = node[part] = node[part] || {};
  if (value !== undefined) node[parts[parts.length - 1]] = value;
}

function prune(value) {
  if (Array.isArray(value)) return value.map(prune);
  if (value && typeof value === "object") {
    const out = {};
    for (const [key, inner] of Object.entries(value)) {
      const kept = prune(inner);
      if (kept && typeof kept === "object" && !Array.isArray(kept) && !Object.keys(kept).length) continue;
      out[key] = kept;
    }
    return out;
  }
  return value;
}

const own = (scope, selector) =>
  [...scope.querySelectorAll(selector)].filter((el) => el.parentElement.closest("[data-row], form") === scope);

function collectInto(scope, prefix) {
  const out = {};
  for (const input of own(scope, "[data-name]")) {
    input.dataset.field = prefix + input.dataset.name;
    put(out, input.dataset.name, valueOf(input));
  }
  for (const list of own(scope, "[data-list]")) {
    const name = list.dataset.list;
    list.dataset.field = prefix + name;
    const rows = [...list.children].filter((el) => el.matches("[data-row]"));
    out[name] = rows.map((row, i) => {
      row.dataset.field = `${prefix}${name}[${i}]`;
      return collectInto(row, `${prefix}${name}[${i}].`);
    });
  }
  return out;
}

export const collect = (form) => prune(collectInto(form, ""));

export function clearErrors(form) {
  form.querySelectorAll(".field-error").forEach((el) => el.remove());
  form.querySelectorAll("[aria-invalid]").forEach((el) => {
    el.removeAttribute("aria-invalid");
    if (el.dataset.describedby) el.setAttribute("aria-describedby", el.dataset.describedby);
    else el.removeAttribute("aria-describedby");
  });
}

function fieldElement(form, path) {
  let current = path;
  while (current) {
    const found = form.querySelector(`[data-field="${CSS.escape(current)}"]`);
    if (found) return found;
    const cut = Math.max(current.lastIndexOf("."), current.lastIndexOf("["));
    current = cut > 0 ? current.slice(0, cut) : "";
  }
  return null;
}

let errorCount = 0;
export function showErrors(form, errors, { focus = true } = {}) {
  let first = null;
  for (const error of errors || []) {
    const target = fieldElement(form, error.field) || form.querySelector("[data-status]");
    const message = document.createElement("p");
    message.className = "field-error";
    message.id = `field-error-${++errorCount}`;
    message.textContent = error.message;
    message.dataset.for = error.field;
    const focusable = target.matches("input, select, textarea") ? target : target.querySelector("input, select, textarea");
    if (focusable) {
      if (!focusable.hasAttribute("aria-invalid")) {
        focusable.dataset.describedby = focusable.getAttribute("aria-describedby") || "";
      }
      focusable.setAttribute("aria-invalid", "true");
      focusable.setAttribute("aria-describedby", `${focusable.dataset.describedby} ${message.id}`.trim());
      first = first || focusable;
    }
    if (target.matches("[data-row], [data-list], fieldset")) target.prepend(message);
    else (target.closest("label, .field") || target).after(message);
  }
  if (first && focus) first.focus();
}

export function status(form, text, kind = "info") {
  const box = form.querySelector("[data-status]");
  if (!box) return;
  box.textContent = text;
  box.dataset.kind = kind;
}

// Rows: an add button (data-target="list") clones <template data-template="list">, delete, move up and down (focus follows).
export function wireRows(form, onChange = () => {}) {
  form.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-action]");
    if (!button || !form.contains(button)) return;
    const action = button.dataset.action;
    if (action === "add") {
      const list = form.querySelector(`[data-list="${button.dataset.target}"]`);
      const template = form.querySelector(`template[data-template="${button.dataset.target}"]`);
      const row = template.content.firstElementChild.cloneNode(true);
      list.append(row);
      const input = row.querySelector("input, select, textarea");
      if (input) input.focus();
    } else {
      const row = button.closest("[data-row]");
      if (!row) return;
      if (action === "remove") {
        const next = row.nextElementSibling || row.previousElementSibling;
        row.remove();
        (next?.querySelector("button, input") || form.querySelector("button[type=submit]")).focus();
      } else if (action === "up" && row.previousElementSibling) {
        row.previousElementSibling.before(row);
        button.focus();
      } else if (action === "down" && row.nextElementSibling) {
        row.nextElementSibling.after(row);
        button.focus();
      } else {
        return;
      }
    }
    onChange();
  });
}

// Saving: the section's JSON goes to the API; on success the page reloads with the stored
// values (keys of new rows included) and says so; on refusal the messages go by the fields.
export function wireSave(form, { prepare = (data) => data, afterSave = null, mapError = (e) => e } = {}) {
  const button = form.querySelector("button[type=submit]");
  // Leaving the page with changes not saved asks first (the browser's own question).
  let stored = JSON.stringify(collect(form));
  let leaving = false;
  window.addEventListener("beforeunload", (event) => {
    if (leaving || JSON.stringify(collect(form)) === stored) return;
    event.preventDefault();
    event.returnValue = "";
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    const label = button.textContent;
    button.disabled = true;
    button.textContent = form.dataset.saving;
    status(form, form.dataset.saving);
    try {
      const result = await send(form.dataset.method || "PUT", form.dataset.endpoint, prepare(collect(form)));
      if (result.ok) {
        if (afterSave) {
          afterSave(result.data);
          stored = JSON.stringify(collect(form));
          status(form, form.dataset.saved, "ok");
        } else {
          leaving = true;
          const url = new URL(location.href);
          url.searchParams.set("saved", "1");
          location.replace(url);
        }
      } else if (result.data && result.data.errors) {
        status(form, form.dataset.invalid, "error");
        showErrors(form, result.data.errors.map(mapError));
      } else {
        status(form, (result.data && result.data.title) || form.dataset.failed, "error");
      }
    } catch {
      status(form, form.dataset.failed, "error");
    } finally {
      button.disabled = false;
      button.textContent = label;
    }
  });
  button.disabled = false;
  const url = new URL(location.href);
  if (url.searchParams.get("saved") === "1") {
    status(form, form.dataset.saved, "ok");
    url.searchParams.delete("saved");
    history.replaceState(null, "", url);
  }
}

export function debounce(fn, ms) {
  let timer = 0;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
