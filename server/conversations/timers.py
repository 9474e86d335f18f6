"""What happens with time: session-limit and inactivity warnings and ends, supervisors' wait
and shift alerts, queued visitors whose page went silent (abandoned, or at high risk marked as
left and alerted), queued visitors warned before the line closes and marked missed when it
does, and auto-assignment of whatever waits (capacity is also freed by ends that no console
sees). One worker at a time runs it (a Redis lock)."""

from __future__ import annotations

import asyncio
import logging
import math
from datetime import UTC, datetime
from uuid import UUID

import asyncpg
from redis.exceptions import RedisError

from server.conversations import frames as f
from server.conversations.assignment import AutoAssigner
from server.conversations.lifecycle import Lifecycle
from server.conversations.repository import Q
from server.hours.schedule import OpeningState, Schedule
from server.realtime import Realtime, stop_task
from server.tenants.files import read_tenant
from server.tenants.structs import TenantFile

log = logging.getLogger("havre.timers")
# When a line stops taking new conversations right at its close (no cut-off), its waiting
# visitors are still warned this many minutes before.
CLOSING_WARNING_MINUTES = 10


class Timers:
    def __init__(
        self,
        lifecycle: Lifecycle,
        realtime: Realtime,
        interval: float,
        alert_interval: float | None = None,
        *,
        assigner: AutoAssigner | None = None,
        queue_grace: int = 120,
    ) -> None:
        self.lifecycle = lifecycle
        self.assigner = assigner
        self.queue_grace = queue_grace
        self.chat = lifecycle.chat
        self.realtime = realtime
        self.interval = interval
        self.alert_interval = interval if alert_interval is None else alert_interval
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="conversation-timers")

    async def stop(self) -> None:
        await stop_task(self._task)

    async def _loop(self) -> None:
        lock_key = self.realtime.client.key("timers-lock")
        while True:
            try:
                # Held for one pass at most; whichever worker gets it does the pass.
                if await self.realtime.client.redis.set(
                    lock_key, "1", nx=True, px=int(self.interval * 1000)
                ):
                    await self.tick(datetime.now(UTC))
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # timers must outlive any one bad pass
                log.warning("timer pass skipped: %s", type(exc).__name__)
            await asyncio.sleep(self.interval)

    async def tick(self, now: datetime) -> None:
        async with self.chat.db.transaction() as conn:
            tenants = [r[0] for r in await conn.fetch("SELECT havre_live_tenants()")]
        # The supervisors' pass reads every listener in conversation: at 1,000 conversations,
        # running it every tick doubled the chat's p99 latency (tests/bench/chat_latency.py).
        alerts = bool(
            await self.realtime.client.redis.set(
                self.realtime.client.key("alerts-lock"),
                "1",
                nx=True,
                px=int(self.alert_interval * 1000),
            )
        )
        for tenant_id in tenants:
            try:
                await self.tenant_tick(tenant_id, now, alerts=alerts)
            except (RedisError, OSError, asyncpg.PostgresError) as exc:
                # One tenant's failure must not hold back the others' warnings and ends.
                log.warning("timers skipped a tenant: %s", type(exc).__name__)

    async def tenant_tick(self, tenant_id: UUID, now: datetime, *, alerts: bool = True) -> None:
        chat, channels = self.chat, self.chat.channels
        async with chat.db.tenant_transaction(tenant_id) as conn:
            org = await conn.fetchrow(
                "SELECT slug, routing_mode FROM organisations WHERE id = $1", tenant_id
            )
            session_warnings = await conn.fetch(Q["due_session_warnings"])
            session_ends = await conn.fetch(Q["due_session_ends"])
            inactivity_warnings = await conn.fetch(Q["due_inactivity_warnings"])
            inactivity_ends = await conn.fetch(Q["due_inactivity_ends"])
            abandons = await conn.fetch(Q["due_abandons"], self.queue_grace)
            leaves = await conn.fetch(Q["due_leaves"], self.queue_grace)
            queued = await conn.fetch(Q["queued_ids"])
            tenant = await read_tenant(conn, org["slug"]) if queued else None
            teams = {r["id"]: r["slug"] for r in await conn.fetch("SELECT id, slug FROM teams")}
        for row in session_warnings:
            await channels.forward(
                channels.conversation(row["id"]),
                f.Warning(
                    conversation_id=row["id"], kind="session_ending", minutes_left=row["minutes"]
                ),
            )
        for row in inactivity_warnings:
            await channels.forward(
                channels.conversation(row["id"]),
                f.Warning(
                    conversation_id=row["id"], kind="inactivity", minutes_left=row["minutes"]
                ),
            )
        for row in session_ends:
            await self.lifecycle.end_by_system(tenant_id, row["id"], "session_limit")
        for row in inactivity_ends:
            await self.lifecycle.end_by_system(tenant_id, row["id"], "inactivity")
        for row in abandons:
            # The visitor closed the page while waiting: no listener should take a ghost.
            await self.lifecycle.end_queued(
                tenant_id, row["id"], "abandoned", "visitor_left", silent_for=self.queue_grace
            )
        # At high or imminent risk they stay, marked as left: the queue moves past them, and
        # their supervisors are told.
        if leaves and await chat.alerts.visitors_left(tenant_id, list(leaves)):
            await chat.announce_queue_changed(tenant_id)
        # Supervisors: visitors waiting past the threshold, listeners past the shift limit.
        if alerts:
            await chat.alerts.tenant_tick(tenant_id, now.timestamp())
        if tenant is not None:
            gone = {row["id"] for row in abandons}
            await self._closing(
                tenant_id, tenant, now, [r for r in queued if r["id"] not in gone], teams
            )
        if self.assigner is not None and queued and org["routing_mode"] == "auto":
            # Ends by the visitor, by timers or by a take-over free capacity no console sees.
            await self.assigner.run(tenant_id)

    async def _closing(
        self,
        tenant_id: UUID,
        tenant: TenantFile,
        now: datetime,
        queued: list[asyncpg.Record],
        teams: dict[UUID, str],
    ) -> None:
        """Queued visitors are told once when their line (or team) stops taking new
        conversations, and marked missed when it closes."""
        window = tenant.routing.closing_cutoff_minutes or CLOSING_WARNING_MINUTES
        states: dict[str | None, OpeningState] = {}
        to_warn: list[tuple[UUID, int]] = []
        for row in queued:
            team = teams.get(row["team_id"])
            if team not in states:
                states[team] = Schedule.from_tenant(tenant, team).state_at(now, window)
            state = states[team]
            if not state.is_open:
                await self.lifecycle.end_queued(tenant_id, row["id"], "missed", "closed")
            elif not state.accepting_new and state.closes_at is not None:
                minutes = max(1, math.ceil((state.closes_at - now).total_seconds() / 60))
                to_warn.append((row["id"], minutes))
        if not to_warn:
            return
        async with self.chat.db.tenant_transaction(tenant_id) as conn:
            fresh = {
                r["id"]
                for r in await conn.fetch(Q["mark_closing_warned"], [cid for cid, _ in to_warn])
            }
        for conversation_id, minutes in to_warn:
            if conversation_id in fresh:
                await self.chat.channels.forward(
                    self.chat.channels.conversation(conversation_id),
                    f.Warning(
                        conversation_id=conversation_id, kind="closing", minutes_left=minutes
                    ),
                    audience="visitor",
                )
