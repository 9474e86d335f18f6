"""Reading the audit log: filters, keyset pages of 50, and each entry in words, with the people,
teams and partners it mentions named through tenant-safe paths."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import msgspec

from server.access import TenantAccess
from server.dashboard import filters
from server.dashboard.audit_labels import action_label
from server.dashboard.audit_words import AuditNames, describe, ids_in, moment
from server.dashboard.structs import Actor, AuditEntry, AuditPage
from server.db import Connection, Database
from server.i18n import Locale
from server.sql import load_queries
from server.words import page_texts

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
        actors, names = await _names(conn, rows, access)
        actions = [r["action"] for r in await conn.fetch(Q["actions"])]
    zone = ZoneInfo(time_zone)
    return AuditPage(
        tenant=access.slug,
        time_zone=time_zone,
        entries=[_entry(r, actors, names, zone, locale) for r in rows],
        actions=actions,
        older=rows[-1]["id"] if rows and more_older else None,
        newer=rows[0]["id"] if rows and more_newer else None,
    )


def _details(row: Any) -> dict[str, Any]:
    details = row["details"]
    return details if isinstance(details, dict) else {"value": details}


async def _names(
    conn: Connection, rows: list[Any], access: TenantAccess
) -> tuple[dict[UUID, Actor], AuditNames]:
    """Everyone and everything a page of entries mentions, named (four queries, not one a row)."""
    staff_ids = {r["actor_id"] for r in rows if r["actor_id"] is not None}
    mentioned: set[str] = set()
    for row in rows:
        mentioned |= ids_in(_details(row))
    staff_ids |= {UUID(i) for i in mentioned}
    found = await conn.fetch(Q["actors"], list(staff_ids), None) if staff_ids else []
    actors = {r["id"]: Actor(r["id"], r["email"], r["display_name"]) for r in found}
    teams = await conn.fetch(Q["teams"]) if any(_mentions_teams(r) for r in rows) else []
    emails = sorted({r["target"].lower() for r in rows if "@" in r["target"]})
    people = await conn.fetch(Q["people"], emails) if emails else []
    slugs = sorted({r["target"] for r in rows if r["action"].startswith("partner.")})
    partners = await conn.fetch(Q["partners"], slugs) if slugs else []
    return actors, AuditNames(
        tenant_slug=access.slug,
        tenant_name=access.name,
        staff={str(a.id): a.display_name or a.email for a in actors.values()},
        people={r["email"]: r["display_name"] for r in people if r["display_name"]},
        teams={str(r["id"]): r["name"] for r in teams},
        team_keys={r["slug"]: r["name"] for r in teams},
        partners={r["slug"]: r["name"] for r in partners},
    )


def _mentions_teams(row: Any) -> bool:
    return row["action"] in ("settings.teams", "staff.settings_changed", "partner.granted")


def _entry(
    row: Any, actors: dict[UUID, Actor], names: AuditNames, zone: ZoneInfo, locale: Locale
) -> AuditEntry:
    details = _details(row)
    at = row["created_at"].astimezone(zone)
    actor = actors.get(row["actor_id"]) if row["actor_id"] else None
    texts = page_texts(locale)
    if actor is not None:
        actor_name = actor.display_name or actor.email
    else:
        actor_name = texts["audit_unknown_actor" if row["actor_id"] else "audit_system"]
    described = describe(row["action"], row["target"], details, names, locale)
    return AuditEntry(
        id=row["id"],
        at=at,
        action=row["action"],
        label=action_label(row["action"], locale),
        actor_id=row["actor_id"],
        actor=actor,
        target=row["target"],
        details=details,
        when=moment(at, locale),
        actor_name=actor_name,
        target_text=described.target,
        summary=described.lines,
    )
