"""How a conversation ends (visitor, listener with a wrap-up, timers), its rating, and the
listener's hand-over tools (extension, transfer). Committed first, then announced."""

from __future__ import annotations

from typing import Any, Literal
from uuid import UUID, uuid4

from server.access import TenantAccess
from server.conversations import frames as f
from server.conversations.alerts import SQ
from server.conversations.events import AssignmentChanged, QueueChanged
from server.conversations.queue import access_from_staff_row, team_scope
from server.conversations.repository import Q
from server.conversations.service import ChatError, ConversationService, VisitorClaims
from server.db import Connection

EXTENSION_MINUTES = 15


class Lifecycle:
    def __init__(self, chat: ConversationService) -> None:
        self.chat = chat

    # --- ending ---------------------------------------------------------------------------

    async def end_by_visitor(self, claims: VisitorClaims, *, quick_exit: bool = False) -> f.State:
        reason = "quick_exit" if quick_exit else "visitor"
        async with self.chat.db.tenant_transaction(claims.tenant_id) as conn:
            conversation = await self.chat.conversation(conn, claims.conversation_id)
            state = "abandoned" if conversation["state"] == "queued" else "ended"
            row = await conn.fetchrow(
                Q["end_conversation"], claims.conversation_id, state, reason, None
            )
        if row is None:
            return conversation["state"]  # type: ignore[no-any-return]
        await self._announce_end(claims.tenant_id, claims.conversation_id, row, reason)
        return row["state"]  # type: ignore[no-any-return]

    async def end_by_listener(
        self, access: TenantAccess, staff_id: UUID, conversation_id: UUID, wrapup: f.Wrapup
    ) -> bool:
        """Ends the conversation with the wrap-up; True when the visitor had already ended or
        left it, and only the wrap-up was recorded (nothing is announced then)."""
        tenant_id = access.organisation_id
        async with self.chat.db.tenant_transaction(tenant_id) as conn:
            conversation = await self.chat.conversation(conn, conversation_id)
            if conversation["listener_id"] != staff_id and access.role == "listener":
                raise ChatError(code="not_your_conversation")
            stored = {
                "topics": wrapup.topics,
                "risk_level": wrapup.risk_level,
                "outcome": wrapup.outcome,
                "by": str(staff_id),
            }
            row = await conn.fetchrow(
                Q["end_conversation"], conversation_id, "ended", "listener", stored
            )
            if row is None and not await conn.fetchval(
                Q["wrapup_after_the_end"], conversation_id, stored
            ):
                raise ChatError(code="conversation_closed")
        if wrapup.note:
            # The private note is conversation text: encrypted, staff-only.
            await self._note(tenant_id, conversation_id, staff_id, wrapup.note)
        if row is None:
            return True
        await self._announce_end(tenant_id, conversation_id, row, "listener")
        return False

    async def end_by_system(self, tenant_id: UUID, conversation_id: UUID, reason: str) -> None:
        """Timers end a conversation under way (session limit, inactivity)."""
        async with self.chat.db.tenant_transaction(tenant_id) as conn:
            conversation = await self.chat.conversation(conn, conversation_id)
            state = "missed" if conversation["state"] == "queued" else "ended"
            row = await conn.fetchrow(Q["end_conversation"], conversation_id, state, reason, None)
        if row is not None:
            await self._announce_end(tenant_id, conversation_id, row, reason)

    async def end_queued(
        self,
        tenant_id: UUID,
        conversation_id: UUID,
        state: Literal["missed", "abandoned"],
        reason: str,
        *,
        silent_for: int | None = None,
    ) -> bool:
        """A visitor still waiting is `missed` (the line closed) or `abandoned` (their page is
        silent for `silent_for` seconds); in one statement, so a claim in between wins."""
        async with self.chat.db.tenant_transaction(tenant_id) as conn:
            row = await conn.fetchrow(Q["end_queued"], conversation_id, state, reason, silent_for)
        if row is not None:
            await self._announce_end(tenant_id, conversation_id, row, reason)
        return row is not None

    async def _note(
        self, tenant_id: UUID, conversation_id: UUID, staff_id: UUID, note: str
    ) -> None:
        key_id, sealed = self.chat.cipher.encrypt(conversation_id, note)
        async with self.chat.db.tenant_transaction(tenant_id) as conn:
            # Ended conversations take no new chat messages, but a note is staff-only history.
            seq = await conn.fetchval(
                "UPDATE conversations SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq",
                conversation_id,
            )
            await conn.execute(
                "INSERT INTO messages (organisation_id, conversation_id, seq, client_id, "
                "author_kind, author_id, kind, key_id, body) "
                "VALUES ($1, $2, $3, $4, 'listener', $5, 'note', $6, $7)",
                tenant_id,
                conversation_id,
                seq,
                uuid4(),
                staff_id,
                key_id,
                sealed,
            )

    async def _announce_end(
        self, tenant_id: UUID, conversation_id: UUID, row: Any, reason: str
    ) -> None:
        await self.chat.channels.forward(
            self.chat.channels.conversation(conversation_id),
            f.StateChanged(
                conversation_id=conversation_id,
                state=row["state"],
                reason=reason,
                crisis_help=f.crisis_help(row["risk_level"], row["assessed_risk"]),
            ),
        )
        if row["listener_id"] is not None:
            await self.chat.channels.publish(
                self.chat.channels.staff(row["listener_id"]),
                AssignmentChanged(
                    conversation_id=conversation_id,
                    tenant_id=tenant_id,
                    assigned=False,
                    reason=reason,
                ),
            )
        await self.chat.channels.publish(
            self.chat.channels.queue(tenant_id), QueueChanged(tenant_id)
        )

    async def rate(self, claims: VisitorClaims, rating: int) -> None:
        async with self.chat.db.tenant_transaction(claims.tenant_id) as conn:
            if await conn.fetchval(Q["rate"], claims.conversation_id, rating) is None:
                raise ChatError(code="already_rated")

    # --- listener tools -------------------------------------------------------------------

    async def extend(
        self, access: TenantAccess, staff_id: UUID, conversation_id: UUID
    ) -> f.Extended:
        """Once per conversation; answered with the new limit, as the server counts it."""
        async with self.chat.db.tenant_transaction(access.organisation_id) as conn:
            ends = await conn.fetchval(Q["extend"], conversation_id, staff_id, EXTENSION_MINUTES)
        if ends is None:
            raise ChatError(code="cannot_extend")
        return f.Extended(conversation_id=conversation_id, session_ends_at=ends)

    async def _check_colleague(
        self,
        conn: Connection,
        access: TenantAccess,
        staff_id: UUID,
        conversation_id: UUID,
        colleague: UUID,
        available: bool,
    ) -> None:
        """The colleague has the chat at once, so they must answer for its team and have room,
        as a claim of theirs would need, and be available, as auto-assignment needs."""
        rows = await conn.fetch(
            "SELECT * FROM havre_tenant_staff($1) WHERE staff_id = $2",
            access.organisation_id,
            colleague,
        )
        if not rows or colleague == staff_id:
            raise ChatError(code="invalid_transfer")
        await self.chat.lock_capacity(conn, colleague)
        conversation = await self.chat.conversation(conn, conversation_id)
        if conversation["state"] != "active" or conversation["listener_id"] != staff_id:
            raise ChatError(code="not_your_conversation")
        for row in rows:  # their own membership, a partner's grant, or both
            theirs = access_from_staff_row(row, access.organisation_id, access.slug, access.name)
            if (await team_scope(conn, theirs, colleague)).allows(conversation["team_id"]):
                break
        else:
            raise ChatError(code="colleague_other_team")
        if not available:
            raise ChatError(code="colleague_unavailable")
        capacity = await self.chat.room_left(conn, colleague, conversation["default_capacity"])
        if capacity is not None:
            raise ChatError(code="colleague_full", details={"capacity": capacity})

    async def transfer(self, access: TenantAccess, staff_id: UUID, frame: f.Transfer) -> None:
        tenant_id = access.organisation_id
        if (frame.to_listener is None) == (frame.to_team is None):
            raise ChatError(code="invalid_transfer")
        supervised = None
        available = False
        if frame.to_listener is not None:
            # Asked before the transaction: a slow Redis must not hold the colleague's lock.
            present = await self.chat.alerts.listeners.available([frame.to_listener])
            available = frame.to_listener in present
        async with self.chat.db.tenant_transaction(tenant_id) as conn:
            if frame.to_listener is not None:
                await self._check_colleague(
                    conn, access, staff_id, frame.conversation_id, frame.to_listener, available
                )
                done = await conn.fetchval(
                    Q["transfer_to_listener"], frame.conversation_id, frame.to_listener, staff_id
                )
                if done is not None:
                    supervised = await conn.fetchrow(
                        SQ["mark_supervised"], frame.conversation_id, frame.to_listener
                    )
            else:
                team_id = await conn.fetchval(Q["team_by_slug"], frame.to_team)
                if team_id is None:
                    raise ChatError(code="invalid_transfer")
                done = await conn.fetchval(
                    Q["transfer_to_team"], frame.conversation_id, team_id, staff_id
                )
            if done is None:
                raise ChatError(code="not_your_conversation")
        if frame.note:
            await self._note(tenant_id, frame.conversation_id, staff_id, frame.note)
        await self.chat.channels.publish(
            self.chat.channels.staff(staff_id),
            AssignmentChanged(
                conversation_id=frame.conversation_id,
                tenant_id=tenant_id,
                assigned=False,
                reason="transferred",
            ),
        )
        if frame.to_listener is not None:
            await self.chat.announce_assignment(tenant_id, frame.conversation_id, frame.to_listener)
            if supervised is not None:
                await self.chat.alerts.supervised_start(
                    tenant_id, frame.conversation_id, frame.to_listener, supervised["team_id"]
                )
        else:
            await self.chat.channels.forward(
                self.chat.channels.conversation(frame.conversation_id),
                f.StateChanged(
                    conversation_id=frame.conversation_id, state="queued", reason="transferred"
                ),
            )
            await self.chat.channels.publish(
                self.chat.channels.queue(tenant_id), QueueChanged(tenant_id)
            )
