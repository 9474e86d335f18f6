"""The queue a staff member sees: which teams' chats they may take, across every tenant they
serve, ordered by risk then waiting time (visitors whose page has gone last), and never any
text."""

from __future__ import annotations

import asyncio
import time
from typing import Any, NamedTuple
from uuid import UUID

from redis.exceptions import RedisError

from server.access import TenantAccess
from server.conversations import frames as f
from server.conversations.repository import RISK_ORDER, Q
from server.db import Connection, Database
from server.routing.presence import PresenceStore

# Every console of a worker asks for the same tenant's queue after each change: one query
# answers them all for this long.
SHARED_FOR_SECONDS = 0.1


class TeamScope(NamedTuple):
    """None: every team. Otherwise these teams, and unrouted chats when include_unteamed."""

    teams: frozenset[UUID] | None
    include_unteamed: bool

    def allows(self, team_id: UUID | None) -> bool:
        if self.teams is None:
            return True
        return team_id in self.teams if team_id is not None else self.include_unteamed


def access_from_staff_row(row: Any, tenant_id: UUID, slug: str, name: str) -> TenantAccess:
    """A havre_tenant_staff row (someone who serves the tenant) as their access to it."""
    return TenantAccess(
        organisation_id=tenant_id,
        slug=slug,
        name=name,
        role=row["role"],
        via_partner=row["via_partner"],
        team_ids=list(row["team_ids"]) if row["team_ids"] is not None else None,
    )


async def team_scope(conn: Connection, access: TenantAccess, staff_id: UUID) -> TeamScope:
    """Partner staff: the teams the grant names (all when it names none). Own listeners in
    teams: their teams and unrouted chats. Supervisors and listeners in no team: all."""
    if access.via_partner is not None:
        teams = frozenset(access.team_ids) if access.team_ids is not None else None
        return TeamScope(teams, include_unteamed=False)
    if access.role != "listener":
        return TeamScope(None, include_unteamed=True)
    own = frozenset(r["team_id"] for r in await conn.fetch(Q["listener_teams"], staff_id))
    return TeamScope(own or None, include_unteamed=True)


class QueueStanding(NamedTuple):
    """A waiting visitor's place, as they are told it."""

    position: int
    # None until the line has answered someone, and while nobody of the line is available.
    estimated_wait_seconds: int | None
    listeners_available: bool


class QueueView:
    def __init__(self, db: Database, presence: PresenceStore, grace_seconds: int) -> None:
        self.db = db
        self.presence = presence
        # A queued visitor whose page has been gone this long has left (HAVRE_QUEUE_GRACE).
        self.grace_seconds = grace_seconds
        self._shared: dict[UUID, tuple[float, asyncio.Future[list[Any]]]] = {}

    async def standing(self, tenant_id: UUID, conversation_id: UUID) -> QueueStanding:
        """The visitor's place; a wait is estimated only while a listener of the line is
        available (a number while nobody is there would be a promise nobody keeps)."""
        async with self.db.tenant_transaction(tenant_id) as conn:
            position: int = await conn.fetchval(
                Q["queue_position"], conversation_id, self.grace_seconds
            )
            median = await conn.fetchval(Q["recent_wait_seconds"])
            listeners = [row["staff_id"] for row in await conn.fetch(Q["line_listeners"])]
        try:
            anyone = bool(await self.presence.available(listeners))
        except (RedisError, OSError):
            anyone = True  # unknown: say nothing rather than "nobody"
        estimate = int(median * position) if median is not None and anyone else None
        return QueueStanding(position, estimate, anyone)

    def changed(self, tenant_id: UUID) -> None:
        self._shared.pop(tenant_id, None)

    async def _queued(self, tenant_id: UUID) -> list[Any]:
        hit = self._shared.get(tenant_id)
        if hit is not None and time.monotonic() - hit[0] < SHARED_FOR_SECONDS:
            return await asyncio.shield(hit[1])
        future: asyncio.Future[list[Any]] = asyncio.get_running_loop().create_future()
        self._shared[tenant_id] = (time.monotonic(), future)
        try:
            async with self.db.tenant_transaction(tenant_id) as conn:
                rows = list(await conn.fetch(Q["queued"], None, True, self.grace_seconds))
        except BaseException as exc:
            self._shared.pop(tenant_id, None)
            future.set_exception(exc)
            future.exception()  # retrieved: the callers sharing it get it raised
            raise
        future.set_result(rows)
        return rows

    async def scopes(self, staff_id: UUID, accesses: list[TenantAccess]) -> dict[UUID, TeamScope]:
        scopes: dict[UUID, TeamScope] = {}
        for access in accesses:
            async with self.db.tenant_transaction(access.organisation_id) as conn:
                scopes[access.organisation_id] = await team_scope(conn, access, staff_id)
        return scopes

    async def entries(
        self, accesses: list[TenantAccess], scopes: dict[UUID, TeamScope]
    ) -> list[f.QueueEntry]:
        ranked: list[tuple[bool, int, Any, f.QueueEntry]] = []
        for access in accesses:
            scope = scopes[access.organisation_id]
            for row in await self._queued(access.organisation_id):
                if not scope.allows(row["team_id"]):
                    continue
                entry = f.QueueEntry(
                    conversation_id=row["id"],
                    tenant=access.slug,
                    tenant_name=access.name,
                    team=row["team"],
                    topic=row["topic"],
                    locale=row["locale"],
                    risk_level=row["risk_level"],
                    waiting_seconds=row["waiting_seconds"],
                    left=row["left"],
                )
                # Present visitors first, across tenants too; the arrival time orders
                # same-second chats.
                risk = -RISK_ORDER.index(row["risk_level"])
                ranked.append((row["left"], risk, row["created_at"], entry))
        ranked.sort(key=lambda item: item[:3])
        return [item[3] for item in ranked]
