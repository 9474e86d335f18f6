"""Auto mode: give each waiting visitor to the available listener with the fewest chats."""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any
from uuid import UUID

from server.access import TenantAccess
from server.conversations.queue import TeamScope, access_from_staff_row, team_scope
from server.conversations.repository import Q
from server.conversations.service import ChatError, ConversationService
from server.routing.presence import PresenceStore

log = logging.getLogger("havre.routing")


class AutoAssigner:
    def __init__(self, chat: ConversationService, presence: PresenceStore) -> None:
        self.chat = chat
        self.presence = presence

    async def run(self, tenant_id: UUID) -> int:
        """Assign what can be assigned in one tenant now; returns how many were. Cheap when
        nobody waits or nobody has room (it runs on every timer pass)."""
        db = self.chat.db
        async with db.tenant_transaction(tenant_id) as conn:
            tenant = await conn.fetchrow(
                "SELECT slug, name, routing_mode, default_capacity FROM organisations "
                "WHERE id = $1",
                tenant_id,
            )
            if tenant is None or tenant["routing_mode"] != "auto":
                return 0
            grace = self.chat.settings.queue_grace_seconds
            # A visitor whose page has gone is not given to a listener (a listener may still
            # take them by hand): they are, on the first pass after their page comes back.
            queued = [r for r in await conn.fetch(Q["queued"], None, True, grace) if not r["left"]]
            if not queued:
                return 0
            staff = await conn.fetch("SELECT * FROM havre_tenant_staff($1)", tenant_id)
        # Someone may serve the line twice, as a member and through a partner: each listener
        # row is one way in, with its own teams, and the highest capacity counts, as in a claim.
        ways_in: dict[UUID, list[Any]] = defaultdict(list)
        capacities: dict[UUID, int] = {}
        for row in staff:
            if row["role"] == "listener":
                ways_in[row["staff_id"]].append(row)
            if row["capacity"] is not None:
                capacities[row["staff_id"]] = max(
                    row["capacity"], capacities.get(row["staff_id"], 0)
                )
        present = await self.presence.available(ways_in)
        if not present:
            return 0
        # Each present listener's reach and room, read once for the whole queue.
        room: dict[UUID, _Room] = {}
        async with db.tenant_transaction(tenant_id) as conn:
            for staff_id in present:
                capacity = capacities.get(staff_id) or tenant["default_capacity"]
                load = int(await conn.fetchval("SELECT havre_listener_load($1)", staff_id))
                if load >= capacity:
                    continue
                reaches = []
                for row in ways_in[staff_id]:
                    access = access_from_staff_row(row, tenant_id, tenant["slug"], tenant["name"])
                    reaches.append((access, await team_scope(conn, access, staff_id)))
                room[staff_id] = _Room(reaches, load, capacity)
        assigned = 0
        for conversation in queued:
            if not room:
                break
            candidates: list[tuple[int, UUID, TenantAccess]] = []
            for staff_id, holder in room.items():
                way_in = holder.access_for(conversation["team_id"])
                if way_in is not None:
                    candidates.append((holder.load, staff_id, way_in))
            candidates.sort(key=lambda candidate: candidate[:2])  # the fewest chats first
            for _, staff_id, way_in in candidates:
                try:
                    await self.chat.claim(way_in, staff_id, conversation["id"])
                except ChatError as error:
                    if error.code == "already_taken":
                        break
                    room.pop(staff_id)  # full after all (another line), or no longer allowed
                    continue
                assigned += 1
                room[staff_id].load += 1
                if room[staff_id].load >= room[staff_id].capacity:
                    room.pop(staff_id)
                break
        return assigned


class _Room:
    """A present listener who can take more: their ways into the line (each with the teams it
    reaches), how many they hold now, and how many they may."""

    def __init__(
        self, reaches: list[tuple[TenantAccess, TeamScope]], load: int, capacity: int
    ) -> None:
        self.reaches = reaches
        self.load = load
        self.capacity = capacity

    def access_for(self, team_id: UUID | None) -> TenantAccess | None:
        """The way in that reaches this team, if one does."""
        return next((access for access, scope in self.reaches if scope.allows(team_id)), None)
