"""Auto mode: give each waiting visitor to the available listener with the fewest chats."""

from __future__ import annotations

import logging
from uuid import UUID

from server.auth import TenantAccess
from server.conversations.repository import Q
from server.conversations.service import ChatError, ConversationService
from server.routing.presence import PresenceStore
from server.routing.queue import team_scope

log = logging.getLogger("havre.routing")


class AutoAssigner:
    def __init__(self, chat: ConversationService, presence: PresenceStore) -> None:
        self.chat = chat
        self.presence = presence

    async def run(self, tenant_id: UUID) -> int:
        """Assign what can be assigned in one tenant now; returns how many were."""
        db = self.chat.db
        async with db.tenant_transaction(tenant_id) as conn:
            tenant = await conn.fetchrow(
                "SELECT slug, name, routing_mode FROM organisations WHERE id = $1", tenant_id
            )
            if tenant is None or tenant["routing_mode"] != "auto":
                return 0
            queued = await conn.fetch(Q["queued"], None, True)
            staff = await conn.fetch("SELECT * FROM havre_tenant_staff($1)", tenant_id)
        listeners = {r["staff_id"]: r for r in staff if r["role"] == "listener"}
        present = await self.presence.available(listeners)
        assigned = 0
        for conversation in queued:
            candidates: list[tuple[int, UUID, TenantAccess]] = []
            for staff_id in present:
                row = listeners[staff_id]
                access = TenantAccess(
                    organisation_id=tenant_id,
                    slug=tenant["slug"],
                    name=tenant["name"],
                    role="listener",
                    via_partner=row["via_partner"],
                    team_ids=list(row["team_ids"]) if row["team_ids"] is not None else None,
                )
                async with db.tenant_transaction(tenant_id) as conn:
                    scope = await team_scope(conn, access, staff_id)
                    if not scope.allows(conversation["team_id"]):
                        continue
                    load = await conn.fetchval("SELECT havre_listener_load($1)", staff_id)
                candidates.append((load, staff_id, access))
            for _, staff_id, access in sorted(candidates, key=lambda c: c[0]):
                try:
                    await self.chat.claim(access, staff_id, conversation["id"])
                except ChatError as error:
                    if error.code == "already_taken":
                        break
                    continue
                assigned += 1
                break
        return assigned
