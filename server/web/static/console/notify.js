// Sound and title badge for what happens while the tab is hidden. Both can be turned off;
// the choice stays in this browser (localStorage of Havre's own origin, the staff console).

const PREFS = { sound: "havre.console.sound", badge: "havre.console.badge" };
const baseTitle = document.title;
let unseen = 0;
let audio = null;

export function preference(name) {
  return localStorage.getItem(PREFS[name]) !== "off";
}

export function setPreference(name, on) {
  localStorage.setItem(PREFS[name], on ? "on" : "off");
  if (name === "badge" && !on) clearBadge();
}

// Browsers only let audio start after a gesture: the context is created on the first one.
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

export function beep() {
  if (!audio) return;
  if (audio.state === "suspended") audio.resume();
  const now = audio.currentTime;
  const tone = audio.createOscillator();
  const gain = audio.createGain();
  tone.type = "sine";
  tone.frequency.setValueAtTime(880, now);
  tone.frequency.setValueAtTime(660, now + 0.12);
  gain.gain.setValueAtTime(0.0001, now);
  gain.gain.exponentialRampToValueAtTime(0.2, now + 0.02);
  gain.gain.exponentialRampToValueAtTime(0.0001, now + 0.3);
  tone.connect(gain).connect(audio.destination);
  tone.start(now);
  tone.stop(now + 0.32);
}

function clearBadge() {
  unseen = 0;
  document.title = baseTitle;
}

/** Something new (a chat waiting, a chat given, a visitor's message): tell a hidden tab. */
export function notify() {
  if (document.visibilityState === "visible") return;
  if (preference("sound")) beep();
  if (preference("badge")) {
    unseen += 1;
    document.title = `(${unseen}) ${baseTitle}`;
  }
}

document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") clearBadge();
});

export function bindPreferences() {
  for (const name of Object.keys(PREFS)) {
    const box = document.getElementById(`pref-${name}`);
    if (!box) continue;
    box.checked = preference(name);
    box.addEventListener("change", () => setPreference(name, box.checked));
  }
}
