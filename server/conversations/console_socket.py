"""The console's session: the listener's queue, their conversations, presence and tools
(console_route.py is the WebSocket endpoint that opens one)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from uuid import UUID

from litestar.exceptions import WebSocketDisconnect
from redis.exceptions import RedisError

from server.access import TenantAccess, role_at_least
from server.conversations import frames as f
from server.conversations.assignment import AutoAssigner
from server.conversations.console_access import serving
from server.conversations.events import (
    AccessChanged,
    AssignmentChanged,
    Channels,
    Forward,
    PresenceChanged,
    QueueChanged,
    StoredMessage,
    SupervisionNotice,
    decode_event,
)
from server.conversations.lifecycle import Lifecycle
from server.conversations.outbox import (
    CLOSE_ACCESS_CHANGED,
    Outbox,
)
from server.conversations.presence_report import PresenceReport
from server.conversations.queue import TeamScope
from server.conversations.service import ChatError, ConversationService
from server.conversations.supervision import Supervision
from server.conversations.supervision_desk import SupervisorDesk
from server.realtime import RESYNC, Subscription
from server.routing.presence import PresenceStore, Status

log = logging.getLogger("havre.console")


class ConsoleSession:
    def __init__(
        self,
        *,
        outbox: Outbox,
        staff_id: UUID,
        accesses: list[TenantAccess],
        chat: ConversationService,
        lifecycle: Lifecycle,
        channels: Channels,
        presence: PresenceStore,
        assigner: AutoAssigner,
        subscription: Subscription,
    ) -> None:
        self.outbox = outbox
        self.staff_id = staff_id
        self.accesses = {a.organisation_id: a for a in accesses}
        self.chat = chat
        self.lifecycle = lifecycle
        self.channels = channels
        self.presence = presence
        self.assigner = assigner
        self.subscription = subscription
        self.status: Status = "away"
        # conversation id -> tenant id, for the conversations this socket follows.
        self.held: dict[UUID, UUID] = {}
        self.queue_tenants: dict[UUID, UUID] = {}
        # conversation id -> its last_seq when this socket began to follow it (see _follow).
        self.follow_points: dict[UUID, int] = {}
        self._queue_dirty = asyncio.Event()
        self.scopes: dict[UUID, TeamScope] = {}
        self._last_queue: tuple[tuple[UUID, str, bool], ...] | None = None
        # Set once this console told its presence: only then does closing it clear presence
        # (a supervision page does not set a listener away).
        self.told_presence = False
        self.report = PresenceReport(
            outbox=outbox,
            db=chat.db,
            presence=presence,
            channels=channels,
            staff_id=staff_id,
            accesses=self.accesses,
        )
        self.desk = SupervisorDesk(
            outbox=outbox,
            staff_id=staff_id,
            accesses=self.accesses,
            supervision=Supervision(chat),
            channels=channels,
            subscription=subscription,
        )

    def following(self, conversation_id: UUID) -> UUID | None:
        """The tenant of a conversation this socket holds or reads silently."""
        return self.held.get(conversation_id) or self.desk.watching.get(conversation_id)

    def access_for(self, conversation_id: UUID) -> TenantAccess:
        tenant_id = self.held.get(conversation_id) or self.queue_tenants.get(conversation_id)
        if tenant_id is None or tenant_id not in self.accesses:
            raise ChatError(code="conversation_not_found")
        return self.accesses[tenant_id]

    async def start(self) -> None:
        await self.subscription.add(
            [self.channels.staff(self.staff_id)]
            + [self.channels.queue(t) for t in self.accesses]
            + [
                self.channels.supervisors(t)
                for t, a in self.accesses.items()
                if role_at_least(a.role, "supervisor")
            ]
        )
        self.scopes = await self.chat.queue.scopes(self.staff_id, list(self.accesses.values()))
        for conversation_id in await self.chat.active_for(
            self.staff_id, list(self.accesses.values())
        ):
            await self._follow(conversation_id, await self._tenant_of(conversation_id))
        await self.send_queue(always=True)
        # Another console of this listener may have made them available: this one follows
        # suit (and keeps them so with its heartbeat if that one crashes).
        self.status = await self.report.status(self.status)
        await self.report.send(self.status, always=True)
        await self.desk.start(self.scopes)

    async def resync_assignments(self) -> None:
        """After Redis was away: assignments and ends announced meanwhile were lost with it;
        PostgreSQL says which conversations this listener holds now."""
        active = set(await self.chat.active_for(self.staff_id, list(self.accesses.values())))
        for conversation_id in [c for c in self.held if c not in active]:
            await self._unfollow(conversation_id, "ended")
        for conversation_id in active - set(self.held):
            await self._follow(conversation_id, await self._tenant_of(conversation_id))

    async def _tenant_of(self, conversation_id: UUID) -> UUID:
        for tenant_id in self.accesses:
            async with self.chat.db.tenant_transaction(tenant_id) as conn:
                if await conn.fetchval(
                    "SELECT 1 FROM conversations WHERE id = $1", conversation_id
                ):
                    return tenant_id
        raise ChatError(code="conversation_not_found")

    async def _follow(self, conversation_id: UUID, tenant_id: UUID) -> None:
        # Subscribed before reading, so nothing committed in between goes unannounced.
        await self.subscription.add([self.channels.conversation(conversation_id)])
        summary = await self.chat.summary(tenant_id, conversation_id)
        self.held[conversation_id] = tenant_id
        # Live frames go on from the summary's last_seq; the console's first `sync` asks for
        # what came before (it may already hold some of it after a reconnect).
        self.follow_points[conversation_id] = summary.last_seq
        self.outbox.delivered[conversation_id] = max(
            summary.last_seq, self.outbox.delivered.get(conversation_id, 0)
        )
        await self.outbox.send(f.Assigned(conversation=summary))

    async def _unfollow(self, conversation_id: UUID, reason: str) -> None:
        if self.held.pop(conversation_id, None) is None:
            return
        if conversation_id not in self.desk.watching:  # a supervisor may go on reading it
            await self.subscription.remove([self.channels.conversation(conversation_id)])
        await self.outbox.send(f.Unassigned(conversation_id=conversation_id, reason=reason))

    async def send_queue(self, *, always: bool = False) -> None:
        entries = await self.chat.queue.entries(list(self.accesses.values()), self.scopes)
        by_slug = {a.slug: t for t, a in self.accesses.items()}
        self.queue_tenants = {e.conversation_id: by_slug[e.tenant] for e in entries}
        # Same chats at the same risk, present or left alike: nothing worth a frame (the
        # console counts the wait).
        shape = tuple((e.conversation_id, e.risk_level, e.left) for e in entries)
        if always or shape != self._last_queue:
            self._last_queue = shape
            await self.outbox.send(f.QueueSnapshot(entries=entries))

    async def catch_up(self, conversation_id: UUID) -> None:
        tenant_id = self.following(conversation_id)
        if tenant_id is None:
            return
        last = self.outbox.delivered.get(conversation_id, 0)
        await self.outbox.deliver(
            await self.chat.history(tenant_id, conversation_id, last, staff=True)
        )

    async def queue_refresher(self) -> None:
        """Coalesces bursts of queue changes into one snapshot."""
        while True:
            await self._queue_dirty.wait()
            await asyncio.sleep(0.05)  # a burst of changes gives one snapshot
            self._queue_dirty.clear()
            try:
                await self.send_queue()
                await self.desk.send_snapshot()
            except (WebSocketDisconnect, RuntimeError):
                return
            except Exception as exc:
                log.warning("queue refresh failed: %s", type(exc).__name__)
                self._queue_dirty.set()

    async def heartbeat(self) -> None:
        """Keeps presence alive while this console is connected."""
        interval = max(1.0, self.presence.ttl / 3)
        while True:
            await asyncio.sleep(interval)
            if self.status == "available":
                with contextlib.suppress(RedisError, OSError):
                    await self.presence.refresh(self.staff_id)
            await self.desk.refresh_presence()

    async def pump(self) -> None:
        while True:
            _, payload = await self.subscription.get()
            try:
                await self.on_event(payload)
            except (WebSocketDisconnect, RuntimeError):
                return
            except Exception as exc:  # one bad event must not stop delivery
                log.warning("console event dropped: %s", type(exc).__name__)

    async def on_event(self, payload: bytes) -> None:
        if payload == RESYNC:
            await self.resync_assignments()
            await self.report.send(self.status)  # held count and status, as they are now
            for conversation_id in (*self.held, *self.desk.watching):
                await self.catch_up(conversation_id)
            self._queue_dirty.set()
            return
        event = decode_event(payload)
        if isinstance(event, StoredMessage):
            cid = event.conversation_id
            if self.following(cid) is None:
                return
            last = self.outbox.delivered.get(cid, 0)
            if event.seq == last + 1:
                await self.outbox.deliver([self.chat.stored_to_frame(event)])
            elif event.seq > last:
                await self.catch_up(cid)  # a gap: an earlier event is late or lost
        elif isinstance(event, Forward):
            if event.audience in ("all", "staff"):
                await self.outbox.send_raw(event.frame)
        elif isinstance(event, QueueChanged):
            self.chat.queue.changed(event.tenant_id)
            self._queue_dirty.set()
        elif isinstance(event, SupervisionNotice):
            await self.desk.on_notice(event)
            self._queue_dirty.set()
        elif isinstance(event, AssignmentChanged):
            if event.assigned:
                await self._follow(event.conversation_id, event.tenant_id)
            else:
                await self._unfollow(event.conversation_id, event.reason)
            await self.report.send(self.status)  # one more or one fewer held
        elif isinstance(event, PresenceChanged):
            # Another console of this listener changed it: this one's heartbeat follows suit.
            self.status = await self.report.status(self.status)
            await self.report.send(self.status)
        elif isinstance(event, AccessChanged):
            now = {a.organisation_id: a for a in await serving(self.chat.db, self.staff_id)}
            scopes = await self.chat.queue.scopes(self.staff_id, list(now.values()))
            if now != self.accesses or scopes != self.scopes:
                # The console reconnects at once and serves what it now may (or is refused).
                await self.outbox.close(CLOSE_ACCESS_CHANGED, "access_changed")

    async def handle(self, frame: f.ConsoleFrame) -> None:
        match frame:
            case f.Presence(status=status):
                self.status = status
                self.told_presence = True
                await self.presence.set(self.staff_id, status)
                await self.report.send(status, always=True)  # the answer the console awaits
                await self.report.tell_other_consoles()
                for tenant_id in self.accesses:
                    if status == "available":
                        await self.assigner.run(tenant_id)
                    # Waiting visitors are told whether anyone is there (and a wait estimate).
                    await self.channels.publish(
                        self.channels.queue(tenant_id), QueueChanged(tenant_id)
                    )
            case f.Claim(conversation_id=cid):
                if cid not in self.queue_tenants:
                    await self.send_queue()
                await self.chat.claim(self.access_for(cid), self.staff_id, cid)
            case f.ConsoleSend(conversation_id=cid, client_id=client_id, body=body, kind=kind):
                access = self.access_for(cid)
                if cid not in self.held:
                    raise ChatError(code="not_your_conversation")
                result = await self.chat.append(
                    tenant_id=access.organisation_id,
                    conversation_id=cid,
                    client_id=client_id,
                    body=body,
                    author="listener",
                    author_id=self.staff_id,
                    kind=kind,
                )
                await self.outbox.send(
                    f.Ack(
                        conversation_id=cid,
                        client_id=client_id,
                        seq=result.seq,
                        duplicate=result.duplicate,
                    )
                )
            case f.Typing(conversation_id=cid) if cid is not None and cid in self.held:
                await self.channels.forward(
                    self.channels.conversation(cid),
                    f.TypingOut(conversation_id=cid, author="listener"),
                    audience="visitor",
                )
            case f.Read(conversation_id=cid, seq=seq) if cid is not None and cid in self.held:
                await self.channels.forward(
                    self.channels.conversation(cid),
                    f.ReadOut(conversation_id=cid, author="listener", seq=seq),
                    audience="visitor",
                )
            case f.ConsoleSync(conversation_id=cid, last_seq=last_seq):
                followed = self.following(cid)
                if followed is None:
                    raise ChatError(code="not_your_conversation")
                point = self.follow_points.pop(cid, None)
                if point is None:  # asked again: everything after last_seq
                    self.outbox.delivered[cid] = last_seq
                    await self.catch_up(cid)
                    return
                # The first sync after `assigned`: what came before it, once; what came after
                # it was sent live on this socket (the console places messages by seq).
                history = await self.chat.history(followed, cid, last_seq, staff=True)
                for message in history:
                    if message.seq <= point:
                        await self.outbox.send(message)
            case f.ConsoleEnd(conversation_id=cid, wrapup=wrapup):
                # A conversation the visitor ended or left is no longer held, but still
                # wrapped up: its tenant is looked up.
                known = cid in self.held or cid in self.queue_tenants
                access = (
                    self.access_for(cid) if known else self.accesses[await self._tenant_of(cid)]
                )
                if await self.lifecycle.end_by_listener(access, self.staff_id, cid, wrapup):
                    await self.outbox.send(f.Unassigned(conversation_id=cid, reason="listener"))
                else:
                    await self._after_capacity_freed()
            case f.Extend(conversation_id=cid):
                await self.outbox.send(
                    await self.lifecycle.extend(self.access_for(cid), self.staff_id, cid)
                )
            case f.SetRisk(conversation_id=cid, level=level):
                await self.chat.set_risk(self.access_for(cid), self.staff_id, cid, level)
            case f.Transfer(conversation_id=cid):
                await self.lifecycle.transfer(self.access_for(cid), self.staff_id, frame)
                await self._after_capacity_freed()
            case f.Join(conversation_id=cid):
                await self.desk.join(cid)
                await self.catch_up(cid)
            case f.Leave(conversation_id=cid):
                await self.desk.leave(cid, held=cid in self.held)
            case f.Whisper():
                await self.desk.whisper(frame)
            case f.TakeOver(conversation_id=cid):
                await self.desk.take_over(cid)
            case f.Ping():
                if self.status == "available":
                    # As in heartbeat(): a Redis outage must not close the console.
                    with contextlib.suppress(RedisError, OSError):
                        await self.presence.refresh(self.staff_id)
                await self.outbox.send(f.Pong())
            case f.ConsoleHello():
                raise ChatError(code="already_greeted")
            case _:
                raise ChatError(code="not_your_conversation")

    async def _after_capacity_freed(self) -> None:
        if self.status == "available":
            for tenant_id in self.accesses:
                await self.assigner.run(tenant_id)
