"""One console socket's supervision side: the live list of the tenants it supervises, the
conversations it reads silently, and the alerts it receives."""

from __future__ import annotations

import contextlib
from uuid import UUID

from redis.exceptions import RedisError

from server.access import TenantAccess, role_at_least
from server.conversations import frames as f
from server.conversations.events import Channels, SupervisionNotice
from server.conversations.outbox import Outbox
from server.conversations.queue import TeamScope
from server.conversations.supervision import Supervision
from server.realtime import Subscription


class SupervisorDesk:
    def __init__(
        self,
        *,
        outbox: Outbox,
        staff_id: UUID,
        accesses: dict[UUID, TenantAccess],
        supervision: Supervision,
        channels: Channels,
        subscription: Subscription,
    ) -> None:
        self.outbox = outbox
        self.staff_id = staff_id
        self.accesses = accesses
        self.supervised = {t: a for t, a in accesses.items() if role_at_least(a.role, "supervisor")}
        self.supervision = supervision
        self.channels = channels
        self.subscription = subscription
        self.presence = supervision.chat.alerts.supervisors
        self.scopes: dict[UUID, TeamScope] = {}
        # conversation id -> tenant id: in the last list sent, and being read silently.
        self.live: dict[UUID, UUID] = {}
        self.watching: dict[UUID, UUID] = {}
        self._last: tuple[tuple[object, ...], ...] | None = None

    async def start(self, scopes: dict[UUID, TeamScope]) -> None:
        """Subscribed to the supervisors' channels already (with the queue's)."""
        if not self.supervised:
            return
        self.scopes = {t: scopes[t] for t in self.supervised}
        await self.refresh_presence()
        await self.send_snapshot(always=True)

    async def refresh_presence(self) -> None:
        if self.supervised:
            with contextlib.suppress(RedisError, OSError):
                await self.presence.refresh(self.staff_id, self.supervised)

    async def stop(self) -> None:
        if self.supervised:
            await self.presence.clear(self.staff_id, self.supervised)

    async def send_snapshot(self, *, always: bool = False) -> None:
        if not self.supervised:
            return
        entries = await self.supervision.snapshot(list(self.supervised.values()), self.scopes)
        by_slug = {a.slug: t for t, a in self.supervised.items()}
        self.live = {e.conversation_id: by_slug[e.tenant] for e in entries}
        # Unchanged but for the clocks: no frame (the page counts the seconds itself).
        shape = tuple(
            (e.conversation_id, e.state, e.risk_level, e.listener_id, e.supervised, e.left)
            for e in entries
        )
        if always or shape != self._last:
            self._last = shape
            await self.outbox.send(f.SupervisionSnapshot(entries=entries))

    async def on_notice(self, notice: SupervisionNotice) -> None:
        scope = self.scopes.get(notice.tenant_id)
        if scope is None or not notice.frame:
            return
        if notice.teams is None or any(scope.allows(team) for team in notice.teams):
            await self.outbox.send_raw(notice.frame)

    async def _access(self, conversation_id: UUID) -> TenantAccess:
        hint = self.live.get(conversation_id) or self.watching.get(conversation_id)
        return await self.supervision.locate(
            self.accesses, self.staff_id, conversation_id, hint=hint
        )

    async def join(self, conversation_id: UUID) -> UUID:
        """Returns the tenant id; the caller then sends the history from the start."""
        access = await self._access(conversation_id)
        joined = await self.supervision.open_transcript(access, self.staff_id, conversation_id)
        await self.outbox.send(joined)
        self.watching[conversation_id] = access.organisation_id
        # From the start, even for a chat this socket already follows (one the supervisor
        # holds): the reading panel starts empty, and a console drops seqs it already has.
        self.outbox.delivered[conversation_id] = 0
        await self.subscription.add([self.channels.conversation(conversation_id)])
        return access.organisation_id

    async def leave(self, conversation_id: UUID, *, held: bool) -> None:
        if self.watching.pop(conversation_id, None) is not None and not held:
            await self.subscription.remove([self.channels.conversation(conversation_id)])
            self.outbox.delivered.pop(conversation_id, None)
        await self.outbox.send(f.Left(conversation_id=conversation_id))

    async def whisper(self, frame: f.Whisper) -> None:
        access = await self._access(frame.conversation_id)
        result = await self.supervision.whisper(access, self.staff_id, frame)
        await self.outbox.send(
            f.Ack(
                conversation_id=frame.conversation_id,
                client_id=frame.client_id,
                seq=result.seq,
                duplicate=result.duplicate,
            )
        )

    async def take_over(self, conversation_id: UUID) -> None:
        access = await self._access(conversation_id)
        await self.supervision.take_over(access, self.staff_id, conversation_id)
