// Protection: the line's own start limits, fair use per device, and the browser challenge.
import { wireSave } from "./form.js";

const form = document.getElementById("protection-form");
const fairUse = document.getElementById("fair-use-on");
const fields = document.getElementById("fair-use-fields");

fairUse.addEventListener("change", () => {
  fields.hidden = !fairUse.checked;
});

wireSave(form, {
  prepare: (data) => {
    if (!fairUse.checked) delete data.fair_use;
    return data;
  },
});
