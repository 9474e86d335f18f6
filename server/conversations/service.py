"""The rules of a live conversation: start, messages, claim, end, transfer, timers' actions.

Every change is committed to PostgreSQL first, then announced through Redis.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, NamedTuple
from uuid import UUID

import asyncpg

from server.access import TenantAccess
from server.auth import TokenError, Tokens
from server.conversations import frames as f
from server.conversations.alerts import SQ, SupervisorAlerts, staff_names
from server.conversations.events import (
    STAFF_KINDS,
    VISITOR_KINDS,
    AssignmentChanged,
    Channels,
    QueueChanged,
    StoredMessage,
)
from server.conversations.queue import QueueStanding, QueueView, team_scope
from server.conversations.repository import RISK_ORDER, Q
from server.crypto import MessageCipher
from server.db import Connection, Database
from server.errors import HavreError
from server.routing.presence import PresenceStore
from server.settings import ChatSettings
from server.triage.scorer import RiskScorer

HISTORY_PAGE = 500


class ChatError(HavreError):
    """A chat action refused; the code is sent in an error frame or a problem."""

    status = 409


class VisitorClaims(NamedTuple):
    conversation_id: UUID
    tenant_id: UUID


class Appended(NamedTuple):
    seq: int
    at: datetime
    duplicate: bool


class ConversationService:
    def __init__(
        self,
        *,
        db: Database,
        channels: Channels,
        cipher: MessageCipher,
        tokens: Tokens,
        scorer: RiskScorer,
        settings: ChatSettings,
        presence: PresenceStore,
    ) -> None:
        self.db = db
        self.queue = QueueView(db, presence, settings.queue_grace_seconds)
        self.channels = channels
        self.cipher = cipher
        self.tokens = tokens
        self.scorer = scorer
        self.settings = settings
        self.alerts = SupervisorAlerts(db, channels, settings.presence_ttl_seconds)

    # --- visitor tokens -----------------------------------------------------------------

    def visitor_token(self, conversation_id: UUID, tenant_id: UUID) -> str:
        return self.tokens.issue(
            "visitor",
            str(conversation_id),
            self.settings.visitor_token_ttl_seconds,
            tid=str(tenant_id),
        )

    async def renew_visitor_token(self, claims: VisitorClaims) -> str:
        """A fresh token, only while the conversation is live: once it has ended, the token
        in hand still reopens it until it expires (the end screen, the crisis resources), and
        then the transcript is out of the visitor token's reach."""
        async with self.db.tenant_transaction(claims.tenant_id) as conn:
            state = await conn.fetchval(Q["conversation_state"], claims.conversation_id)
        if state not in ("queued", "active"):
            raise ChatError(code="conversation_closed")
        return self.visitor_token(claims.conversation_id, claims.tenant_id)

    def visitor_claims(self, token: str) -> VisitorClaims:
        try:
            claims = self.tokens.verify(token, "visitor")
            return VisitorClaims(UUID(str(claims["sub"])), UUID(str(claims["tid"])))
        except (TokenError, KeyError, ValueError):
            raise ChatError(code="invalid_token") from None

    # --- reading ------------------------------------------------------------------------

    async def conversation(self, conn: Connection, conversation_id: UUID) -> asyncpg.Record:
        row = await conn.fetchrow(Q["conversation"], conversation_id)
        if row is None:
            raise ChatError(code="conversation_not_found")
        return row

    async def history(
        self, tenant_id: UUID, conversation_id: UUID, after_seq: int, *, staff: bool
    ) -> list[f.Message]:
        """Everything after after_seq that this side may read, in order, decrypted."""
        kinds = list(STAFF_KINDS if staff else VISITOR_KINDS)
        out: list[f.Message] = []
        async with self.db.tenant_transaction(tenant_id) as conn:
            while True:
                rows = await conn.fetch(
                    Q["messages_after"], conversation_id, after_seq, kinds, HISTORY_PAGE
                )
                # Whispers carry their supervisor's name (staff only: visitors never get them).
                whisperers = {r["author_id"] for r in rows if r["kind"] == "whisper"}
                names = await staff_names(conn, [i for i in whisperers if i is not None])
                for row in rows:
                    out.append(self.to_frame(conversation_id, row, names))
                if len(rows) < HISTORY_PAGE:
                    return out
                after_seq = rows[-1]["seq"]

    def to_frame(
        self, conversation_id: UUID, row: Any, names: dict[UUID, str] | None = None
    ) -> f.Message:
        whisperer = row["author_id"] if row["kind"] == "whisper" else None
        return f.Message(
            conversation_id=conversation_id,
            seq=row["seq"],
            client_id=row["client_id"],
            author=row["author_kind"],
            kind=row["kind"],
            body=self.cipher.decrypt(conversation_id, row["key_id"], row["body"]),
            at=row["created_at"],
            author_name=(names or {}).get(whisperer) if whisperer else None,
        )

    def stored_to_frame(self, event: StoredMessage) -> f.Message:
        return f.Message(
            conversation_id=event.conversation_id,
            seq=event.seq,
            client_id=event.client_id,
            author=event.author,
            kind=event.kind,
            body=self.cipher.decrypt(event.conversation_id, event.key_id, event.body),
            at=event.at,
            author_name=event.author_name,
        )

    async def queue_position(self, tenant_id: UUID, conversation_id: UUID) -> QueueStanding:
        return await self.queue.standing(tenant_id, conversation_id)

    # --- messages -----------------------------------------------------------------------

    async def append(
        self,
        *,
        tenant_id: UUID,
        conversation_id: UUID,
        client_id: UUID,
        body: str,
        author: f.AuthorKind,
        author_id: UUID | None,
        kind: f.MessageKind = "text",
        author_name: str | None = None,
    ) -> Appended:
        """Commit the message, then announce it. The same client_id gives the same answer."""
        if len(body) > self.settings.max_message_chars:
            raise ChatError(
                code="message_too_long", details={"max_chars": self.settings.max_message_chars}
            )
        visitor = author == "visitor"
        assessment = self.scorer.score(body) if visitor else None
        level = assessment.level if assessment else "none"
        reasons = list(assessment.reasons) if assessment else []
        key_id, sealed = self.cipher.encrypt(conversation_id, body)
        try:
            row = await self.db.self_scoped(
                Q["append_message"],
                tenant_id,
                conversation_id,
                client_id,
                author,
                author_id,
                kind,
                visitor,
                level,
                reasons,
                RISK_ORDER,
                key_id,
                sealed,
            )
        except asyncpg.UniqueViolationError:
            row = None  # the same client id, sent twice at the same moment
        if row is None:
            # In a transaction of its own: the failed one cannot run another statement.
            async with self.db.tenant_transaction(tenant_id) as conn:
                existing = await conn.fetchrow(
                    Q["message_by_client_id"], conversation_id, client_id
                )
            if existing is None:
                raise ChatError(code="conversation_closed")
            # Announced again: the worker that stored it may have died before announcing it;
            # every socket drops a seq it already delivered.
            await self._announce_message(
                conversation_id, client_id, existing, author_name=author_name
            )
            return Appended(existing["seq"], existing["created_at"], duplicate=True)
        await self._announce_message(
            conversation_id,
            client_id,
            {
                "seq": row["seq"],
                "author_kind": author,
                "kind": kind,
                "key_id": key_id,
                "body": sealed,
                "created_at": row["created_at"],
            },
            author_name=author_name,
        )
        if RISK_ORDER.index(row["risk_level"]) > RISK_ORDER.index(row["previous_risk"]):
            await self._announce_risk(
                tenant_id,
                conversation_id,
                row["risk_level"],
                list(row["risk_reasons"]),
                queued=row["state"] == "queued",
            )
        return Appended(row["seq"], row["created_at"], duplicate=False)

    async def _announce_message(
        self,
        conversation_id: UUID,
        client_id: UUID,
        stored: Mapping[str, Any],
        *,
        author_name: str | None,
    ) -> None:
        await self.channels.publish(
            self.channels.conversation(conversation_id),
            StoredMessage(
                conversation_id=conversation_id,
                seq=stored["seq"],
                client_id=client_id,
                author=stored["author_kind"],
                kind=stored["kind"],
                key_id=stored["key_id"],
                body=bytes(stored["body"]),
                at=stored["created_at"],
                author_name=author_name,
            ),
        )

    async def _announce_risk(
        self,
        tenant_id: UUID,
        conversation_id: UUID,
        level: f.RiskLevel,
        reasons: list[str],
        *,
        queued: bool,
    ) -> None:
        alerted: list[str] | None = None
        if level in ("high", "imminent"):
            # The listener's console shows who was alerted (nobody online: an empty list).
            alerted = await self.alerts.risk(tenant_id, conversation_id, level, reasons)
        await self.channels.forward(
            self.channels.conversation(conversation_id),
            f.RiskChanged(
                conversation_id=conversation_id, level=level, reasons=reasons, alerted=alerted
            ),
            audience="staff",
        )
        if queued:
            await self.channels.publish(self.channels.queue(tenant_id), QueueChanged(tenant_id))
        elif alerted is None:
            await self.alerts.changed(tenant_id)  # the risk column of the supervisors' list

    async def set_risk(
        self, access: TenantAccess, staff_id: UUID, conversation_id: UUID, level: f.RiskLevel
    ) -> None:
        async with self.db.tenant_transaction(access.organisation_id) as conn:
            row = await conn.fetchrow(Q["set_risk"], conversation_id, level, staff_id)
        if row is None:
            raise ChatError(code="conversation_closed")
        await self._announce_risk(
            access.organisation_id,
            conversation_id,
            row["risk_level"],
            list(row["risk_reasons"]),
            queued=row["state"] == "queued",  # the queue is ordered by risk
        )

    # --- queue and assignment -----------------------------------------------------------

    async def claim(self, access: TenantAccess, staff_id: UUID, conversation_id: UUID) -> None:
        """Exactly one listener gets a queued conversation; the others get already_taken."""
        tenant_id = access.organisation_id
        async with self.db.tenant_transaction(tenant_id, staff_id=staff_id) as conn:
            await self.lock_capacity(conn, staff_id)
            conversation = await self.conversation(conn, conversation_id)
            if conversation["state"] != "queued":
                raise ChatError(code="already_taken")
            scope = await team_scope(conn, access, staff_id)
            if not scope.allows(conversation["team_id"]):
                raise ChatError(code="not_allowed")
            capacity = await self.room_left(conn, staff_id, conversation["default_capacity"])
            if capacity is not None:
                raise ChatError(code="over_capacity", details={"capacity": capacity})
            claimed = await conn.fetchval(
                Q["claim"], conversation_id, staff_id, conversation["session_limit_minutes"]
            )
            if claimed is None:
                raise ChatError(code="already_taken")
            supervised = await conn.fetchrow(SQ["mark_supervised"], conversation_id, staff_id)
        await self.announce_assignment(tenant_id, conversation_id, staff_id)
        if supervised is not None:
            await self.alerts.supervised_start(
                tenant_id, conversation_id, staff_id, supervised["team_id"]
            )

    async def answerer(self, tenant_id: UUID, conversation_id: UUID, staff_id: UUID) -> f.Answerer:
        async with self.db.tenant_transaction(tenant_id, staff_id=staff_id) as conn:
            row = await conn.fetchrow(Q["answerer"], conversation_id, staff_id)
        if row is None:
            return f.Answerer()
        # An unrouted conversation has no team, so no role word (NULL from the outer join).
        return f.Answerer(name=row["name"] or None, role=dict(row["role_word"] or {}) or None)

    async def announce_assignment(
        self, tenant_id: UUID, conversation_id: UUID, staff_id: UUID
    ) -> None:
        await self.channels.publish(
            self.channels.staff(staff_id),
            AssignmentChanged(conversation_id=conversation_id, tenant_id=tenant_id, assigned=True),
        )
        await self.channels.forward(
            self.channels.conversation(conversation_id),
            f.StateChanged(
                conversation_id=conversation_id,
                state="active",
                listener=await self.answerer(tenant_id, conversation_id, staff_id),
            ),
        )
        await self.channels.publish(self.channels.queue(tenant_id), QueueChanged(tenant_id))

    async def announce_queue_changed(self, tenant_id: UUID) -> None:
        await self.channels.publish(self.channels.queue(tenant_id), QueueChanged(tenant_id))

    @staticmethod
    async def lock_capacity(conn: Connection, staff_id: UUID) -> None:
        """A claim (by hand or by auto-assignment) and a transfer to someone take this first:
        one at a time per person, so two cannot both fill their last place. A supervisor's
        take-over does not: it is theirs to decide, over capacity if need be."""
        await conn.execute("SELECT pg_advisory_xact_lock(hashtext($1))", str(staff_id))

    @staticmethod
    async def room_left(conn: Connection, staff_id: UUID, default: int) -> int | None:
        """None when they can take one more conversation in the transaction's tenant;
        otherwise their capacity there (their own, or the tenant's default), which the
        conversations they hold in every line have reached."""
        own = await conn.fetchval(
            "SELECT max(capacity) FROM havre_tenant_staff(havre_current_tenant()) "
            "WHERE staff_id = $1",
            staff_id,
        )
        capacity = int(own or default)
        load = await conn.fetchval("SELECT havre_listener_load($1)", staff_id)
        return capacity if load >= capacity else None

    async def active_for(self, staff_id: UUID, accesses: list[TenantAccess]) -> list[UUID]:
        held: list[UUID] = []
        for access in accesses:
            async with self.db.tenant_transaction(access.organisation_id) as conn:
                held.extend(r["id"] for r in await conn.fetch(Q["active_for_listener"], staff_id))
        return held

    async def summary(self, tenant_id: UUID, conversation_id: UUID) -> f.ConversationSummary:
        async with self.db.tenant_transaction(tenant_id) as conn:
            row = await self.conversation(conn, conversation_id)
        return summary_of(row)


def summary_of(row: Any) -> f.ConversationSummary:
    """A row of the `conversation` query, as the console shows it."""
    return f.ConversationSummary(
        conversation_id=row["id"],
        tenant=row["tenant"],
        team=row["team"],
        topic=row["topic"],
        locale=row["locale"],
        state=row["state"],
        risk_level=row["risk_level"],
        risk_reasons=list(row["risk_reasons"]),
        listener_id=row["listener_id"],
        last_seq=row["last_seq"],
        session_ends_at=row["session_ends_at"],
        extended=row["extended"],
        supervised=row["supervised"],
    )
