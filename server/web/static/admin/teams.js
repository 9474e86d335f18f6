// Teams and routing: the mode radios feed one hidden field; rows are added and deleted here
// and saved together (a renamed team keeps its identifier, so its conversations follow it).
import { wireRows, wireSave } from "./form.js";

const form = document.getElementById("teams-form");
const mode = document.getElementById("routing-mode");
form.addEventListener("change", (event) => {
  if (event.target.name === "routing-mode") mode.value = event.target.value;
});
wireRows(form);
wireSave(form);
