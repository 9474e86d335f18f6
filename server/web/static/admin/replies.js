// Canned replies: one list per language on the page, one list with a locale per reply in the
// API; the server's error paths (canned_replies[i]) are mapped back to the right row.
import { wireRows, wireSave } from "./form.js";

const form = document.getElementById("replies-form");
let origin = [];

function prepare(data) {
  origin = [];
  const canned_replies = [];
  for (const locale of ["fr", "en"]) {
    (data[locale] || []).forEach((reply, i) => {
      origin.push(`${locale}[${i}]`);
      canned_replies.push({ ...reply, locale });
    });
  }
  return { canned_replies };
}

function mapError(error) {
  const found = /^canned_replies\[(\d+)\](.*)$/.exec(error.field);
  if (!found || origin[Number(found[1])] === undefined) return error;
  return { ...error, field: origin[Number(found[1])] + found[2] };
}

wireRows(form);
wireSave(form, { prepare, mapError });
