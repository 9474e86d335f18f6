"""Tenant files as text: parse and check tenants/*.toml, the rules across keys, the canonical
spelling, and TOML export. No database here (that is store.py)."""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec
import tomli_w

from server.tenants.structs import (
    WEEKDAYS,
    PartnerGrant,
    Referral,
    ReferralName,
    TenantFile,
    WeeklyHours,
)


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


class RuleViolation(NamedTuple):
    """A rule across keys that a tenant breaks: where (a key path such as `hours[0].team`),
    a stable code (the admin console words it in French and English), and the reason."""

    where: str
    code: str
    reason: str


def rule_violations(tenant: TenantFile) -> list[RuleViolation]:
    """Every rule the structs alone cannot express, checked on a whole tenant."""
    found: list[RuleViolation] = []

    def fail(where: str, code: str, reason: str) -> None:
        found.append(RuleViolation(where, code, reason))

    try:
        ZoneInfo(tenant.time_zone)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        fail("time_zone", "unknown_time_zone", f"{tenant.time_zone!r} is not an IANA time zone")
    teams = [t.slug for t in tenant.teams]
    if len(set(teams)) != len(teams):
        fail("teams", "duplicate_team", "two teams share a slug")
    for i, hours in enumerate(tenant.hours):
        if hours.opens == hours.closes != "00:00":
            fail(
                f"hours[{i}]",
                "same_opening_and_closing",
                "opens and closes are the same time (00:00-00:00 is all day)",
            )
        if hours.team is not None and hours.team not in teams:
            fail(f"hours[{i}].team", "unknown_team", f"no team {hours.team!r} in this file")
    seen_days: set[tuple[date, str | None]] = set()
    for i, day in enumerate(tenant.exceptions):
        if (day.opens is None) != (day.closes is None):
            fail(
                f"exceptions[{i}]",
                "opens_without_closes",
                "give both opens and closes, or neither (closed all day)",
            )
        if day.team is not None and day.team not in teams:
            fail(f"exceptions[{i}].team", "unknown_team", f"no team {day.team!r} in this file")
        if (day.date, day.team) in seen_days:
            fail(
                f"exceptions[{i}].date",
                "duplicate_exception",
                "this date already has an exception",
            )
        seen_days.add((day.date, day.team))
    if len(set(tenant.topics)) != len(tenant.topics):
        fail("topics", "duplicate_topic", "a topic is listed twice")
    if tenant.topics:
        for i, routed in enumerate(tenant.teams):
            unlisted = [t for t in routed.topics if t not in tenant.topics]
            if unlisted:
                fail(
                    f"teams[{i}].topics",
                    "topic_not_listed",
                    f"{', '.join(unlisted)} not in the line's topics",
                )
    keys = [r.key for r in tenant.referrals]
    if len(set(keys)) != len(keys):
        fail("referrals", "duplicate_referral", "two referrals share a key")
    for i, referral in enumerate(tenant.referrals):
        if not (referral.phone or referral.sms or referral.url):
            fail(
                f"referrals[{i}]",
                "referral_without_contact",
                "a referral needs a phone, an sms number or a url",
            )
    replies = [(c.key, c.locale) for c in tenant.canned_replies]
    if len(set(replies)) != len(replies):
        fail("canned_replies", "duplicate_reply", "two canned replies share a key and locale")
    partners = [p.organisation for p in tenant.partners]
    if len(set(partners)) != len(partners):
        fail("partners", "duplicate_partner", "an organisation is granted twice")
    for i, grant in enumerate(tenant.partners):
        if grant.organisation == tenant.slug:
            fail(f"partners[{i}].organisation", "own_partner", "a tenant cannot be its own partner")
        for team in grant.teams or []:
            if team not in teams:
                fail(f"partners[{i}].teams", "unknown_team", f"no team {team!r} in this file")
    return found


def _check_rules(name: str, tenant: TenantFile) -> None:
    """Raises the first rule violation as a TenantFileError naming the file and key."""
    for violation in rule_violations(tenant):
        raise TenantFileError(name, f"key {violation.where}", violation.reason)


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


def _one_name(referral: Referral) -> Referral:
    """A name spelt the same in both languages is written once, as a plain string."""
    name = referral.name
    if isinstance(name, ReferralName) and name.fr == name.en:
        return msgspec.structs.replace(referral, name=name.fr)
    return referral


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
        referrals=[_one_name(r) for r in tenant.referrals],
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


def to_toml(tenant: TenantFile) -> str:
    data = msgspec.to_builtins(tenant, builtin_types=(date,))
    header = f"# Tenant {tenant.slug}, exported by `havre tenants export`.\n"
    return header + tomli_w.dumps(data)
