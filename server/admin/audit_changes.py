"""What an admin's save changed, for the audit log: which fields and rows (`fields`, `added`,
`removed`, `changed`, `reordered`, keys only) and, in `changes`, each changed value before and
after, so the audit page can say "Primary colour: #1f4e79 → #ffee00".

A change is `{"field": path, "from": old, "to": new}`, with `"item"` naming the row (a team, a
referral, a reply) when the field belongs to one. Texts a person wrote at length (welcome
message, descriptions, reply bodies) are named, never quoted: `{"field": path}` alone."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from uuid import UUID

import msgspec

from server.admin.structs import Section
from server.tenants.structs import Branding, Localised, Protection, Routing, TenantFile

# Prose (a reply's body, any French/English text): the log says it changed, not what it says.
PROSE_FIELDS = frozenset({"body"})
_ROUTING_IN_TEAMS = tuple(f for f in Routing.__struct_fields__ if f != "closing_cutoff_minutes")


def _value(value: Any) -> Any:
    return msgspec.to_builtins(value)


def _is_prose(field: str, old: Any, new: Any) -> bool:
    return field.rsplit(".", 1)[-1] in PROSE_FIELDS or any(
        isinstance(v, Localised) for v in (old, new)
    )


def _change(field: str, old: Any, new: Any, item: str | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"field": field}
    if not _is_prose(field, old, new):
        entry["from"], entry["to"] = _value(old), _value(new)
    if item is not None:
        entry["item"] = item
    return entry


def _field_changes(
    before: Any, after: Any, names: Iterable[str], prefix: str = "", item: str | None = None
) -> list[dict[str, Any]]:
    return [
        _change(f"{prefix}{name}", getattr(before, name, None), getattr(after, name, None), item)
        for name in names
        if getattr(before, name, None) != getattr(after, name, None)
    ]


def _changed_fields(before: Any, after: Any, names: Iterable[str], prefix: str = "") -> list[str]:
    return [f"{prefix}{name}" for name in names if getattr(before, name) != getattr(after, name)]


def _list_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Keys added, removed and changed between two keyed lists (keys only: no content)."""
    kept = [k for k in after if k in before]
    return {
        "added": [k for k in after if k not in before],
        "removed": [k for k in before if k not in after],
        "changed": [k for k in kept if before[k] != after[k]],
        "reordered": [k for k in before if k in after] != kept,
    }


def _rows(
    field: str,
    row_field: str,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    label: Any,
    skip: Sequence[str],
) -> list[dict[str, Any]]:
    """The list as names when rows come or go or move, then each kept row's changed fields."""
    changes: list[dict[str, Any]] = []
    if list(before) != list(after):
        changes.append(
            _change(field, [label(r) for r in before.values()], [label(r) for r in after.values()])
        )
    for key, new in after.items():
        old = before.get(key)
        if old is not None and old != new:
            fields = [f for f in type(new).__struct_fields__ if f not in skip]
            changes += _field_changes(old, new, fields, f"{row_field}.", label(old))
    return changes


def _referral_name(referral: Any) -> str:
    """A referral's name as French admins wrote it (the name may be a {fr, en} pair)."""
    name = referral.name
    return name if isinstance(name, str) else str(getattr(name, "fr", name))


def _reply_title(reply: Any) -> str:
    return f"{reply.title} ({reply.locale.upper()})"


def _slots(tenant: TenantFile, rows: Sequence[Any]) -> list[dict[str, Any]]:
    """Weekly slots or special days, their team named rather than keyed; labels (prose) left
    out."""
    names = {t.slug: t.name for t in tenant.teams}
    slots = []
    for row in rows:
        slot = {k: v for k, v in _value(row).items() if k != "label"}
        if slot.get("team"):
            slot["team"] = names.get(slot["team"], slot["team"])
        slots.append(slot)
    return slots


def _hours_changes(before: TenantFile, after: TenantFile) -> list[dict[str, Any]]:
    changes = _field_changes(before, after, ("time_zone",))
    changes += _field_changes(before.routing, after.routing, ("closing_cutoff_minutes",))
    for field in ("hours", "exceptions"):
        old, new = _slots(before, getattr(before, field)), _slots(after, getattr(after, field))
        if old != new:
            changes.append(_change(field, old, new))
    return changes


def _teams_changes(before: TenantFile, after: TenantFile) -> list[dict[str, Any]]:
    changes = _field_changes(before.routing, after.routing, _ROUTING_IN_TEAMS)
    changes += _field_changes(before, after, ("topics",))
    return changes + _rows(
        "teams",
        "team",
        {t.slug: t for t in before.teams},
        {t.slug: t for t in after.teams},
        lambda t: t.name,
        ("slug",),
    )


def section_changes(
    section: Section, before: TenantFile, after: TenantFile
) -> list[dict[str, Any]]:
    """Each changed value of one section, before and after."""
    if section == "branding":
        return _field_changes(before, after, ("name", "exit_url")) + _field_changes(
            before.branding, after.branding, Branding.__struct_fields__, "branding."
        )
    if section == "hours":
        return _hours_changes(before, after)
    if section == "teams":
        return _teams_changes(before, after)
    if section == "referrals":
        return _rows(
            "referrals",
            "referral",
            {r.key: r for r in before.referrals},
            {r.key: r for r in after.referrals},
            _referral_name,
            ("key",),
        )
    if section == "replies":
        return _rows(
            "canned_replies",
            "reply",
            {f"{c.key}/{c.locale}": c for c in before.canned_replies},
            {f"{c.key}/{c.locale}": c for c in after.canned_replies},
            _reply_title,
            ("key", "locale"),
        )
    if section == "widget":
        return _field_changes(before, after, ("allowed_origins",))
    if section == "protection":
        return _field_changes(
            before.protection, after.protection, Protection.__struct_fields__, "protection."
        )
    return _field_changes(before, after, ("retention_days",))


def audit_details(section: Section, before: TenantFile, after: TenantFile) -> dict[str, Any]:
    """Which fields and rows changed, and `changes`: the values before and after."""
    details: dict[str, Any]
    if section == "branding":
        details = {
            "fields": _changed_fields(before, after, ("name", "exit_url"))
            + _changed_fields(
                before.branding, after.branding, Branding.__struct_fields__, "branding."
            )
        }
    elif section == "hours":
        fields = _changed_fields(before, after, ("time_zone", "hours", "exceptions"))
        if before.routing.closing_cutoff_minutes != after.routing.closing_cutoff_minutes:
            fields.append("closing_cutoff_minutes")
        details = {"fields": fields}
    elif section == "teams":
        details = {
            "fields": _changed_fields(before.routing, after.routing, Routing.__struct_fields__),
            **_list_changes({t.slug: t for t in before.teams}, {t.slug: t for t in after.teams}),
        }
    elif section == "referrals":
        details = _list_changes(
            {r.key: r for r in before.referrals}, {r.key: r for r in after.referrals}
        )
    elif section == "replies":
        details = _list_changes(
            {f"{c.key}/{c.locale}": c for c in before.canned_replies},
            {f"{c.key}/{c.locale}": c for c in after.canned_replies},
        )
    elif section == "widget":
        old, new = set(before.allowed_origins), set(after.allowed_origins)
        details = {"added": sorted(new - old), "removed": sorted(old - new)}
    elif section == "protection":
        details = {
            "fields": _changed_fields(
                before.protection, after.protection, Protection.__struct_fields__, "protection."
            )
        }
    else:
        details = {"fields": ["retention_days"]}
    details["changes"] = section_changes(section, before, after)
    return details


def member_changes(
    teams: Mapping[str, str], changed: Mapping[str, tuple[Sequence[UUID], Sequence[UUID]]]
) -> list[dict[str, Any]]:
    """Each team whose members change, its members (staff ids) before and after; `teams` maps
    a team's key to its name."""
    return [
        _change("team.members", sorted(map(str, old)), sorted(map(str, new)), teams[slug])
        for slug, (old, new) in changed.items()
    ]
