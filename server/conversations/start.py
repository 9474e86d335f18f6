"""Starting a conversation: the tenant must be open (for the routed team), then it queues."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

import msgspec

from server.conversations.closed_attempts import counting_refusals
from server.conversations.events import QueueChanged
from server.conversations.repository import Q
from server.conversations.service import ChatError, ConversationService
from server.errors import NotFound
from server.hours.schedule import Schedule
from server.protection.challenge import Solution
from server.protection.guard import Client, DeviceToken, StartGuard
from server.tenants.files import read_tenant
from server.tenants.structs import Key, Slug, TenantFile


class ConversationStart(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    tenant: Slug
    locale: Literal["fr", "en"]
    # The visitor has read and accepted the terms; the widget sends it only after a tick.
    consent: Literal[True]
    topic: Key | None = None
    # The widget's anonymous device token (fair use, blocks); absent where storage is not.
    device: DeviceToken | None = None
    # A solved proof-of-work puzzle, when the line asks for one (challenge_required).
    challenge: Solution | None = None


class ConversationStarted(msgspec.Struct, frozen=True):
    conversation_id: UUID
    tenant_id: UUID
    token: str
    expires_in: int
    state: str
    position: int
    estimated_wait_seconds: int | None
    team: str | None
    listeners_available: bool  # false: nobody of the line is available now (and no estimate)


class PublicReferral(msgspec.Struct, frozen=True, omit_defaults=True):
    key: str
    name: str
    topics: list[str]
    emergency: bool
    hours: str | None = None
    description: str | None = None
    phone: str | None = None
    sms: str | None = None
    url: str | None = None


def public_referrals(tenant: TenantFile, locale: Literal["fr", "en"]) -> list[PublicReferral]:
    return [
        PublicReferral(
            key=r.key,
            name=r.name_in(locale),
            topics=r.topics,
            emergency=r.emergency,
            hours=getattr(r.hours, locale) if r.hours else None,
            description=getattr(r.description, locale) if r.description else None,
            phone=r.phone,
            sms=r.sms,
            url=r.url,
        )
        for r in tenant.referrals
        if not r.hidden
    ]


def route_team(tenant: TenantFile, topic: str | None, locale: str) -> str | None:
    """Topic first, then language; None is the tenant-wide queue."""

    def speaks(team_languages: Sequence[str]) -> bool:
        return not team_languages or locale in team_languages

    if topic:
        for team in tenant.teams:
            if topic in team.topics and speaks(team.languages):
                return team.slug
        for team in tenant.teams:
            if topic in team.topics:
                return team.slug
    for team in tenant.teams:
        if not team.topics and team.languages and locale in team.languages:
            return team.slug
    return None


class TenantClosed(ChatError):
    """The line (or the team routed to) is closed; `team` is that team, counted for the
    dashboard (closed_attempts.py)."""

    code = "tenant_closed"
    status = 409

    def __init__(self, *, team: str | None, details: dict[str, Any]) -> None:
        super().__init__(details=details)
        self.team = team


async def tenant_id_of(chat: ConversationService, slug: str) -> UUID:
    async with chat.db.transaction() as conn:
        found = await conn.fetchrow(Q["tenant_by_slug"], slug)
    if found is None:
        raise NotFound(code="tenant_not_found")
    return found["id"]  # type: ignore[no-any-return]


async def start_conversation(
    chat: ConversationService,
    request: ConversationStart,
    now: datetime,
    *,
    tenant_id: UUID,
    guard: StartGuard,
    client: Client,
) -> ConversationStarted:
    """Starts a conversation on an open line for a client the guard admits. A refusal is an
    error; the caller counts it (guard.count_refusal) once this transaction is over."""
    # A refusal (line closed) leaving this block is counted for the dashboard, anonymously.
    async with (
        counting_refusals(chat.db, tenant_id, now),
        chat.db.tenant_transaction(tenant_id) as conn,
    ):
        tenant = await read_tenant(conn, request.tenant)
        assert tenant is not None
        cutoff = tenant.routing.closing_cutoff_minutes
        team = route_team(tenant, request.topic, request.locale)
        # A team with hours of its own answers only then; a team without follows the line's.
        opening = Schedule.from_tenant(tenant, team).state_at(now, cutoff)
        keys = await guard.admit(
            conn,
            tenant_id,
            tenant.protection,
            client,
            is_open=opening.accepting_new,
            referrals=lambda: msgspec.to_builtins(public_referrals(tenant, request.locale)),
        )
        if not opening.accepting_new:
            raise TenantClosed(
                team=team,
                details={
                    "next_opening": opening.next_opening.isoformat()
                    if opening.next_opening
                    else None,
                    "referrals": msgspec.to_builtins(public_referrals(tenant, request.locale)),
                },
            )
        team_id = await conn.fetchval(Q["team_by_slug"], team) if team else None
        row = await conn.fetchrow(
            Q["insert_conversation"], tenant_id, team_id, request.topic, request.locale
        )
    conversation_id: UUID = row["id"]
    await guard.admitted(conversation_id, tenant_id, tenant.protection, keys)
    standing = await chat.queue_position(tenant_id, conversation_id)
    await chat.channels.publish(chat.channels.queue(tenant_id), QueueChanged(tenant_id))
    return ConversationStarted(
        conversation_id=conversation_id,
        tenant_id=tenant_id,
        token=chat.visitor_token(conversation_id, tenant_id),
        expires_in=chat.settings.visitor_token_ttl_seconds,
        state="queued",
        position=standing.position,
        estimated_wait_seconds=standing.estimated_wait_seconds,
        team=team,
        listeners_available=standing.listeners_available,
    )
