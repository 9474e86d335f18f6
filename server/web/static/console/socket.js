// The console WebSocket of both staff pages (listener console and supervision): hello with
// the session cookie, reconnection with backoff, and a silent session refresh when the access
// cookie has expired (close code 4401).
import { csrf } from "../staff.js";

const UNAUTHORISED = 4401;
const FORBIDDEN = 4403;
// 4409 (access changed: roles, teams or grants) needs nothing special: reconnect at once.
const PING_EVERY_MS = 20000;

export class ConsoleSocket {
  constructor({ onFrame, onStatus, onOpen, page = "/console/" }) {
    this.onFrame = onFrame;
    this.onStatus = onStatus;
    this.onOpen = onOpen;
    this.page = page; // where to come back after signing in again
    this.socket = null;
    this.delay = 500;
    this.pinger = null;
    this.stopped = false;
  }

  get open() {
    return this.socket !== null && this.socket.readyState === WebSocket.OPEN;
  }

  connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const socket = new WebSocket(`${scheme}${location.host}/ws/console`);
    this.socket = socket;
    this.onStatus(this.delay > 500 ? "reconnecting" : "connecting");
    socket.addEventListener("open", () => {
      // No token: the server reads the httpOnly session cookie (same origin only).
      socket.send(JSON.stringify({ type: "hello" }));
      this.delay = 500;
      this.onStatus("connected");
      this.onOpen();
      clearInterval(this.pinger);
      this.pinger = setInterval(() => this.send({ type: "ping" }), PING_EVERY_MS);
    });
    socket.addEventListener("message", (event) => {
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      this.onFrame(frame);
    });
    socket.addEventListener("close", (event) => this.closed(socket, event.code));
  }

  async closed(socket, code) {
    if (socket !== this.socket || this.stopped) return;
    clearInterval(this.pinger);
    this.socket = null;
    if (code === FORBIDDEN) {
      this.onStatus("forbidden");
      return;
    }
    this.onStatus("reconnecting");
    if (code === UNAUTHORISED) {
      const refreshed = await fetch("/api/auth/refresh", {
        method: "POST",
        credentials: "same-origin",
        headers: { "x-csrf-token": csrf() },
      }).catch(() => null);
      if (refreshed && refreshed.status >= 400 && refreshed.status < 500) {
        location.replace(`/sign-in?next=${encodeURIComponent(this.page)}`);
        return;
      }
    }
    setTimeout(() => this.connect(), this.delay);
    this.delay = Math.min(this.delay * 2, 10000);
  }

  send(frame) {
    if (!this.open) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }
}

