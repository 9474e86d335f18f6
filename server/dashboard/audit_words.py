"""An audit entry in words: who or what it was about, and what changed ("Primary colour: #1f4e79
→ #ffee00"), names in place of ids, in French or English.

Details come in the shapes the writers stored over time (grep `action=` under server/): a
`changes` list of `{field, from, to, item}`; older keys (`fields`, `added`, `removed`,
`changed`, `reordered`, `from`/`to`, counts); and anything unknown, shown as "key: value". A
staff or team id found anywhere is named; one nobody can name shows as a short reference,
never as a whole id. A conversation is named as the console names it ("Visitor 3F2A")."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from server.hours.phrasing import EN_MONTHS, FR_MONTHS
from server.i18n import Locale
from server.tenants.topics import topic_label
from server.words import page_texts

UUID_TEXT = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MINUTES = frozenset(
    {
        "closing_cutoff_minutes",
        "session_limit_minutes",
        "inactivity_timeout_minutes",
        "wait_alert_minutes",
        "shift_alert_minutes",
    }
)
# Keys of the older shapes that `changes` says better when an entry has both.
COVERED_BY_CHANGES = frozenset({"fields", "added", "removed", "changed", "reordered"})
ROLES = frozenset({"listener", "supervisor", "admin", "owner"})


@dataclass(frozen=True)
class AuditNames:
    """What the page can name: staff and teams by id, people by e-mail, partners by slug."""

    tenant_slug: str = ""
    tenant_name: str = ""
    staff: Mapping[str, str] = field(default_factory=dict)
    people: Mapping[str, str] = field(default_factory=dict)
    teams: Mapping[str, str] = field(default_factory=dict)
    team_keys: Mapping[str, str] = field(default_factory=dict)
    partners: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Described:
    target: str
    lines: list[str]


def ids_in(value: Any) -> set[str]:
    """Every id (as text) in some details, at any depth: the staff and teams to name."""
    found: set[str] = set()
    if isinstance(value, str) and UUID_TEXT.match(value):
        found.add(value.lower())
    elif isinstance(value, Mapping | list):
        for inner in value.values() if isinstance(value, Mapping) else value:
            found |= ids_in(inner)
    return found


def moment(at: datetime, locale: Locale) -> str:
    """A date and time as people write it (10 mars 2026 à 12:05 / 10 March 2026, 12:05), in
    the time zone `at` carries."""
    months = FR_MONTHS if locale == "fr" else EN_MONTHS
    return page_texts(locale)["audit_moment"].format(
        day=at.day, month=months[at.month - 1], year=at.year, time=at.strftime("%H:%M")
    )


class _Words:
    """Formatting for one page: its texts and the names it knows."""

    def __init__(self, names: AuditNames, locale: Locale) -> None:
        self.names, self.locale, self.t = names, locale, page_texts(locale)

    # Values --------------------------------------------------------------------------------

    def label(self, path: str) -> str:
        return self.t.get(f"audit_field_{path}") or path.rsplit(".", 1)[-1].replace("_", " ")

    def reference(self, value: str) -> str:
        return self.t["audit_ref"].format(code=value[:4].upper())

    def person(self, staff_id: Any) -> str:
        if not isinstance(staff_id, str):
            return self.t["audit_nobody"] if staff_id is None else str(staff_id)
        return self.names.staff.get(staff_id.lower()) or self.t["audit_unknown_actor"]

    def team(self, team_id: Any) -> str:
        if not isinstance(team_id, str):
            return str(team_id)
        return self.names.teams.get(team_id.lower()) or self.t["audit_deleted_team"]

    def day(self, value: str) -> str:
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return value
        months = FR_MONTHS if self.locale == "fr" else EN_MONTHS
        return f"{day.day} {months[day.month - 1]} {day.year}"

    def weekdays(self, days: list[Any]) -> str:
        """Runs of three days or more as a range: "lundi–vendredi, dimanche"."""
        order = sorted({WEEKDAYS.index(d) for d in days if d in WEEKDAYS})
        runs: list[list[int]] = []
        for index in order:
            if runs and index == runs[-1][-1] + 1:
                runs[-1].append(index)
            else:
                runs.append([index])
        words = [self.t[WEEKDAYS[i]] for i in range(7)]
        return ", ".join(
            f"{words[r[0]]}–{words[r[-1]]}" if len(r) >= 3 else ", ".join(words[i] for i in r)
            for r in runs
        )

    def slot(self, slot: Any, dated: bool) -> str:
        if not isinstance(slot, Mapping):
            return self.plain(slot)
        when = self.day(str(slot.get("date", ""))) if dated else self.weekdays(slot.get("days", []))
        if slot.get("opens") and slot.get("closes"):
            text = f"{when} {slot['opens']}–{slot['closes']}"
        else:
            text = self.t["audit_closed_day"].format(day=when)
        return f"{text} ({slot['team']})" if slot.get("team") else text

    def listing(self, values: Any, one: Callable[[Any], str], sep: str = ", ") -> str:
        if not isinstance(values, list):
            return one(values)
        return sep.join(one(v) for v in values) if values else "—"

    def plain(self, value: Any) -> str:
        """Any value: ids named, yes/no, lists joined, French/English pairs side by side."""
        if value is None or value == "" or value == []:
            return "—"
        if isinstance(value, bool):
            return self.t["audit_yes"] if value else self.t["audit_no"]
        if _is_id(value):
            key = str(value).lower()
            return self.names.staff.get(key) or self.names.teams.get(key) or self.reference(key)
        if isinstance(value, list):
            return self.listing(value, self.plain)
        if isinstance(value, Mapping):
            if set(value) == {"fr", "en"}:
                return f"{value['fr']} / {value['en']}"
            return ", ".join(f"{self.label(str(k))}: {self.plain(v)}" for k, v in value.items())
        return str(value)

    def value(self, path: str, value: Any) -> str:
        """A field's value as the admin console words it."""
        name = path.rsplit(".", 1)[-1]
        if value is None and name == "capacity":
            return self.t["audit_line_default"]
        if name in MINUTES and isinstance(value, int):
            return self.t["audit_minutes"].format(n=value)
        if name == "retention_days" and isinstance(value, int):
            return self.t["audit_days"].format(n=value)
        if path == "duration_hours" and isinstance(value, int):
            return self.t["audit_hours"].format(n=value)
        if path == "reason" and f"audit_block_reason_{value}" in self.t:
            return self.t[f"audit_block_reason_{value}"]
        if path in ("hours", "exceptions"):
            sep = self.t["audit_list_sep"]
            return self.listing(value, lambda s: self.slot(s, path == "exceptions"), sep)
        if name == "members" or path == "previous_listener":
            return self.listing(value, self.person)
        if path in ("team_ids", "teams", "previous_teams") and value != []:
            if value == "all":
                return self.t["audit_all_teams"]
            if isinstance(value, list) and all(_is_id(v) for v in value):
                return self.listing(value, self.team)
        if name == "topics":
            return self.listing(value, lambda k: topic_label(str(k), self.locale))
        if name == "languages":
            return self.listing(value, lambda k: self.t.get(f"audit_lang_{k}", str(k)))
        if name in ("mode", "position") and isinstance(value, str):
            return self.t.get(f"audit_{'mode_' if name == 'mode' else ''}{value}", value)
        if name == "role" and value in ROLES:
            return self.t[value]
        return self.plain(value)

    # Lines ---------------------------------------------------------------------------------

    def line(self, path: str, value: Any) -> str:
        return self.t["audit_line"].format(label=self.label(path), value=self.value(path, value))

    def slots_change(self, path: str, old: list[Any], new: list[Any]) -> str | None:
        """Opening slots are long: the ones added and removed, not both whole weeks."""
        added, removed = [s for s in new if s not in old], [s for s in old if s not in new]
        parts = [
            self.t[key].format(value=self.value(path, slots))
            for key, slots in (("audit_slots_added", added), ("audit_slots_removed", removed))
            if slots
        ]
        if not parts:
            return None
        value = self.t["audit_list_sep"].join(parts)
        return self.t["audit_line"].format(label=self.label(path), value=value)

    def change(self, change: Mapping[str, Any]) -> str:
        path = str(change.get("field", ""))
        label = self.label(path)
        old, new = change.get("from"), change.get("to")
        slots = None
        if path in ("hours", "exceptions") and isinstance(old, list) and isinstance(new, list):
            slots = self.slots_change(path, old, new)
        if slots is not None:
            text = slots
        elif "from" in change and "to" in change:
            text = self.t["audit_change"].format(
                label=label,
                before=self.value(path, old),
                after=self.value(path, new),
            )
        elif "to" in change:
            text = self.line(path, change["to"])
        else:
            text = self.t["audit_text_changed"].format(label=label)
        item = change.get("item")
        return self.t["audit_in_item"].format(item=item, line=text) if item else text

    def keys(self, action: str, keys: Any) -> str:
        """Row keys of an older entry: team keys named when the team still exists."""
        if action == "settings.teams":
            return self.listing(keys, lambda k: self.names.team_keys.get(str(k), str(k)))
        return self.listing(keys, self.plain)

    def detail(self, action: str, key: str, value: Any, details: Mapping[str, Any]) -> list[str]:
        """One key of the details, in words; nothing for what another key already says."""
        t = self.t
        if key == "demo":
            return [t["audit_demo"]] if value else []
        if key == "via" and value == "supervision":
            return [t["audit_via_supervision"]]
        if key == "second_factor" and f"audit_second_factor_{value}" in t:
            return [t[f"audit_second_factor_{value}"]]
        if key == "new_account":
            return [t["audit_new_account"] if value else t["audit_existing_account"]]
        if key in ("added", "removed", "changed"):
            if not value:
                return []
            label = t[f"audit_{'edited' if key == 'changed' else key}"]
            return [t["audit_line"].format(label=label, value=self.keys(action, value))]
        if key == "fields":
            fields = self.listing(value, lambda f: self.label(str(f)))
            return [t["audit_line"].format(label=t["audit_fields"], value=fields)]
        if key == "reordered":
            return [t["audit_reordered"]] if value is True else []
        if key == "from" and "to" in details:
            field = "role" if action == "staff.role_changed" else "value"
            return [self.change({"field": field, "from": value, "to": details["to"]})]
        if key == "to" and "from" in details:
            return []
        if key == "teams" and "previous_teams" in details:
            return [self.change({"field": "teams", "from": details["previous_teams"], "to": value})]
        if key == "previous_teams":
            return []
        if isinstance(value, Mapping) and "from" in value and "to" in value:
            return [self.change({"field": key, **value})]
        return [self.line(key, value)]

    def target(self, action: str, target: str) -> str:
        if not target:
            return ""
        if action.startswith("settings.") and target == self.names.tenant_slug:
            return self.names.tenant_name or target
        if action.startswith("partner."):
            return self.names.partners.get(target, target)
        if UUID_TEXT.match(target):
            if action.startswith(("transcript.", "conversation.")):
                return self.t["con_js_visitor_alias"].format(code=target[:4].upper())
            return self.plain(target)
        name = self.names.people.get(target.lower())
        return f"{name} ({target})" if name else target


def _is_id(value: Any) -> bool:
    return isinstance(value, str) and UUID_TEXT.match(value) is not None


def describe(
    action: str, target: str, details: Mapping[str, Any], names: AuditNames, locale: Locale
) -> Described:
    """The entry's target and its details as lines of words."""
    words = _Words(names, locale)
    lines: list[str] = []
    changes = details.get("changes")
    covered: Iterable[str] = ()
    if isinstance(changes, list):
        lines += [words.change(c) for c in changes if isinstance(c, Mapping)]
        covered = COVERED_BY_CHANGES | {"changes"}
    for key, value in details.items():
        if key not in covered:
            lines += words.detail(action, key, value, details)
    return Described(target=words.target(action, target), lines=lines)
