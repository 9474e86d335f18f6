"""The visitor's WebSocket: hello with the visitor token, then messages both ways."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any
from uuid import UUID

import asyncpg
import msgspec
from litestar import WebSocket, websocket
from litestar.di import NamedDependency
from litestar.exceptions import WebSocketDisconnect
from redis.exceptions import RedisError

from server.conversations import frames as f
from server.conversations.assignment import AutoAssigner
from server.conversations.events import (
    VISITOR_KINDS,
    Channels,
    Forward,
    QueueChanged,
    StoredMessage,
    decode_event,
)
from server.conversations.lifecycle import Lifecycle
from server.conversations.origins import CLOSE_REASON as ORIGIN_REFUSED
from server.conversations.origins import is_havre_origin, origin_key, tenant_allows
from server.conversations.outbox import (
    CLOSE_FORBIDDEN,
    CLOSE_NOT_FOUND,
    CLOSE_UNAUTHORISED,
    Outbox,
    receive_hello,
    serve_frames,
    stop_tasks,
)
from server.conversations.repository import Q
from server.conversations.service import ChatError, ConversationService, VisitorClaims
from server.i18n import negotiate_locale
from server.limits import FrameBudget, VisitorLimits
from server.realtime import RESYNC, Realtime

log = logging.getLogger("havre.visitor")
_STATE_FRAME = b'{"type":"state"'


class VisitorSession:
    def __init__(
        self,
        outbox: Outbox,
        chat: ConversationService,
        lifecycle: Lifecycle,
        channels: Channels,
        claims: VisitorClaims,
        assigner: AutoAssigner | None = None,
        limits: VisitorLimits | None = None,
    ) -> None:
        self.outbox = outbox
        self.assigner = assigner
        self.limits = limits
        # Frames of any kind this socket may send per 10 s (quick exit is never refused).
        self.frames = FrameBudget(chat.settings.visitor_frames_per_10s)
        # The line's own limit on messages in 10 minutes (its protection settings), if any.
        self.line_message_limit: int | None = None
        # Messages already counted against the limit: the widget resends what was not yet
        # acknowledged after each welcome, and a resend is not a new message.
        self.counted: set[UUID] = set()
        self.chat = chat
        self.lifecycle = lifecycle
        self.channels = channels
        self.claims = claims
        self.locale = "fr"
        # Only a waiting visitor cares about the queue moving.
        self.queued = False

    @property
    def conversation_id(self) -> UUID:
        return self.claims.conversation_id

    async def catch_up(self) -> None:
        last = self.outbox.delivered.get(self.conversation_id, 0)
        await self.outbox.deliver(
            await self.chat.history(self.claims.tenant_id, self.conversation_id, last, staff=False)
        )

    async def seen(self) -> None:
        """A sign of life from a waiting visitor's page (see HAVRE_QUEUE_GRACE); a page back
        after the grace takes its place in the queue again."""
        async with self.chat.db.tenant_transaction(self.claims.tenant_id) as conn:
            was_left = await conn.fetchval(
                Q["visitor_seen"], self.conversation_id, self.chat.settings.queue_grace_seconds
            )
        if was_left:
            # Stored already: a lost announcement only delays the consoles' next list.
            with contextlib.suppress(RedisError, OSError):
                await self.chat.announce_queue_changed(self.claims.tenant_id)

    async def keep_seen(self) -> None:
        """While the socket is open the page is there, even when a hidden tab throttles its
        pings (the server's protocol pings close a socket whose page is gone)."""
        interval = max(5.0, self.chat.settings.queue_grace_seconds / 4)
        while True:
            await asyncio.sleep(interval)
            if self.queued:
                with contextlib.suppress(OSError, asyncpg.PostgresError):
                    await self.seen()

    async def send_position(self) -> None:
        standing = await self.chat.queue_position(self.claims.tenant_id, self.conversation_id)
        await self.outbox.send(
            f.QueuePosition(
                conversation_id=self.conversation_id,
                position=standing.position,
                estimated_wait_seconds=standing.estimated_wait_seconds,
                listeners_available=standing.listeners_available,
            )
        )

    async def pump(self, subscription: Any) -> None:
        """Events from Redis to the socket; any doubt is settled from PostgreSQL."""
        while True:
            _, payload = await subscription.get()
            try:
                await self.on_event(payload)
            except (WebSocketDisconnect, RuntimeError):
                return
            except Exception as exc:  # one bad event must not stop delivery
                log.warning("visitor event dropped: %s", type(exc).__name__)

    async def on_event(self, payload: bytes) -> None:
        if payload == RESYNC:
            await self.catch_up()
            return
        event = decode_event(payload)
        if isinstance(event, StoredMessage):
            last = self.outbox.delivered.get(self.conversation_id, 0)
            if event.kind not in VISITOR_KINDS:
                return
            if event.seq == last + 1:
                await self.outbox.deliver([self.chat.stored_to_frame(event)])
            elif event.seq > last:
                await self.catch_up()  # a gap: an earlier event is late or lost
        elif isinstance(event, Forward):
            if event.audience in ("all", "visitor"):
                if event.frame.startswith(_STATE_FRAME):
                    state = msgspec.json.decode(event.frame, type=f.StateChanged).state
                    self.queued = state == "queued"
                await self.outbox.send_raw(event.frame)
        elif isinstance(event, QueueChanged) and self.queued:
            with contextlib.suppress(ChatError):
                await self.send_position()

    async def handle(self, frame: f.VisitorFrame) -> None:
        cid = self.conversation_id
        match frame:
            case f.Send(client_id=client_id, body=body):
                if self.limits and client_id not in self.counted:
                    wait = await self.limits.message(cid, self.line_message_limit)
                    if wait is not None:
                        # Nothing is stored: the widget keeps the text and may send it again.
                        raise ChatError(code="too_many_messages", details={"retry_after": wait})
                    if len(self.counted) > 1000:
                        self.counted.clear()
                    self.counted.add(client_id)
                result = await self.chat.append(
                    tenant_id=self.claims.tenant_id,
                    conversation_id=cid,
                    client_id=client_id,
                    body=body,
                    author="visitor",
                    author_id=None,
                )
                await self.outbox.send(
                    f.Ack(
                        conversation_id=cid,
                        client_id=client_id,
                        seq=result.seq,
                        duplicate=result.duplicate,
                    )
                )
            case f.Typing():
                await self.channels.forward(
                    self.channels.conversation(cid),
                    f.TypingOut(conversation_id=cid, author="visitor"),
                    audience="staff",
                )
            case f.Read(seq=seq):
                await self.channels.forward(
                    self.channels.conversation(cid),
                    f.ReadOut(conversation_id=cid, author="visitor", seq=seq),
                    audience="staff",
                )
            case f.Sync(last_seq=last_seq):
                self.outbox.delivered[cid] = min(last_seq, self.outbox.delivered.get(cid, 0))
                await self.catch_up()
            case f.VisitorEnd(quick_exit=quick_exit):
                state = await self.lifecycle.end_by_visitor(self.claims, quick_exit=quick_exit)
                if state == "ended" and self.assigner is not None:
                    await self.assigner.run(self.claims.tenant_id)  # a listener is free again
            case f.Rate(rating=rating):
                await self.lifecycle.rate(self.claims, rating)
            case f.Ping():
                if self.queued:
                    await self.seen()
                await self.outbox.send(f.Pong())
            case f.RenewToken():
                await self.outbox.send(
                    f.Token(
                        token=await self.chat.renew_visitor_token(self.claims),
                        expires_in=self.chat.settings.visitor_token_ttl_seconds,
                    )
                )
            case f.VisitorHello():
                raise ChatError(code="already_greeted")


@websocket("/ws/visitor", name="ws:visitor")
async def visitor_socket(
    socket: WebSocket[Any, Any, Any],
    chat: NamedDependency[ConversationService],
    lifecycle: NamedDependency[Lifecycle],
    realtime: NamedDependency[Realtime],
    channels: NamedDependency[Channels],
    assigner: NamedDependency[AutoAssigner],
    limits: NamedDependency[VisitorLimits],
) -> None:
    await socket.accept()
    outbox = Outbox(socket)
    origin = socket.headers.get("origin")
    own_origin = is_havre_origin(
        origin, socket.headers.get("host"), socket.app.state.settings.server.public_url
    )
    if not own_origin and origin_key(origin) is None:
        # No Origin, or `null`: no tenant can allow it, so it is refused before hello is read.
        await outbox.close(CLOSE_FORBIDDEN, ORIGIN_REFUSED)
        return
    locale = negotiate_locale(socket.headers.get("accept-language"), default="fr")
    hello = await receive_hello(
        socket, outbox, f.visitor_decoder, f.VisitorHello, chat.settings.hello_timeout_seconds
    )
    if hello is None:
        return
    try:
        claims = chat.visitor_claims(hello.token)
    except ChatError as error:
        await outbox.close(CLOSE_UNAUTHORISED, error.code)
        return
    if not own_origin and not await tenant_allows(chat.db, claims.tenant_id, origin):
        await outbox.close(CLOSE_FORBIDDEN, ORIGIN_REFUSED)  # before the conversation is read
        return
    session = VisitorSession(outbox, chat, lifecycle, channels, claims, assigner, limits)
    session.locale = locale
    wanted = [channels.conversation(claims.conversation_id), channels.queue(claims.tenant_id)]
    # Subscribed before the state is read: a change committed in between (a claim) is then
    # either in what is read or waiting in the subscription, never in neither.
    async with realtime.subscription(wanted) as subscription:
        try:
            async with chat.db.tenant_transaction(claims.tenant_id) as conn:
                conversation = await chat.conversation(conn, claims.conversation_id)
        except ChatError as error:
            await outbox.close(CLOSE_NOT_FOUND, error.code)
            return
        session.queued = conversation["state"] == "queued"
        session.line_message_limit = conversation["messages_per_10_minutes"]
        listener_id = conversation["listener_id"]
        await outbox.send(
            f.Welcome(
                conversation_id=claims.conversation_id,
                state=conversation["state"],
                last_seq=conversation["last_seq"],
                listener=(
                    await chat.answerer(claims.tenant_id, claims.conversation_id, listener_id)
                    if conversation["state"] == "active" and listener_id is not None
                    else None
                ),
                crisis_help=conversation["state"] in ("ended", "abandoned", "missed")
                and f.crisis_help(
                    conversation["risk_level"], (conversation["wrapup"] or {}).get("risk_level")
                ),
            )
        )
        outbox.delivered[claims.conversation_id] = hello.last_seq
        await session.catch_up()
        if conversation["state"] == "queued":
            await session.seen()
            await session.send_position()
        pump = asyncio.create_task(session.pump(subscription))
        keep_seen = asyncio.create_task(session.keep_seen())
        try:
            await serve_frames(
                socket,
                outbox,
                f.visitor_decoder,
                session.handle,
                locale,
                claims.conversation_id,
                budget=session.frames,
            )
        finally:
            await stop_tasks([pump, keep_seen])
            if session.queued:
                # The grace before "abandoned" counts from the page's last moment here.
                with contextlib.suppress(OSError, asyncpg.PostgresError):
                    await session.seen()
