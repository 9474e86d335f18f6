"""Reading the audit log: filters, keyset pages of 50, actors named through a tenant-safe path."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import msgspec

from server.auth import TenantAccess
from server.dashboard import filters
from server.dashboard.audit_labels import action_label
from server.dashboard.structs import Actor, AuditEntry, AuditPage
from server.db import Database
from server.i18n import Locale
from server.sql import load_queries

Q = load_queries(Path(__file__).with_name("audit_queries.sql"))
PAGE_SIZE = 50


class AuditQuery(msgspec.Struct, frozen=True):
    """The raw query string: `older` pages back from an id, `newer` forward."""

    date_from: str | None = None
    date_to: str | None = None
    action: str | None = None
    actor: str | None = None
    older: str | None = None
    newer: str | None = None


async def load_audit_page(
    db: Database,
    access: TenantAccess,
    staff_id: UUID,
    query: AuditQuery,
    locale: Locale,
    page_size: int = PAGE_SIZE,
) -> AuditPage:
    """Raises FilterError (400) for a bad date, action, actor or cursor."""
    first, last = filters.audit_period(query.date_from, query.date_to, locale)
    action = filters.action_code(query.action, locale)
    email = filters.actor_email(query.actor, locale)
    older = filters.cursor(query.older, "older", locale)
    newer = filters.cursor(query.newer, "newer", locale)
    async with db.tenant_transaction(access.organisation_id, staff_id=staff_id) as conn:
        time_zone: str = await conn.fetchval(Q["time_zone"])
        actor_ids: list[UUID] | None = None
        if email is not None:
            actor_ids = [r["id"] for r in await conn.fetch(Q["actors"], None, email)]
        base = (first, last, action, actor_ids)
        if newer is not None and older is None:
            rows = list(await conn.fetch(Q["newer"], *base, newer, page_size + 1))
            more_newer = len(rows) > page_size
            rows = rows[:page_size][::-1]
            more_older = bool(rows) and bool(await conn.fetch(Q["older"], *base, rows[-1]["id"], 1))
        else:
            rows = list(await conn.fetch(Q["older"], *base, older, page_size + 1))
            more_older = len(rows) > page_size
            rows = rows[:page_size]
            more_newer = bool(rows) and bool(await conn.fetch(Q["newer"], *base, rows[0]["id"], 1))
        ids = list({r["actor_id"] for r in rows if r["actor_id"] is not None})
        actors = {
            r["id"]: Actor(r["id"], r["email"], r["display_name"])
            for r in (await conn.fetch(Q["actors"], ids, None) if ids else [])
        }
        actions = [r["action"] for r in await conn.fetch(Q["actions"])]
    zone = ZoneInfo(time_zone)
    return AuditPage(
        tenant=access.slug,
        time_zone=time_zone,
        entries=[_entry(r, actors, zone, locale) for r in rows],
        actions=actions,
        older=rows[-1]["id"] if rows and more_older else None,
        newer=rows[0]["id"] if rows and more_newer else None,
    )


def _entry(row: Any, actors: dict[UUID, Actor], zone: ZoneInfo, locale: Locale) -> AuditEntry:
    details = row["details"]
    return AuditEntry(
        id=row["id"],
        at=row["created_at"].astimezone(zone),
        action=row["action"],
        label=action_label(row["action"], locale),
        actor_id=row["actor_id"],
        actor=actors.get(row["actor_id"]) if row["actor_id"] else None,
        target=row["target"],
        details=details if isinstance(details, dict) else {"value": details},
    )
