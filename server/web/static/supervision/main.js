// The supervisor console: the live list, alerts, silent reading. Frames: docs/protocol.md.
import { AlertsPanel } from "./alerts.js";
import { LiveList } from "./list.js";
import { ConsoleSocket } from "../console/socket.js";
import { Reading } from "./transcript.js";
import { t } from "./dom.js";

const status = document.getElementById("sv-status");
const problem = document.getElementById("sv-problem");
const socket = new ConsoleSocket({
  page: "/console/supervision",
  onFrame: (frame) => handle(frame),
  onStatus: (state) => {
    status.textContent = t(state);
    status.dataset.state = state;
  },
  onOpen: () => reading.rejoin(),
});
const send = (frame) => socket.send(frame);
const reading = new Reading({ send });
const join = (conversationId) => {
  problem.hidden = true;
  reading.join(conversationId);
};
const list = new LiveList({ onJoin: join });
const alerts = new AlertsPanel({ onJoin: join });

function handle(frame) {
  switch (frame.type) {
    case "supervision_snapshot":
      list.show(frame.entries);
      break;
    case "alert":
      alerts.add(frame);
      break;
    case "joined":
      reading.joined(frame);
      list.setReading(frame.conversation.conversation_id);
      break;
    case "left":
      if (!reading.conversationId) list.setReading(null);
      break;
    case "message":
      reading.message(frame);
      break;
    case "state":
      reading.state(frame);
      break;
    case "ack":
      reading.acked(frame);
      break;
    case "assigned":
      reading.takenOver(frame.conversation.conversation_id);
      break;
    case "error":
      problem.textContent = frame.message;
      problem.hidden = false;
      break;
    default:
      break; // queue, typing, presence: the listener console's business
  }
}

socket.connect();
