"""What happens with time: session-limit and inactivity warnings and ends, supervisors' wait
and shift alerts, and visitors still queued when the line closes. One worker at a time runs it
(a Redis lock)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime
from uuid import UUID

import asyncpg
from redis.exceptions import RedisError

from server.conversations import frames as f
from server.conversations.lifecycle import Lifecycle
from server.conversations.repository import Q
from server.conversations.service import ChatError
from server.hours.schedule import Schedule
from server.realtime import Realtime, stop_task
from server.tenants.files import read_tenant

log = logging.getLogger("havre.timers")


class Timers:
    def __init__(
        self,
        lifecycle: Lifecycle,
        realtime: Realtime,
        interval: float,
        alert_interval: float | None = None,
    ) -> None:
        self.lifecycle = lifecycle
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
            slug = await conn.fetchval("SELECT slug FROM organisations WHERE id = $1", tenant_id)
            session_warnings = await conn.fetch(Q["due_session_warnings"])
            session_ends = await conn.fetch(Q["due_session_ends"])
            inactivity_warnings = await conn.fetch(Q["due_inactivity_warnings"])
            inactivity_ends = await conn.fetch(Q["due_inactivity_ends"])
            queued = await conn.fetch(Q["queued_ids"])
            tenant = await read_tenant(conn, slug) if queued else None
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
        # Supervisors: visitors waiting past the threshold, listeners past the shift limit.
        if alerts:
            await chat.alerts.tenant_tick(tenant_id, now.timestamp())
        if tenant is None:
            return
        open_by_team: dict[str | None, bool] = {}
        for row in queued:
            team = teams.get(row["team_id"])
            if team not in open_by_team:
                open_by_team[team] = Schedule.from_tenant(tenant, team).state_at(now, 0).is_open
                if team is not None and not open_by_team[team]:
                    # A team's visitors are still answered while the line as a whole is open.
                    open_by_team[team] = Schedule.from_tenant(tenant, None).state_at(now, 0).is_open
            if not open_by_team[team]:
                with contextlib.suppress(ChatError):
                    await self.lifecycle.end_by_system(tenant_id, row["id"], "closed")
