"""What supervisors do to live conversations: list them, read one silently (audited), whisper
to its listener, take it over. Permission is checked here, before anything is stored: the
conversation's tenant must be one they supervise, and its team one they cover."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from server.access import TenantAccess, role_at_least
from server.audit import record
from server.conversations import frames as f
from server.conversations.alerts import SQ, staff_names
from server.conversations.events import AssignmentChanged, QueueChanged
from server.conversations.queue import TeamScope, team_scope
from server.conversations.repository import RISK_ORDER
from server.conversations.service import (
    Appended,
    ChatError,
    ConversationService,
    summary_of,
)

LIVE = ("queued", "active")


class Supervision:
    def __init__(self, chat: ConversationService) -> None:
        self.chat = chat
        self.db = chat.db

    async def snapshot(
        self, accesses: list[TenantAccess], scopes: dict[UUID, TeamScope]
    ) -> list[f.SupervisedEntry]:
        """Every live conversation of the tenants supervised, most at risk first, then by
        arrival, waiting visitors whose page has gone last. Names only, never text."""
        grace = self.chat.settings.queue_grace_seconds
        ranked: list[tuple[bool, int, Any, f.SupervisedEntry]] = []
        for access in accesses:
            scope = scopes[access.organisation_id]
            async with self.db.tenant_transaction(access.organisation_id) as conn:
                rows = [
                    r
                    for r in await conn.fetch(SQ["live_conversations"], grace)
                    if scope.allows(r["team_id"])
                ]
                names = await staff_names(
                    conn, sorted({r["listener_id"] for r in rows if r["listener_id"]})
                )
            for row in rows:
                entry = f.SupervisedEntry(
                    conversation_id=row["id"],
                    tenant=access.slug,
                    tenant_name=access.name,
                    team=row["team"],
                    topic=row["topic"],
                    locale=row["locale"],
                    state=row["state"],
                    risk_level=row["risk_level"],
                    listener_id=row["listener_id"],
                    listener_name=names.get(row["listener_id"]),
                    waiting_seconds=row["waiting_seconds"],
                    duration_seconds=row["duration_seconds"],
                    supervised=row["supervised"],
                    left=row["left"],
                )
                risk = -RISK_ORDER.index(row["risk_level"])
                ranked.append((row["left"], risk, row["created_at"], entry))
        ranked.sort(key=lambda item: item[:3])
        return [item[3] for item in ranked]

    async def locate(
        self,
        accesses: dict[UUID, TenantAccess],
        staff_id: UUID,
        conversation_id: UUID,
        hint: UUID | None = None,
    ) -> TenantAccess:
        """The access under which this staff member may supervise the conversation.

        Another tenant's conversation is not found (its existence is not revealed); in a
        tenant where they only listen, forbidden; in a team a partner grant leaves out, not
        allowed."""
        order = ([hint] if hint in accesses else []) + [t for t in accesses if t != hint]
        for tenant_id in order:
            access = accesses[tenant_id]
            async with self.db.tenant_transaction(tenant_id, staff_id=staff_id) as conn:
                row = await conn.fetchrow(SQ["locate"], conversation_id)
                if row is None:
                    continue
                if not role_at_least(access.role, "supervisor"):
                    raise ChatError(code="forbidden")
                if not (await team_scope(conn, access, staff_id)).allows(row["team_id"]):
                    raise ChatError(code="not_allowed")
            return access
        raise ChatError(code="conversation_not_found")

    async def open_transcript(
        self, access: TenantAccess, staff_id: UUID, conversation_id: UUID
    ) -> f.Joined:
        """A supervisor starts reading a live conversation: the audit log says so."""
        tenant_id = access.organisation_id
        async with self.db.tenant_transaction(tenant_id, staff_id=staff_id) as conn:
            row = await self.chat.conversation(conn, conversation_id)
            if row["state"] not in LIVE:
                raise ChatError(code="conversation_closed")
            await record(
                conn,
                organisation_id=tenant_id,
                actor_id=staff_id,
                action="transcript.view",
                target=str(conversation_id),
                details={"via": "supervision"},
            )
            listener = row["listener_id"]
            names = await staff_names(conn, [listener]) if listener else {}
        return f.Joined(conversation=summary_of(row), listener_name=names.get(listener))

    async def whisper(self, access: TenantAccess, staff_id: UUID, frame: f.Whisper) -> Appended:
        """Stored and encrypted like any message, as kind `whisper`: staff-only."""
        async with self.chat.db.tenant_transaction(access.organisation_id) as conn:
            names = await staff_names(conn, [staff_id])
        return await self.chat.append(
            tenant_id=access.organisation_id,
            conversation_id=frame.conversation_id,
            client_id=frame.client_id,
            body=frame.body,
            author="supervisor",
            author_id=staff_id,
            kind="whisper",
            author_name=names.get(staff_id),
        )

    async def take_over(self, access: TenantAccess, staff_id: UUID, conversation_id: UUID) -> None:
        """The supervisor becomes the listener; the previous listener is told, history kept."""
        tenant_id = access.organisation_id
        async with self.db.tenant_transaction(tenant_id, staff_id=staff_id) as conn:
            row = await conn.fetchrow(SQ["lock_for_take_over"], conversation_id)
            if row is None:
                raise ChatError(code="conversation_not_found")
            if row["state"] not in LIVE:
                raise ChatError(code="conversation_closed")
            previous: UUID | None = row["listener_id"]
            if previous == staff_id:
                raise ChatError(code="invalid_transfer")
            await conn.execute(
                SQ["take_over"], conversation_id, staff_id, row["session_limit_minutes"]
            )
            await record(
                conn,
                organisation_id=tenant_id,
                actor_id=staff_id,
                action="conversation.take_over",
                target=str(conversation_id),
                details={"previous_listener": str(previous) if previous else None},
            )
        channels = self.chat.channels
        if previous is not None:
            await channels.publish(
                channels.staff(previous),
                AssignmentChanged(
                    conversation_id=conversation_id,
                    tenant_id=tenant_id,
                    assigned=False,
                    reason="taken_over",
                ),
            )
        await channels.publish(
            channels.staff(staff_id),
            AssignmentChanged(conversation_id=conversation_id, tenant_id=tenant_id, assigned=True),
        )
        # The visitor is told who answers from now on, whether they waited or were talking.
        await channels.forward(
            channels.conversation(conversation_id),
            f.StateChanged(
                conversation_id=conversation_id,
                state="active",
                listener=await self.chat.answerer(tenant_id, conversation_id, staff_id),
            ),
        )
        if row["state"] == "queued":
            await channels.publish(channels.queue(tenant_id), QueueChanged(tenant_id))
        await self.chat.alerts.changed(tenant_id)
