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

const copy = document.getElementById("copy-snippet");
copy.addEventListener("click", async () => {
  await navigator.clipboard.writeText(document.getElementById("snippet").textContent);
  document.getElementById("copy-status").textContent = copy.dataset.copied;
});
