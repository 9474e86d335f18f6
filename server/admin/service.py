"""The admin console's rules: each section replaces its part of the stored tenant, the whole
tenant is checked with the tenant files' own rules, and only then are the changed parts
written, with an audit entry, in one transaction: all of it, or nothing."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec

from server import audit
from server.access import TenantAccess
from server.admin import repository
from server.admin.audit_changes import audit_details, member_changes
from server.admin.problems import invalid, message, rule_errors
from server.admin.structs import (
    BrandingSettings,
    ContrastNotice,
    FieldError,
    HoursPreview,
    HoursSettings,
    InstanceLimits,
    PrivacySettings,
    ProtectionView,
    ReferralNameInput,
    ReferralsSettings,
    RepliesSettings,
    Section,
    TeamsSettings,
    WidgetSettings,
)
from server.db import Database
from server.errors import NotFound
from server.hours.phrasing import describe_state
from server.hours.schedule import Schedule, ScheduleError
from server.i18n import Locale
from server.settings import ChatSettings
from server.tenants.contrast import branding_warnings
from server.tenants.files import canonical, lock_tenant, read_tenant, rule_violations, write_changes
from server.tenants.structs import (
    Branding,
    CannedReply,
    Protection,
    Referral,
    ReferralName,
    Team,
    TenantFile,
)

CONTRAST_TEXTS: dict[str, dict[Locale, str]] = {
    "text_on_primary_low_contrast": {
        "fr": "Le texte ({foreground}) sur la couleur principale ({background}) est peu lisible : "
        "contraste {ratio}:1, il faut au moins {required}:1 (WCAG AA).",
        "en": "The text ({foreground}) on the primary colour ({background}) is hard to read: "
        "contrast {ratio}:1, at least {required}:1 is needed (WCAG AA).",
    },
    "primary_on_page_low_contrast": {
        "fr": "La couleur principale ({foreground}) se distingue mal d'une page blanche : "
        "contraste {ratio}:1, il faut au moins {required}:1 (WCAG AA).",
        "en": "The primary colour ({foreground}) barely stands out on a white page: "
        "contrast {ratio}:1, at least {required}:1 is needed (WCAG AA).",
    },
}


def contrast_notices(branding: Branding, locale: Locale) -> list[ContrastNotice]:
    """The one contrast formula (server/tenants/contrast.py), worded for the admin."""
    return [
        ContrastNotice(
            code=w.code,
            foreground=w.foreground,
            background=w.background,
            ratio=w.ratio,
            required=w.required,
            message=CONTRAST_TEXTS[w.code][locale].format(
                foreground=w.foreground, background=w.background, ratio=w.ratio, required=w.required
            ),
        )
        for w in branding_warnings(branding)
    ]


def hours_preview(tenant: TenantFile, now: datetime) -> HoursPreview:
    """What the widget says right now, computed as the widget computes it."""
    state = Schedule.from_tenant(tenant, None).state_at(now, tenant.routing.closing_cutoff_minutes)
    return HoursPreview(
        open=state.is_open,
        accepting=state.accepting_new,
        fr=describe_state(state, now, "fr"),
        en=describe_state(state, now, "en"),
    )


def _slugify(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:50].strip("-")
    return slug or "item"


def _new_key(name: str, taken: set[str]) -> str:
    """A key for a new row, from its name, distinct from the keys already used."""
    base, n = _slugify(name), 1
    key = base
    while key in taken:
        n += 1
        key = f"{base}-{n}"
    taken.add(key)
    return key


def apply_branding(tenant: TenantFile, update: BrandingSettings) -> TenantFile:
    return msgspec.structs.replace(
        tenant, name=update.name, exit_url=update.exit_url, branding=update.branding
    )


def apply_hours(tenant: TenantFile, update: HoursSettings) -> TenantFile:
    routing = msgspec.structs.replace(
        tenant.routing, closing_cutoff_minutes=update.closing_cutoff_minutes
    )
    return msgspec.structs.replace(
        tenant,
        time_zone=update.time_zone,
        routing=routing,
        hours=update.hours,
        exceptions=update.exceptions,
    )


def apply_teams(tenant: TenantFile, update: TeamsSettings) -> TenantFile:
    taken = {t.slug for t in update.teams if t.slug}
    teams = [
        Team(
            slug=t.slug or _new_key(t.name, taken),
            name=t.name,
            languages=t.languages,
            topics=t.topics,
            role_word=t.role_word,
        )
        for t in update.teams
    ]
    r = update.routing
    # Replace only what this section edits: any other routing setting (closing cut-off, shift
    # alert…) keeps its stored value.
    routing = msgspec.structs.replace(
        tenant.routing,
        mode=r.mode,
        default_capacity=r.default_capacity,
        session_limit_minutes=r.session_limit_minutes,
        inactivity_timeout_minutes=r.inactivity_timeout_minutes,
        wait_alert_minutes=r.wait_alert_minutes,
        shift_alert_minutes=(
            tenant.routing.shift_alert_minutes
            if r.shift_alert_minutes is None
            else r.shift_alert_minutes
        ),
    )
    topics = tenant.topics if update.topics is None else update.topics
    return msgspec.structs.replace(tenant, routing=routing, teams=teams, topics=topics)


def referral_name(name: str | ReferralNameInput) -> str | ReferralName:
    """The tenant file's spelling of a name from the console: one string unless the English
    name is given and differs."""
    if isinstance(name, str):
        return name
    if name.en is None or name.en == name.fr:
        return name.fr
    return ReferralName(fr=name.fr, en=name.en)


def apply_referrals(tenant: TenantFile, update: ReferralsSettings) -> TenantFile:
    taken = {r.key for r in update.referrals if r.key}
    referrals = [
        Referral(
            key=r.key or _new_key(r.name if isinstance(r.name, str) else r.name.fr, taken),
            name=referral_name(r.name),
            topics=r.topics,
            hours=r.hours,
            description=r.description,
            phone=r.phone,
            sms=r.sms,
            url=r.url,
            emergency=r.emergency,
            hidden=r.hidden,
        )
        for r in update.referrals
    ]
    return msgspec.structs.replace(tenant, referrals=referrals)


def apply_replies(tenant: TenantFile, update: RepliesSettings) -> TenantFile:
    taken: dict[str, set[str]] = {"fr": set(), "en": set()}
    for reply in update.canned_replies:
        if reply.key:
            taken[reply.locale].add(reply.key)
    replies = [
        CannedReply(
            key=c.key or _new_key(c.title, taken[c.locale]),
            locale=c.locale,
            title=c.title,
            body=c.body,
        )
        for c in update.canned_replies
    ]
    return msgspec.structs.replace(tenant, canned_replies=replies)


def apply_widget(tenant: TenantFile, update: WidgetSettings) -> TenantFile:
    return msgspec.structs.replace(tenant, allowed_origins=update.allowed_origins)


def protection_view(tenant: TenantFile, chat: ChatSettings) -> ProtectionView:
    return ProtectionView(
        line=tenant.protection,
        instance=InstanceLimits(
            starts_per_client_minute=chat.starts_per_client_burst,
            starts_per_client_hour=chat.starts_per_client_hour,
            starts_per_line_minute=chat.starts_per_line_minute,
            messages_burst=chat.messages_burst,
            messages_per_10_minutes=chat.messages_per_10_minutes,
            visitor_frames_per_10s=chat.visitor_frames_per_10s,
            challenge_bits=chat.challenge_bits,
        ),
    )


def apply_protection(tenant: TenantFile, update: Protection) -> TenantFile:
    return msgspec.structs.replace(tenant, protection=update)


def apply_privacy(tenant: TenantFile, update: PrivacySettings) -> TenantFile:
    return msgspec.structs.replace(tenant, retention_days=update.retention_days)


def check(tenant: TenantFile, locale: Locale, section: str = "") -> None:
    """The tenant files' rules, on the edited tenant in the order the request gave it."""
    violations = rule_violations(tenant)
    if violations:
        raise invalid(rule_errors(violations, locale, section))
    try:
        Schedule.from_tenant(tenant, None)
    except ScheduleError:
        raise invalid(
            [FieldError("hours", "invalid_format", message("invalid_format", locale))]
        ) from None


class SettingsService:
    """Reads and saves one tenant's settings on behalf of one admin."""

    def __init__(self, db: Database, access: TenantAccess, staff_id: UUID, locale: Locale) -> None:
        self.db, self.access, self.staff_id, self.locale = db, access, staff_id, locale

    def _transaction(self) -> Any:
        return self.db.tenant_transaction(self.access.organisation_id, staff_id=self.staff_id)

    async def tenant(self) -> TenantFile:
        async with self._transaction() as conn:
            tenant = await read_tenant(conn, self.access.slug)
        if tenant is None:
            raise NotFound(code="tenant_not_found")
        return tenant

    async def save(
        self,
        section: Section,
        change: Callable[[TenantFile], TenantFile],
        members: list[list[UUID]] | None = None,
    ) -> TenantFile:
        """Applies one section's change; `members` (teams only) lists each team's members in
        the order of the request's teams."""
        org_id = self.access.organisation_id
        async with self._transaction() as conn:
            before = await lock_tenant(conn, org_id, self.access.slug)
            if before is None:
                raise NotFound(code="tenant_not_found")
            edited = change(before)
            check(edited, self.locale, section)
            after = canonical(edited)
            details = audit_details(section, before, after)
            if members is not None:
                changed_members = await self._members(conn, edited, members)
                new_teams = set(details["added"])
                details["changed"] = sorted(
                    set(details["changed"]) | (set(changed_members) - new_teams)
                )
                names = {t.slug: t.name for t in edited.teams}
                details["changes"] += member_changes(names, changed_members)
            if after != before or (members is not None and details["changed"]):
                await write_changes(conn, org_id, before, after)
                if members is not None:
                    wanted = {t.slug: ids for t, ids in zip(edited.teams, members, strict=True)}
                    await repository.set_team_members(conn, org_id, wanted)
                await audit.record(
                    conn,
                    organisation_id=org_id,
                    actor_id=self.staff_id,
                    action=f"settings.{section}",
                    target=self.access.slug,
                    details=details,
                )
        return after

    async def _members(
        self, conn: Any, edited: TenantFile, members: list[list[UUID]]
    ) -> dict[str, tuple[list[UUID], list[UUID]]]:
        """Checks every member belongs to the organisation; returns the teams whose members
        change, with their members before and after."""
        allowed = {s.id for s in await repository.staff_options(conn, self.access.organisation_id)}
        errors = [
            FieldError(f"teams[{i}].members", "not_a_member", message("not_a_member", self.locale))
            for i, ids in enumerate(members)
            if not set(ids) <= allowed
        ]
        if errors:
            raise invalid(errors)
        current = await repository.team_members(conn, self.access.organisation_id)
        return {
            team.slug: (current.get(team.slug, []), sorted(set(ids)))
            for team, ids in zip(edited.teams, members, strict=True)
            if sorted(set(ids)) != sorted(current.get(team.slug, []))
        }
