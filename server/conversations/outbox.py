"""One socket's sending side: serialised sends, and the per-conversation sequence it has seen."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from uuid import UUID

import asyncpg
import msgspec
from litestar import WebSocket
from litestar.exceptions import WebSocketDisconnect
from redis.exceptions import RedisError

from server.conversations import frames as f
from server.conversations.frame_text import field_with_control_character
from server.conversations.service import ChatError
from server.i18n import Locale, text
from server.limits import FrameBudget

log = logging.getLogger("havre.socket")
_encoder = msgspec.json.Encoder()
HelloT = TypeVar("HelloT")


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

    async def error(
        self,
        code: str,
        message: str,
        *,
        conversation_id: UUID | None = None,
        client_id: UUID | None = None,
    ) -> None:
        await self.send(
            f.ErrorFrame(
                code=code, message=message, conversation_id=conversation_id, client_id=client_id
            )
        )

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
CLOSE_ACCESS_CHANGED = 4409
CLOSE_ENDED = 4410
CLOSE_TOO_MANY_FRAMES = 4429


async def receive_hello(
    socket: WebSocket[Any, Any, Any],
    outbox: Outbox,
    decoder: msgspec.json.Decoder[Any],
    hello_type: type[HelloT],
    wait_seconds: float,
) -> HelloT | None:
    """The first frame, which must be a valid hello; otherwise the socket is closed with the
    reason and None is returned."""
    try:
        data = await asyncio.wait_for(socket.receive_data(mode="text"), wait_seconds)
        hello = decoder.decode(data)
    except TimeoutError:
        await outbox.close(CLOSE_HELLO_TIMEOUT, "hello expected")
        return None
    except WebSocketDisconnect:
        return None
    except (msgspec.MsgspecError, RecursionError, UnicodeDecodeError):
        await outbox.close(CLOSE_BAD_FRAME, "the first frame must be a valid hello")
        return None
    if not isinstance(hello, hello_type):
        await outbox.close(CLOSE_BAD_FRAME, "the first frame must be hello")
        return None
    return hello


async def serve_frames(
    socket: WebSocket[Any, Any, Any],
    outbox: Outbox,
    decoder: msgspec.json.Decoder[Any],
    handle: Callable[[Any], Awaitable[None]],
    locale: Locale,
    conversation_id: UUID | None = None,
    budget: FrameBudget | None = None,
) -> None:
    """Every frame after hello, decoded in one place: a frame that does not decode, or an
    action refused, is answered with an error frame and changes nothing.

    With a `budget`, every frame counts, undecodable ones too, but for the visitor's `end`
    (the quick exit is never refused): past it a frame is answered `too_many_frames`, and a
    socket that keeps sending past twice its budget is closed (4429)."""
    while True:
        try:
            data = await socket.receive_data(mode="text")
        except WebSocketDisconnect:
            return
        frame: Any = None
        problem = ""
        try:
            frame = decoder.decode(data)
        except msgspec.MsgspecError as exc:
            problem = str(exc)
        except (RecursionError, UnicodeDecodeError):  # nested past the stack, or not UTF-8
            problem = "the frame is not usable JSON"
        if budget is not None and not isinstance(frame, f.VisitorEnd):
            wait = budget.spend()
            if wait is not None:
                if budget.flooding():
                    await outbox.close(CLOSE_TOO_MANY_FRAMES, "too_many_frames")
                    return
                await outbox.send(
                    f.ErrorFrame(
                        code="too_many_frames",
                        message=text("too_many_frames", locale),
                        details={"retry_after": wait},
                        conversation_id=conversation_id,
                    )
                )
                continue
        if frame is None:
            await outbox.error("bad_frame", problem)
            continue
        about: UUID | None = getattr(frame, "conversation_id", None) or conversation_id
        client_id: UUID | None = getattr(frame, "client_id", None)
        try:
            if field := field_with_control_character(frame):
                raise ChatError(code="invalid_text", details={"field": field})
            await handle(frame)
        except ChatError as error:
            await outbox.send(
                f.ErrorFrame(
                    code=error.code,
                    message=text(error.code, locale),
                    details=error.details or None,
                    conversation_id=about,
                    client_id=client_id,
                )
            )
        except (asyncpg.CharacterNotInRepertoireError, asyncpg.UntranslatableCharacterError):
            # A NUL in a text that is stored in clear (a team slug, a wrap-up topic).
            await outbox.error(
                "invalid_text",
                text("invalid_text", locale),
                conversation_id=about,
                client_id=client_id,
            )
        except (RedisError, OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            # PostgreSQL or Redis away for a moment: the client may try again; the socket
            # stays open (a message not acknowledged was not stored, and is sent again).
            log.warning("frame not served: %s", type(exc).__name__)
            await outbox.error(
                "service_unavailable",
                text("service_unavailable", locale),
                conversation_id=about,
                client_id=client_id,
            )


async def stop_tasks(tasks: list[asyncio.Task[None]]) -> None:
    for task in tasks:
        task.cancel()
    for task in tasks:
        with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect, RuntimeError):
            await task
