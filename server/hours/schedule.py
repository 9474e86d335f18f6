"""When a tenant, or one of its teams, is open: pure functions over its opening hours.

The rules, including those the tenant file format leaves open:

* Times are wall-clock times in the tenant's IANA zone. A slot whose ``closes`` is earlier than
  or equal to its ``opens`` ends the next day: 20:00-02:00 on Monday runs from Monday 20:00 to
  Tuesday 02:00, and ``closes = "00:00"`` means midnight at the end of the day. 00:00-00:00 is
  the whole day (the only equal pair the tenant file accepts): a line open around the clock.
* A wall-clock time is the first instant at which the local clock shows that time or later. On
  a spring-forward night a nonexistent time becomes the end of the gap (Paris, 2026-03-29: 02:00
  and 02:30 both become 03:00 CEST); on a fall-back night an ambiguous time is its first
  occurrence (Paris, 2026-10-25: 02:00 is 02:00 CEST, 00:00 UTC, when the clock first shows
  it). So 20:00-02:00 lasts 6 hours of real time on both Paris nights, while 22:00-03:00 lasts
  4 hours in March and 6 in October. A slot that resolves to nothing (02:00-02:30 on the spring
  night) is dropped.
* A dated exception replaces the weekly slots that start on that date, and only those: the
  previous evening's overnight slot still runs into the morning of the exception date, whether
  the exception closes the day or gives special hours. Special hours may cross midnight too.
* Openings are half-open intervals: open at the opening instant, closed at the closing instant.
  Slots that overlap or touch (one ends at 02:00, the next starts at 02:00) are one opening.
* Arithmetic is done in UTC; every datetime handed back is aware and in the tenant's zone.
  (Subtract or compare them after ``.astimezone(UTC)``: Python compares two datetimes that share
  a tzinfo by wall clock.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec

from server.tenants.structs import WEEKDAYS, ExceptionDay, TenantFile, WeeklyHours

LOOKAHEAD = timedelta(days=14)
"""How far ahead `Schedule.state_at` looks for the next opening."""

_DAY_MINUTES = 24 * 60
_ONE_DAY = timedelta(days=1)
_CLOCK = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")


class ScheduleError(ValueError):
    """Opening hours that cannot be computed."""


class UnknownTimeZoneError(ScheduleError):
    """The tenant's time_zone is not an IANA zone known to this system."""

    def __init__(self, time_zone: str) -> None:
        super().__init__(f"{time_zone!r} is not a known IANA time zone")
        self.time_zone = time_zone


class UnknownTeamError(ScheduleError):
    """A schedule was asked for a team the tenant does not have."""

    def __init__(self, team: str) -> None:
        super().__init__(f"this tenant has no team {team!r}")
        self.team = team


class Slot(NamedTuple):
    """Opening hours on one day, in minutes after the local midnight that starts that day.

    ``closes`` is always greater than ``opens`` and exceeds 1440 when the slot ends the next
    day: 20:00-02:00 is ``Slot(1200, 1560)``, 00:00-00:00 would be ``Slot(0, 1440)``.
    """

    opens: int
    closes: int

    @classmethod
    def parse(cls, opens: str, closes: str) -> Slot:
        start, end = _minutes(opens), _minutes(closes)
        return cls(start, end + _DAY_MINUTES if end <= start else end)


class OpeningState(msgspec.Struct, frozen=True, kw_only=True):
    """Whether a tenant (or team) is open at one instant, and what comes next.

    * ``closes_at``: when open, the end of the current opening (slots that touch or overlap
      count as one); None when closed, or when the opening runs on past the 15 days computed.
    * ``accepting_new``: open, and the close is strictly more than the cutoff away.
    * ``next_opening``: the start of the next opening strictly after now, at most 14 days
      ahead, also while open (it is then the opening after the current one); else None.
    * ``next_closing``: the end of the opening that starts at ``next_opening``, so that the two
      describe the next opening window ("from 8 pm to 2 am"); None when ``next_opening`` is
      None or that opening runs on past the days computed. It is not the current close: that
      is ``closes_at``.
    * ``time_zone``: the tenant's zone; all datetimes are aware and in it.
    """

    is_open: bool
    accepting_new: bool
    closes_at: datetime | None
    next_opening: datetime | None
    next_closing: datetime | None
    time_zone: str


class Schedule:
    """A tenant's (or team's) opening hours: weekly slots, dated exceptions and a time zone.

    The slots and exceptions given are those that apply; their ``team`` fields are ignored.
    Use `Schedule.from_tenant` to pick them out of a tenant file.
    """

    __slots__ = ("_exceptions", "_slots_on", "_weekly", "time_zone", "zone")

    def __init__(
        self,
        time_zone: str,
        weekly: Iterable[WeeklyHours] = (),
        exceptions: Iterable[ExceptionDay] = (),
    ) -> None:
        self.time_zone = time_zone
        self.zone = _zone(time_zone)
        days: list[list[Slot]] = [[] for _ in WEEKDAYS]
        for hours in weekly:
            slot = Slot.parse(hours.opens, hours.closes)
            for day in hours.days:
                if day not in WEEKDAYS:
                    raise ScheduleError(f"{day!r} is not a weekday (use {', '.join(WEEKDAYS)})")
                days[WEEKDAYS.index(day)].append(slot)
        self._weekly = tuple(_merge_slots(slots) for slots in days)
        self._exceptions: dict[date, ExceptionDay] = {}
        self._slots_on: dict[date, tuple[Slot, ...]] = {}
        for exception in exceptions:
            if exception.date in self._exceptions:
                raise ScheduleError(f"two exceptions for {exception.date.isoformat()}")
            self._exceptions[exception.date] = exception
            if exception.opens is None and exception.closes is None:
                self._slots_on[exception.date] = ()
            elif exception.opens is not None and exception.closes is not None:
                self._slots_on[exception.date] = (Slot.parse(exception.opens, exception.closes),)
            else:
                raise ScheduleError(
                    f"exception {exception.date.isoformat()}: give both opens and closes, "
                    "or neither (closed all day)"
                )

    @classmethod
    def from_tenant(cls, tenant: TenantFile, team: str | None = None) -> Schedule:
        """The schedule of the tenant (team None) or of one of its teams.

        A team with weekly slots of its own follows those; a team without follows the
        tenant-wide slots (those with no team). On a given date, the team's own exception
        applies if it has one, else the tenant-wide exception for that date, if any. The
        tenant-wide schedule (team None) uses only the slots and exceptions with no team.
        """
        if team is not None and team not in {t.slug for t in tenant.teams}:
            raise UnknownTeamError(team)
        own = [h for h in tenant.hours if team is not None and h.team == team]
        weekly = own or [h for h in tenant.hours if h.team is None]
        exceptions = {e.date: e for e in tenant.exceptions if e.team is None}
        if team is not None:
            exceptions.update({e.date: e for e in tenant.exceptions if e.team == team})
        return cls(tenant.time_zone, weekly, sorted(exceptions.values(), key=lambda e: e.date))

    def weekly(self, weekday: int) -> tuple[Slot, ...]:
        """The weekly slots starting on a weekday (0 = Monday), merged where they overlap or
        touch, in order."""
        return self._weekly[weekday]

    def exception_on(self, day: date) -> ExceptionDay | None:
        """The exception that applies on a date, if any (for its label)."""
        return self._exceptions.get(day)

    def slots_starting(self, day: date) -> tuple[Slot, ...]:
        """The slots that start on a local date: the exception's if there is one, else the
        weekly ones."""
        if day in self._slots_on:
            return self._slots_on[day]
        return self._weekly[day.weekday()]

    def state_at(self, now: datetime, cutoff_minutes: int) -> OpeningState:
        """Whether this schedule is open at `now` (aware), and what comes next (see
        `OpeningState`). New conversations are accepted while open and strictly more than
        `cutoff_minutes` before the close."""
        _require_aware(now, "now")
        if cutoff_minutes < 0:
            raise ValueError("cutoff_minutes must not be negative")
        instant = now.astimezone(UTC)
        today = instant.astimezone(self.zone).date()
        last = today + LOOKAHEAD + _ONE_DAY
        openings = self._openings(today - 2 * _ONE_DAY, last)
        # Every opening that ends before the local midnight after `last` is complete: no slot
        # that was not computed can touch it.
        known_until = self._instant(last + _ONE_DAY, 0)

        def end(moment: datetime) -> datetime | None:
            return None if moment >= known_until else moment.astimezone(self.zone)

        current = next(((s, e) for s, e in openings if s <= instant < e), None)
        upcoming = next(((s, e) for s, e in openings if s > instant), None)
        if upcoming is not None and upcoming[0] > instant + LOOKAHEAD:
            upcoming = None
        closes_at = end(current[1]) if current else None
        cutoff = timedelta(minutes=cutoff_minutes)
        return OpeningState(
            is_open=current is not None,
            accepting_new=current is not None
            and (closes_at is None or current[1] - instant > cutoff),
            closes_at=closes_at,
            next_opening=upcoming[0].astimezone(self.zone) if upcoming else None,
            next_closing=end(upcoming[1]) if upcoming else None,
            time_zone=self.time_zone,
        )

    def openings_between(self, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
        """The openings between two aware instants, merged where slots overlap or touch, and
        cut to [start, end): an opening under way at `start` is given from `start`."""
        _require_aware(start, "start")
        _require_aware(end, "end")
        first, stop = start.astimezone(UTC), end.astimezone(UTC)
        if first >= stop:
            return []
        result: list[tuple[datetime, datetime]] = []
        days_from = first.astimezone(self.zone).date() - 2 * _ONE_DAY
        days_to = stop.astimezone(self.zone).date()
        for opens, closes in self._openings(days_from, days_to):
            opens, closes = max(opens, first), min(closes, stop)
            if opens < closes:
                result.append((opens.astimezone(self.zone), closes.astimezone(self.zone)))
        return result

    def _openings(self, first: date, last: date) -> list[tuple[datetime, datetime]]:
        """The merged openings (UTC) of the slots starting on the dates first..last."""
        spans: list[tuple[datetime, datetime]] = []
        day = first
        while day <= last:
            for slot in self.slots_starting(day):
                opens, closes = self._instant(day, slot.opens), self._instant(day, slot.closes)
                if opens < closes:
                    spans.append((opens, closes))
            day += _ONE_DAY
        spans.sort()
        merged: list[tuple[datetime, datetime]] = []
        for opens, closes in spans:
            if merged and opens <= merged[-1][1]:
                if closes > merged[-1][1]:
                    merged[-1] = (merged[-1][0], closes)
            else:
                merged.append((opens, closes))
        return merged

    def _instant(self, day: date, minute: int) -> datetime:
        """The UTC instant of `minute` minutes after the start of local `day` (may exceed a day),
        by the wall-clock rule of this module."""
        day += timedelta(days=minute // _DAY_MINUTES)
        minute %= _DAY_MINUTES
        return wall_clock_instant(datetime.combine(day, time(minute // 60, minute % 60)), self.zone)


def wall_clock_instant(wall: datetime, zone: ZoneInfo) -> datetime:
    """The first instant (UTC) at which the clock in `zone` shows the naive time `wall` or later:
    the instant itself when it exists once, its first occurrence when the clock goes back, and
    the end of the gap when the clock jumps over it."""
    first = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if first.astimezone(zone).replace(tzinfo=None) == wall:
        return first
    # A nonexistent time. fold=0 reads it with the offset in force before the gap, which puts
    # it after the transition; fold=1 with the offset after, which puts it before. The end of
    # the gap is the transition instant: find it to the second.
    low = int(wall.replace(tzinfo=zone, fold=1).astimezone(UTC).timestamp())
    high = int(first.timestamp())
    after = first.astimezone(zone).utcoffset()
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, UTC).astimezone(zone).utcoffset() == after:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise UnknownTimeZoneError(name) from None


def _minutes(clock: str) -> int:
    match = _CLOCK.fullmatch(clock)
    if match is None:
        raise ScheduleError(f"{clock!r} is not a time of day written HH:MM")
    return int(match[1]) * 60 + int(match[2])


def _merge_slots(slots: list[Slot]) -> tuple[Slot, ...]:
    merged: list[Slot] = []
    for slot in sorted(slots):
        if merged and slot.opens <= merged[-1].closes:
            if slot.closes > merged[-1].closes:
                merged[-1] = Slot(merged[-1].opens, slot.closes)
        else:
            merged.append(slot)
    return tuple(merged)


def _require_aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, not a naive one")
