"""Tenants in the database: read one back in file form, write it whole (tenant files) or only
the sections that changed (the admin console), inside the caller's transaction."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any
from uuid import UUID

import msgspec

from server.db import Connection
from server.sql import load_queries
from server.tenants.parsing import TenantFileError, canonical
from server.tenants.structs import (
    WEEKDAYS,
    Branding,
    CannedReply,
    ExceptionDay,
    Localised,
    PartnerGrant,
    Protection,
    Referral,
    ReferralName,
    Routing,
    Team,
    TenantFile,
    WeeklyHours,
)

Q = load_queries(Path(__file__).with_name("queries.sql"))


def _localised(value: Any) -> Localised | None:
    return msgspec.convert(value, Localised) if value else None


def _referral_name(french: str, english: str | None) -> str | ReferralName:
    return french if english is None else ReferralName(fr=french, en=english)


def _name_columns(name: str | ReferralName) -> tuple[str, str | None]:
    """(name, name_en): the English column stays NULL when both languages read the same."""
    if isinstance(name, str) or name.fr == name.en:
        return (name if isinstance(name, str) else name.fr), None
    return name.fr, name.en


async def read_tenant(conn: Connection, slug: str) -> TenantFile | None:
    """The stored tenant, in file form (canonical)."""
    org = await conn.fetchrow(Q["organisation_by_slug"], slug)
    if org is None:
        return None
    org_id = org["id"]
    days_by_slot: dict[tuple[str | None, str, str], list[int]] = defaultdict(list)
    for row in await conn.fetch(Q["opening_hours"], org_id):
        days_by_slot[(row["team"], row["opens"], row["closes"])].append(row["weekday"] - 1)
    tenant = TenantFile(
        slug=org["slug"],
        name=org["name"],
        kind=org["kind"],
        admin_email=org["admin_email"],
        default_locale=org["default_locale"],
        time_zone=org["time_zone"],
        exit_url=org["exit_url"],
        retention_days=org["retention_days"],
        allowed_origins=list(org["allowed_origins"]),
        topics=list(org["topics"]),
        branding=msgspec.convert(org["branding"], Branding),
        protection=msgspec.convert(org["protection"], Protection),
        routing=Routing(
            mode=org["routing_mode"],
            default_capacity=org["default_capacity"],
            closing_cutoff_minutes=org["closing_cutoff_minutes"],
            session_limit_minutes=org["session_limit_minutes"],
            inactivity_timeout_minutes=org["inactivity_timeout_minutes"],
            wait_alert_minutes=org["wait_alert_minutes"],
            shift_alert_minutes=org["shift_alert_minutes"],
        ),
        hours=[
            WeeklyHours(days=[WEEKDAYS[d] for d in days], opens=o, closes=c, team=team)
            for (team, o, c), days in days_by_slot.items()
        ],
        exceptions=[
            ExceptionDay(
                date=row["day"],
                label=_localised(row["label"]),
                opens=row["opens"],
                closes=row["closes"],
                team=row["team"],
            )
            for row in await conn.fetch(Q["opening_exceptions"], org_id)
        ],
        teams=[
            Team(
                slug=r["slug"],
                name=r["name"],
                languages=list(r["languages"]),
                topics=list(r["topics"]),
                role_word=_localised(r["role_word"]),
            )
            for r in await conn.fetch(Q["teams"], org_id)
        ],
        referrals=[
            Referral(
                key=r["key"],
                name=_referral_name(r["name"], r["name_en"]),
                topics=list(r["topics"]),
                hours=_localised(r["hours"]),
                description=_localised(r["description"]),
                phone=r["phone"],
                sms=r["sms"],
                url=r["url"],
                emergency=r["is_emergency"],
                hidden=r["is_hidden"],
            )
            for r in await conn.fetch(Q["referrals"], org_id)
        ],
        canned_replies=[
            CannedReply(key=r["key"], locale=r["locale"], title=r["title"], body=r["body"])
            for r in await conn.fetch(Q["canned_replies"], org_id)
        ],
        partners=[
            PartnerGrant(organisation=r["organisation"], teams=r["teams"])
            for r in await conn.fetch(Q["partner_grants"], org_id)
        ],
    )
    return canonical(tenant)


def _organisation_values(tenant: TenantFile) -> tuple[Any, ...]:
    """The organisations row's columns after (id or slug), in both queries' order."""
    r = tenant.routing
    return (
        tenant.name,
        tenant.kind,
        tenant.default_locale,
        tenant.time_zone,
        msgspec.to_builtins(tenant.branding),
        tenant.exit_url,
        sorted(set(tenant.allowed_origins)),
        r.mode,
        r.closing_cutoff_minutes,
        r.session_limit_minutes,
        r.inactivity_timeout_minutes,
        r.wait_alert_minutes,
        r.default_capacity,
        tenant.retention_days,
        r.shift_alert_minutes,
        tenant.topics,
        msgspec.to_builtins(tenant.protection),
    )


async def _write_teams(conn: Connection, org_id: UUID, teams: list[Team]) -> dict[str, UUID]:
    """Upserted by slug, so a renamed team keeps its id (conversations and members point at
    it); a team no longer listed is deleted (its conversations become unrouted)."""
    team_ids: dict[str, UUID] = {}
    for team in teams:
        team_ids[team.slug] = await conn.fetchval(
            Q["upsert_team"],
            org_id,
            team.slug,
            team.name,
            team.languages,
            team.topics,
            msgspec.to_builtins(team.role_word) if team.role_word else {},
        )
    await conn.execute(Q["delete_other_teams"], org_id, list(team_ids))
    return team_ids


async def _team_ids(conn: Connection, org_id: UUID) -> dict[str, UUID]:
    return {r["slug"]: r["id"] for r in await conn.fetch(Q["teams"], org_id)}


async def _write_hours(
    conn: Connection, org_id: UUID, hours: list[WeeklyHours], team_ids: dict[str, UUID]
) -> None:
    await conn.execute(Q["delete_opening_hours"], org_id)
    await conn.executemany(
        Q["insert_opening_hours"],
        [
            (org_id, team_ids.get(h.team or ""), WEEKDAYS.index(day) + 1, h.opens, h.closes)
            for h in hours
            for day in h.days
        ],
    )


async def _write_exceptions(
    conn: Connection, org_id: UUID, exceptions: list[ExceptionDay], team_ids: dict[str, UUID]
) -> None:
    await conn.execute(Q["delete_opening_exceptions"], org_id)
    await conn.executemany(
        Q["insert_opening_exception"],
        [
            (
                org_id,
                team_ids.get(e.team or ""),
                e.date,
                msgspec.to_builtins(e.label) if e.label else None,
                e.opens,
                e.closes,
            )
            for e in exceptions
        ],
    )


async def _write_referrals(conn: Connection, org_id: UUID, referrals: list[Referral]) -> None:
    """Upserted by key with their position in the list: the list order is the display order."""
    await conn.executemany(
        Q["upsert_referral"],
        [
            (
                org_id,
                ref.key,
                position,
                _name_columns(ref.name)[0],
                ref.topics,
                msgspec.to_builtins(ref.hours) if ref.hours else {},
                msgspec.to_builtins(ref.description) if ref.description else {},
                ref.phone,
                ref.sms,
                ref.url,
                ref.emergency,
                ref.hidden,
                _name_columns(ref.name)[1],
            )
            for position, ref in enumerate(referrals)
        ],
    )
    await conn.execute(Q["delete_other_referrals"], org_id, [r.key for r in referrals])


async def _write_canned_replies(conn: Connection, org_id: UUID, replies: list[CannedReply]) -> None:
    await conn.executemany(
        Q["upsert_canned_reply"],
        [(org_id, c.key, c.locale, c.title, c.body) for c in replies],
    )
    await conn.execute(
        Q["delete_other_canned_replies"], org_id, [f"{c.key}/{c.locale}" for c in replies]
    )


async def _write_tenant(conn: Connection, tenant: TenantFile) -> UUID:
    """The whole tenant, as the table owner applying files does (creates it when new)."""
    org_id: UUID = await conn.fetchval(
        Q["upsert_organisation"],
        tenant.slug,
        *_organisation_values(tenant),
        tenant.admin_email.lower(),
    )
    team_ids = await _write_teams(conn, org_id, tenant.teams)
    await _write_hours(conn, org_id, tenant.hours, team_ids)
    await _write_exceptions(conn, org_id, tenant.exceptions, team_ids)
    await _write_referrals(conn, org_id, tenant.referrals)
    await _write_canned_replies(conn, org_id, tenant.canned_replies)
    email = tenant.admin_email.lower()
    staff_id = await conn.fetchval(Q["staff_id_by_email"], email)
    if staff_id is None:
        staff_id = await conn.fetchval(Q["insert_staff"], email, "", tenant.default_locale)
    await conn.execute(Q["ensure_membership"], org_id, staff_id, "owner")
    return org_id


async def lock_tenant(conn: Connection, org_id: UUID, slug: str) -> TenantFile | None:
    """The stored tenant, with its row locked until the transaction ends: two admins saving
    at once are applied one after the other, each on the other's result."""
    if await conn.fetchval(Q["lock_organisation"], org_id) is None:
        return None
    return await read_tenant(conn, slug)


async def write_changes(
    conn: Connection, org_id: UUID, before: TenantFile, after: TenantFile
) -> None:
    """Writes only the sections that differ, as the application role (row-level security
    applies). The slug, admin e-mail and partner grants are not the console's to change here."""
    if (before.slug, before.admin_email, before.partners) != (
        after.slug,
        after.admin_email,
        after.partners,
    ):
        raise ValueError("write_changes does not change slug, admin_email or partners")
    if _organisation_values(before) != _organisation_values(after):
        await conn.execute(Q["update_organisation"], org_id, *_organisation_values(after))
    if before.teams != after.teams:
        team_ids = await _write_teams(conn, org_id, after.teams)
    else:
        team_ids = await _team_ids(conn, org_id)
    # Deleting a team cascades to its slots, so the schedule is rewritten with the teams.
    if before.hours != after.hours or before.teams != after.teams:
        await _write_hours(conn, org_id, after.hours, team_ids)
    if before.exceptions != after.exceptions or before.teams != after.teams:
        await _write_exceptions(conn, org_id, after.exceptions, team_ids)
    if before.referrals != after.referrals:
        await _write_referrals(conn, org_id, after.referrals)
    if before.canned_replies != after.canned_replies:
        await _write_canned_replies(conn, org_id, after.canned_replies)


async def _write_partners(conn: Connection, tenant: TenantFile, org_id: UUID) -> None:
    slugs = [p.organisation for p in tenant.partners]
    partner_ids = {
        r["slug"]: r["id"] for r in await conn.fetch(Q["organisation_ids_by_slug"], slugs)
    }
    for i, grant in enumerate(tenant.partners):
        if grant.organisation not in partner_ids:
            raise TenantFileError(
                f"{tenant.slug}.toml",
                f"key partners[{i}].organisation",
                f"no organisation {grant.organisation!r} exists or is being applied",
            )
    teams = await _team_ids(conn, org_id)
    for grant in tenant.partners:
        team_ids = [teams[t] for t in grant.teams] if grant.teams is not None else None
        await conn.execute(
            Q["upsert_partner_grant"], org_id, partner_ids[grant.organisation], team_ids
        )
    await conn.execute(Q["delete_other_partner_grants"], org_id, list(partner_ids.values()))


class ApplyReport(msgspec.Struct):
    created: list[str] = []
    updated: list[str] = []
    unchanged: list[str] = []


async def apply_tenants(conn: Connection, tenants: list[TenantFile]) -> ApplyReport:
    """Create or update every tenant in one transaction: all of them, or none."""
    report = ApplyReport()
    async with conn.transaction():
        written: list[tuple[TenantFile, UUID]] = []
        for tenant in tenants:
            wanted = canonical(tenant)
            stored = await read_tenant(conn, tenant.slug)
            if stored == wanted:
                report.unchanged.append(tenant.slug)
                continue
            (report.created if stored is None else report.updated).append(tenant.slug)
            written.append((wanted, await _write_tenant(conn, wanted)))
        for tenant, org_id in written:
            await _write_partners(conn, tenant, org_id)
    return report
