"""WebSocket clients that speak Havre's protocol, as the widget and the console do."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Origin

Frame = dict[str, Any]
WAIT = 10.0


class Client:
    """Keeps every frame received, so a test can wait for one and inspect all of them."""

    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection
        self.frames: list[Frame] = []
        self._seen = 0
        self._arrived = asyncio.Condition()
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        try:
            async for raw in self.connection:
                async with self._arrived:
                    self.frames.append(json.loads(raw))
                    self._arrived.notify_all()
        except ConnectionClosed:
            pass  # a test that cares awaits closed()
        finally:
            async with self._arrived:
                self._arrived.notify_all()

    async def send(self, frame: Frame) -> None:
        await self.connection.send(json.dumps(frame))

    async def next(self, predicate: Callable[[Frame], bool], wait: float = WAIT) -> Frame:
        """The first frame after the last one returned that matches."""

        async def find() -> Frame:
            async with self._arrived:
                while True:
                    for index in range(self._seen, len(self.frames)):
                        if predicate(self.frames[index]):
                            self._seen = index + 1
                            return self.frames[index]
                    if self._reader.done():
                        raise AssertionError(f"socket closed; frames: {self.frames}")
                    await self._arrived.wait()

        return await asyncio.wait_for(find(), wait)

    async def of_type(self, kind: str, **fields: Any) -> Frame:
        return await self.next(
            lambda f: f["type"] == kind and all(f.get(k) == v for k, v in fields.items())
        )

    def received(self, kind: str) -> list[Frame]:
        return [f for f in self.frames if f["type"] == kind]

    async def closed(self, wait: float = WAIT) -> tuple[int | None, str | None]:
        await asyncio.wait_for(self.connection.wait_closed(), wait)
        return self.connection.close_code, self.connection.close_reason

    async def close(self) -> None:
        await self.connection.close()
        self._reader.cancel()


class Visitor(Client):
    conversation_id: str

    async def say(self, body: str, client_id: str | None = None) -> Frame:
        client_id = client_id or str(uuid.uuid4())
        await self.send({"type": "send", "client_id": client_id, "body": body})
        return await self.next(
            lambda f: f.get("client_id") == client_id and f["type"] in ("ack", "error")
        )


class Console(Client):
    async def say(self, conversation_id: str, body: str, client_id: str | None = None) -> Frame:
        client_id = client_id or str(uuid.uuid4())
        await self.send(
            {"type": "send", "conversation_id": conversation_id, "client_id": client_id,
             "body": body}
        )  # fmt: skip
        return await self.next(
            lambda f: f.get("client_id") == client_id and f["type"] in ("ack", "error")
        )


async def set_presence(console: Console, status: str) -> None:
    """Available or away, once the server has handled it: a socket's frames are handled in
    order, so it has when the pong of a ping sent after it is back."""
    await console.send({"type": "presence", "status": status})
    await console.send({"type": "ping"})
    await console.of_type("pong")


def havre_origin(host: str) -> Origin:
    """The origin of Havre's own pages at host:port, as the widget's chat page sends it."""
    return Origin(f"http://{host}")


async def open_visitor(host: str, token: str, last_seq: int = 0) -> Visitor:
    connection = await connect(f"ws://{host}/ws/visitor", origin=havre_origin(host))
    visitor = Visitor(connection)
    await visitor.send({"type": "hello", "token": token, "last_seq": last_seq})
    welcome = await visitor.of_type("welcome")
    visitor.conversation_id = welcome["conversation_id"]
    return visitor


async def open_console(host: str, access_token: str) -> Console:
    connection = await connect(f"ws://{host}/ws/console")
    console = Console(connection)
    await console.send({"type": "hello", "token": access_token})
    await console.of_type("queue_snapshot")
    return console
