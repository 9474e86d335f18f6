"""What the dashboard and audit log endpoints return."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

import msgspec


class TeamChoice(msgspec.Struct, frozen=True):
    key: str
    name: str


class DayCount(msgspec.Struct, frozen=True):
    day: date
    conversations: int
    answered: int
    closed_attempts: int


class Outcomes(msgspec.Struct, frozen=True):
    """Each conversation counted once; out_of_hours are refused starts, not conversations."""

    conversations: int
    answered: int
    missed: int
    abandoned: int
    waiting: int
    out_of_hours: int


class Spread(msgspec.Struct, frozen=True):
    """Median and 90th percentile in seconds (None when nothing was measured)."""

    count: int
    median_seconds: float | None
    p90_seconds: float | None


class LabelCount(msgspec.Struct, frozen=True):
    label: str | None
    count: int


class Ratings(msgspec.Struct, frozen=True):
    count: int
    average: float | None
    distribution: list[LabelCount]


class Dashboard(msgspec.Struct, frozen=True):
    tenant: str
    time_zone: str
    date_from: date = msgspec.field(name="from")
    date_to: date = msgspec.field(name="to")
    team: str | None = None
    teams: list[TeamChoice] = []
    per_day: list[DayCount] = []
    outcomes: Outcomes | None = None
    waits: Spread | None = None
    durations: Spread | None = None
    risk_levels: list[LabelCount] = []
    topics: list[LabelCount] = []
    wrapup_topics: list[LabelCount] = []
    ratings: Ratings | None = None
    # Starts refused before a conversation existed, by reason (too_many_starts, fair_use,
    # blocked, challenge); days in UTC.
    refused_starts: dict[str, int] = {}


class Actor(msgspec.Struct, frozen=True):
    id: UUID
    email: str
    display_name: str


class AuditEntry(msgspec.Struct, frozen=True):
    """`details` as stored; `when`, `actor_name`, `target_text` and `summary` say the same in
    the reader's language, with names in place of ids."""

    id: int
    at: datetime
    action: str
    label: str
    actor_id: UUID | None
    actor: Actor | None
    target: str
    details: dict[str, Any]
    when: str = ""
    actor_name: str = ""
    target_text: str = ""
    summary: list[str] = []


class AuditPage(msgspec.Struct, frozen=True):
    """Newest first; `older` / `newer` are the keyset cursors for the next pages, if any."""

    tenant: str
    time_zone: str
    entries: list[AuditEntry]
    actions: list[str]
    older: int | None = None
    newer: int | None = None
