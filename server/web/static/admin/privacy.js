// Privacy: how many days transcripts are kept (the purge itself comes in a later version).
import { wireSave } from "./form.js";

wireSave(document.getElementById("privacy-form"));
