"""Tenants as files: validate tenants/*.toml, apply them idempotently, export them back."""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec
import tomli_w

from server.db import Connection
from server.sql import load_queries
from server.tenants.structs import (
    WEEKDAYS,
    Branding,
    CannedReply,
    ExceptionDay,
    Localised,
    PartnerGrant,
    Referral,
    Routing,
    Team,
    TenantFile,
    WeeklyHours,
)

Q = load_queries(Path(__file__).with_name("queries.sql"))


class TenantFileError(ValueError):
    """A tenant file that cannot be applied: which file, where in it, and why."""

    def __init__(self, file: str, where: str, reason: str) -> None:
        super().__init__(f"{file}: {where}: {reason}")
        self.file, self.where, self.reason = file, where, reason


def _line_of(text: str, path: str) -> int | None:
    """The line a `$.referrals[2].phone`-style path points at, when it can be found."""
    lines = text.splitlines()
    start, end, line = 0, len(lines), None
    for name, index in re.findall(r"([A-Za-z_]+)(?:\[(\d+)\])?", path):
        if index:
            headers = [i for i in range(start, end) if lines[i].strip() == f"[[{name}]]"]
            if len(headers) <= int(index):
                return line
            found = headers[int(index)]
        else:
            assignment = re.compile(rf"\s*{re.escape(name)}\s*=")
            hits = [i for i in range(start, end) if assignment.match(lines[i])]
            tables = [i for i in range(start, end) if lines[i].strip() == f"[{name}]"]
            if not hits and not tables:
                return line
            found = hits[0] if hits else tables[0]
        line = found + 1
        later = [i for i in range(found + 1, end) if lines[i].lstrip().startswith("[")]
        start, end = found, later[0] if later else end
    return line


def parse_tenant_file(path: Path) -> TenantFile:
    """Read and check one file; raises TenantFileError naming the line or key at fault."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TenantFileError(name, "file", f"cannot be read ({exc.__class__.__name__})") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TenantFileError(name, "syntax", str(exc)) from None
    try:
        tenant = msgspec.convert(raw, TenantFile)
    except msgspec.ValidationError as exc:
        message = str(exc)
        reason, _, where = message.rpartition(" - at ")
        if not reason:
            reason, where = message, "$"
        key = where.strip("`")
        line = _line_of(text, key)
        place = f"line {line}, key {key[2:] or '(top)'}" if line else f"key {key[2:] or '(top)'}"
        raise TenantFileError(name, place, reason) from None
    if path.stem != tenant.slug:
        raise TenantFileError(name, "key slug", f"must match the file name ({path.stem!r})")
    _check_rules(name, tenant)
    return tenant


def _check_rules(name: str, tenant: TenantFile) -> None:
    def fail(where: str, reason: str) -> None:
        raise TenantFileError(name, f"key {where}", reason)

    try:
        ZoneInfo(tenant.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        fail("time_zone", f"{tenant.time_zone!r} is not an IANA time zone")
    teams = [t.slug for t in tenant.teams]
    if len(set(teams)) != len(teams):
        fail("teams", "two teams share a slug")
    for i, hours in enumerate(tenant.hours):
        if hours.opens == hours.closes != "00:00":
            fail(f"hours[{i}]", "opens and closes are the same time (00:00-00:00 is all day)")
        if hours.team is not None and hours.team not in teams:
            fail(f"hours[{i}].team", f"no team {hours.team!r} in this file")
    seen_days: set[tuple[date, str | None]] = set()
    for i, day in enumerate(tenant.exceptions):
        if (day.opens is None) != (day.closes is None):
            fail(f"exceptions[{i}]", "give both opens and closes, or neither (closed all day)")
        if day.team is not None and day.team not in teams:
            fail(f"exceptions[{i}].team", f"no team {day.team!r} in this file")
        if (day.date, day.team) in seen_days:
            fail(f"exceptions[{i}].date", "this date already has an exception")
        seen_days.add((day.date, day.team))
    keys = [r.key for r in tenant.referrals]
    if len(set(keys)) != len(keys):
        fail("referrals", "two referrals share a key")
    for i, referral in enumerate(tenant.referrals):
        if not (referral.phone or referral.sms or referral.url):
            fail(f"referrals[{i}]", "a referral needs a phone, an sms number or a url")
    replies = [(c.key, c.locale) for c in tenant.canned_replies]
    if len(set(replies)) != len(replies):
        fail("canned_replies", "two canned replies share a key and locale")
    partners = [p.organisation for p in tenant.partners]
    if len(set(partners)) != len(partners):
        fail("partners", "an organisation is granted twice")
    for i, grant in enumerate(tenant.partners):
        if grant.organisation == tenant.slug:
            fail(f"partners[{i}].organisation", "a tenant cannot be its own partner")
        for team in grant.teams or []:
            if team not in teams:
                fail(f"partners[{i}].teams", f"no team {team!r} in this file")


def load_tenant_files(folder: Path) -> tuple[list[TenantFile], list[TenantFileError]]:
    paths = [folder] if folder.is_file() else sorted(folder.glob("*.toml"))
    tenants: list[TenantFile] = []
    errors: list[TenantFileError] = []
    for path in paths:
        try:
            tenants.append(parse_tenant_file(path))
        except TenantFileError as exc:
            errors.append(exc)
    slugs = [t.slug for t in tenants]
    for slug in {s for s in slugs if slugs.count(s) > 1}:
        errors.append(TenantFileError(slug, "key slug", "two files define this tenant"))
    return tenants, errors


def canonical(tenant: TenantFile) -> TenantFile:
    """The one spelling of a tenant that export produces, so files compare by meaning."""
    slots: dict[tuple[str | None, str, str], set[int]] = defaultdict(set)
    for hours in tenant.hours:
        for day in hours.days:
            slots[(hours.team, hours.opens, hours.closes)].add(WEEKDAYS.index(day))
    return msgspec.structs.replace(
        tenant,
        admin_email=tenant.admin_email.lower(),
        hours=[
            WeeklyHours(days=[WEEKDAYS[d] for d in sorted(days)], opens=o, closes=c, team=team)
            for (team, o, c), days in sorted(
                slots.items(), key=lambda item: (item[0][0] or "", item[0][1], item[0][2])
            )
        ],
        exceptions=sorted(tenant.exceptions, key=lambda e: (e.date, e.team or "")),
        teams=sorted(tenant.teams, key=lambda t: t.slug),
        canned_replies=sorted(tenant.canned_replies, key=lambda c: (c.key, c.locale)),
        partners=sorted(
            (
                PartnerGrant(p.organisation, sorted(set(p.teams)) if p.teams is not None else None)
                for p in tenant.partners
            ),
            key=lambda p: p.organisation,
        ),
        allowed_origins=sorted(set(tenant.allowed_origins)),
    )


def _localised(value: Any) -> Localised | None:
    return msgspec.convert(value, Localised) if value else None


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
        branding=msgspec.convert(org["branding"], Branding),
        routing=Routing(
            mode=org["routing_mode"],
            default_capacity=org["default_capacity"],
            closing_cutoff_minutes=org["closing_cutoff_minutes"],
            session_limit_minutes=org["session_limit_minutes"],
            inactivity_timeout_minutes=org["inactivity_timeout_minutes"],
            wait_alert_minutes=org["wait_alert_minutes"],
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
            )
            for r in await conn.fetch(Q["teams"], org_id)
        ],
        referrals=[
            Referral(
                key=r["key"],
                name=r["name"],
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


async def _write_tenant(conn: Connection, tenant: TenantFile) -> UUID:
    r = tenant.routing
    org_id: UUID = await conn.fetchval(
        Q["upsert_organisation"],
        tenant.slug,
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
        tenant.admin_email.lower(),
    )
    team_ids: dict[str, UUID] = {}
    for team in tenant.teams:
        team_ids[team.slug] = await conn.fetchval(
            Q["upsert_team"], org_id, team.slug, team.name, team.languages, team.topics
        )
    await conn.execute(Q["delete_other_teams"], org_id, list(team_ids))
    await conn.execute(Q["delete_opening_hours"], org_id)
    await conn.executemany(
        Q["insert_opening_hours"],
        [
            (org_id, team_ids.get(h.team or ""), WEEKDAYS.index(day) + 1, h.opens, h.closes)
            for h in tenant.hours
            for day in h.days
        ],
    )
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
            for e in tenant.exceptions
        ],
    )
    await conn.executemany(
        Q["upsert_referral"],
        [
            (
                org_id,
                ref.key,
                position,
                ref.name,
                ref.topics,
                msgspec.to_builtins(ref.hours) if ref.hours else {},
                msgspec.to_builtins(ref.description) if ref.description else {},
                ref.phone,
                ref.sms,
                ref.url,
                ref.emergency,
                ref.hidden,
            )
            for position, ref in enumerate(tenant.referrals)
        ],
    )
    await conn.execute(Q["delete_other_referrals"], org_id, [r.key for r in tenant.referrals])
    await conn.executemany(
        Q["upsert_canned_reply"],
        [(org_id, c.key, c.locale, c.title, c.body) for c in tenant.canned_replies],
    )
    await conn.execute(
        Q["delete_other_canned_replies"],
        org_id,
        [f"{c.key}/{c.locale}" for c in tenant.canned_replies],
    )
    email = tenant.admin_email.lower()
    staff_id = await conn.fetchval(Q["staff_id_by_email"], email)
    if staff_id is None:
        staff_id = await conn.fetchval(Q["insert_staff"], email, "", tenant.default_locale)
    await conn.execute(Q["ensure_membership"], org_id, staff_id, "owner")
    return org_id


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
    teams = {r["slug"]: r["id"] for r in await conn.fetch(Q["teams"], org_id)}
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


def to_toml(tenant: TenantFile) -> str:
    data = msgspec.to_builtins(tenant, builtin_types=(date,))
    header = f"# Tenant {tenant.slug}, exported by `havre tenants export`.\n"
    return header + tomli_w.dumps(data)
