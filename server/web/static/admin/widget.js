// Widget: allowed origins (one per line; the server names the line at fault) and the snippet.
import { wireSave } from "./form.js";

const form = document.getElementById("widget-form");
const textarea = form.querySelector("[data-name=allowed_origins]");

// allowed_origins[3] is the fourth non-empty line: say which one next to the field.
function mapError(error) {
  const found = /^allowed_origins\[(\d+)\]$/.exec(error.field);
  if (!found) return error;
  const line = textarea.value.split("\n").map((v) => v.trim()).filter(Boolean)[Number(found[1])] || "";
  return { ...error, field: "allowed_origins", message: `${line} — ${error.message}` };
}

wireSave(form, { mapError });

// Copy, as the staff page copies an invitation link; without clipboard access (a page served
// over plain http, a browser that refuses) the code is selected for Ctrl+C, and the status says so.
const copy = document.getElementById("copy-snippet");
const snippet = document.getElementById("snippet");
const copyStatus = document.getElementById("copy-status");
copy.addEventListener("click", async () => {
  copyStatus.textContent = "";
  try {
    await navigator.clipboard.writeText(snippet.textContent);
    copyStatus.textContent = copy.dataset.copied;
  } catch {
    const range = document.createRange();
    range.selectNodeContents(snippet);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    let copied = false;
    try {
      copied = document.execCommand("copy");
    } catch {
      copied = false;
    }
    copyStatus.textContent = copied ? copy.dataset.copied : copy.dataset.selected;
  }
});
