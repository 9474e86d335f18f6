// The alerts panel: risk, long wait, long shift, supervised start; with an optional sound.
import { el, lineName, reasonLabel, t } from "./dom.js";

const SOUND = "havre.supervision.sound";
let audio = null;

function unlockAudio() {
  if (audio) return;
  try {
    audio = new AudioContext();
  } catch {
    audio = null;
  }
}
document.addEventListener("pointerdown", unlockAudio, { once: true });
document.addEventListener("keydown", unlockAudio, { once: true });

function beep(urgent) {
  if (!audio) return;
  if (audio.state === "suspended") audio.resume();
  const now = audio.currentTime;
  const tone = audio.createOscillator();
  const gain = audio.createGain();
  tone.frequency.setValueAtTime(urgent ? 990 : 660, now);
  tone.frequency.setValueAtTime(urgent ? 740 : 520, now + 0.15);
  gain.gain.setValueAtTime(0.0001, now);
  gain.gain.exponentialRampToValueAtTime(0.25, now + 0.02);
  gain.gain.exponentialRampToValueAtTime(0.0001, now + 0.4);
  tone.connect(gain).connect(audio.destination);
  tone.start(now);
  tone.stop(now + 0.42);
}

// A hidden tab counts unseen alerts in its title until it is looked at again.
const baseTitle = document.title;
let unseen = 0;
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState !== "visible") return;
  unseen = 0;
  document.title = baseTitle;
});

export class AlertsPanel {
  constructor({ onJoin }) {
    this.list = document.getElementById("sv-alert-list");
    this.none = document.getElementById("sv-no-alerts");
    this.sound = document.getElementById("sv-sound");
    this.onJoin = onJoin;
    this.sound.checked = localStorage.getItem(SOUND) !== "off";
    this.sound.addEventListener("change", () => localStorage.setItem(SOUND, this.sound.checked ? "on" : "off"));
    document.getElementById("sv-clear").addEventListener("click", () => {
      this.list.replaceChildren();
      this.none.hidden = false;
    });
  }

  add(alert) {
    const fields = {
      tenant: lineName(alert.tenant),
      level: alert.level ? t(`risk_${alert.level}`) : "",
      minutes: alert.minutes ?? "",
      listener: alert.listener_name ?? t("nobody"),
      reasons: (alert.reasons || []).map(reasonLabel).join(", ") || t("nobody"),
    };
    const item = el("li", { className: `sv-alert sv-alert-${alert.kind}` });
    if (alert.level) item.classList.add(`sv-risk-${alert.level}`);
    item.append(el("time", { text: new Date().toLocaleTimeString(), className: "sv-alert-time" }));
    const waiting = alert.kind === "risk" && !alert.listener_name; // nobody has taken it yet
    item.append(el("span", { text: t(waiting ? "alert_risk_waiting" : `alert_${alert.kind}`, fields) }));
    if (alert.conversation_id) {
      const join = el("button", { text: t("join"), className: "sv-button", attrs: { type: "button" } });
      join.addEventListener("click", () => this.onJoin(alert.conversation_id));
      item.append(join);
    }
    this.list.prepend(item);
    this.none.hidden = true;
    if (this.sound.checked) beep(alert.kind === "risk");
    if (document.visibilityState !== "visible") {
      unseen += 1;
      document.title = `(${unseen}) ${baseTitle}`;
    }
  }
}
