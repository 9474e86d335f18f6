// Teams and routing: the mode radios feed one hidden field; rows are added and deleted here
// and saved together (a renamed team keeps its identifier, so its conversations follow it).
// A team routes by the line's topics: ticking one for the line offers it to every team.
import { wireRows, wireSave } from "./form.js";

const form = document.getElementById("teams-form");
const mode = document.getElementById("routing-mode");
const lineTopics = document.getElementById("line-topics");

function offerLineTopics() {
  const all = [...lineTopics.querySelectorAll("input[type=checkbox]")];
  const ticked = new Set(all.filter((box) => box.checked).map((box) => box.value));
  const template = form.querySelector("template[data-template=teams]").content;
  const sets = [...form.querySelectorAll("[data-row] .topics"), ...template.querySelectorAll(".topics")];
  for (const set of sets) {
    const chosen = new Set([...set.querySelectorAll("input:checked")].map((box) => box.value));
    const offered = all.filter((box) => !ticked.size || ticked.has(box.value) || chosen.has(box.value));
    const known = new Set(all.map((box) => box.value));
    // A key outside the vocabulary (written in a tenant file) stays as it was.
    const own = [...set.querySelectorAll("input:checked")].filter((box) => !known.has(box.value));
    set.replaceChildren(
      ...offered.map((box) => {
        const label = box.closest("label").cloneNode(true);
        label.querySelector("input").checked = chosen.has(box.value);
        return label;
      }),
      ...own.map((box) => box.closest("label")),
    );
  }
}

form.addEventListener("change", (event) => {
  if (event.target.name === "routing-mode") mode.value = event.target.value;
  if (lineTopics.contains(event.target)) offerLineTopics();
});
wireRows(form);
wireSave(form);
