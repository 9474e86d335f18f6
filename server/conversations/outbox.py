"""One socket's sending side: serialised sends, and the per-conversation sequence it has seen."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any
from uuid import UUID

import msgspec
from litestar import WebSocket
from litestar.exceptions import WebSocketDisconnect

from server.conversations import frames as f

_encoder = msgspec.json.Encoder()


class Outbox:
    def __init__(self, socket: WebSocket[Any, Any, Any]) -> None:
        self.socket = socket
        self._lock = asyncio.Lock()
        # conversation id -> highest seq delivered on this socket (no gap, no duplicate).
        self.delivered: dict[UUID, int] = {}

    async def send(self, frame: msgspec.Struct) -> None:
        await self.send_raw(_encoder.encode(frame))

    async def send_raw(self, payload: bytes) -> None:
        async with self._lock:
            await self.socket.send_data(payload.decode(), mode="text")

    async def error(self, code: str, message: str, **ids: UUID | None) -> None:
        await self.send(f.ErrorFrame(code=code, message=message, **ids))

    async def deliver(self, messages: list[f.Message]) -> None:
        """Send messages past what this socket already has, in order."""
        for message in messages:
            last = self.delivered.get(message.conversation_id, 0)
            if message.seq <= last:
                continue
            await self.send(message)
            self.delivered[message.conversation_id] = message.seq

    async def close(self, code: int, reason: str) -> None:
        with contextlib.suppress(WebSocketDisconnect, RuntimeError):
            await self.socket.close(code=code, reason=reason)


# Close codes (4000-4999 are the application's).
CLOSE_BAD_FRAME = 4400
CLOSE_UNAUTHORISED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
CLOSE_HELLO_TIMEOUT = 4408
CLOSE_ENDED = 4410
