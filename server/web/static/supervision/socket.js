// The console WebSocket, as a supervisor: hello with the session cookie, reconnection with
// backoff, and a silent session refresh when the access cookie has expired (close 4401).
import { csrf } from "./dom.js";

const UNAUTHORISED = 4401;
const FORBIDDEN = 4403;
const PING_EVERY_MS = 20000;

export class SupervisionSocket {
  constructor({ onFrame, onStatus, onOpen }) {
    Object.assign(this, { onFrame, onStatus, onOpen });
    this.socket = null;
    this.delay = 500;
    this.pinger = null;
  }

  connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const socket = new WebSocket(`${scheme}${location.host}/ws/console`);
    this.socket = socket;
    this.onStatus(this.delay > 500 ? "reconnecting" : "connecting");
    socket.addEventListener("open", () => {
      socket.send(JSON.stringify({ type: "hello" }));
      this.delay = 500;
      this.onStatus("connected");
      this.onOpen();
      clearInterval(this.pinger);
      this.pinger = setInterval(() => this.send({ type: "ping" }), PING_EVERY_MS);
    });
    socket.addEventListener("message", (event) => {
      try {
        this.onFrame(JSON.parse(event.data));
      } catch (error) {
        console.error(error);
      }
    });
    socket.addEventListener("close", (event) => this.closed(socket, event.code));
  }

  async closed(socket, code) {
    if (socket !== this.socket) return;
    clearInterval(this.pinger);
    this.socket = null;
    this.onStatus("reconnecting");
    if (code === FORBIDDEN) return;
    if (code === UNAUTHORISED) {
      const refreshed = await fetch("/api/auth/refresh", {
        method: "POST",
        credentials: "same-origin",
        headers: { "x-csrf-token": csrf() },
      }).catch(() => null);
      if (refreshed && refreshed.status >= 400 && refreshed.status < 500) {
        location.replace("/sign-in?next=/console/supervision");
        return;
      }
    }
    setTimeout(() => this.connect(), this.delay);
    this.delay = Math.min(this.delay * 2, 10000);
  }

  send(frame) {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }
}
