"""Auto mode: give each waiting visitor to the available listener with the fewest chats."""

from __future__ import annotations

import logging
from uuid import UUID

from server.auth import TenantAccess
from server.conversations.repository import Q
from server.conversations.service import ChatError, ConversationService
from server.routing.presence import PresenceStore
from server.routing.queue import TeamScope, access_from_staff_row, team_scope

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
            queued = await conn.fetch(Q["queued"], None, True)
            if not queued:
                return 0
            staff = await conn.fetch("SELECT * FROM havre_tenant_staff($1)", tenant_id)
        listeners = {r["staff_id"]: r for r in staff if r["role"] == "listener"}
        present = await self.presence.available(listeners)
        if not present:
            return 0
        # Each present listener's reach and room, read once for the whole queue.
        room: dict[UUID, _Room] = {}
        async with db.tenant_transaction(tenant_id) as conn:
            for staff_id in present:
                row = listeners[staff_id]
                access = access_from_staff_row(row, tenant_id, tenant["slug"], tenant["name"])
                load = int(await conn.fetchval("SELECT havre_listener_load($1)", staff_id))
                capacity = int(row["capacity"] or tenant["default_capacity"])
                if load < capacity:
                    room[staff_id] = _Room(access, await team_scope(conn, access, staff_id), load)
        assigned = 0
        for conversation in queued:
            if not room:
                break
            candidates = sorted(
                (r.load, staff_id)
                for staff_id, r in room.items()
                if r.scope.allows(conversation["team_id"])
            )
            for _, staff_id in candidates:
                try:
                    await self.chat.claim(room[staff_id].access, staff_id, conversation["id"])
                except ChatError as error:
                    if error.code == "already_taken":
                        break
                    room.pop(staff_id)  # full after all (another line), or no longer allowed
                    continue
                assigned += 1
                room[staff_id].load += 1
                if room[staff_id].load >= int(
                    listeners[staff_id]["capacity"] or tenant["default_capacity"]
                ):
                    room.pop(staff_id)
                break
        return assigned


class _Room:
    """A present listener who can take more: how, where, and how many they hold now."""

    def __init__(self, access: TenantAccess, scope: TeamScope, load: int) -> None:
        self.access = access
        self.scope = scope
        self.load = load
