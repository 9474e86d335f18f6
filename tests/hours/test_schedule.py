"""The opening-hours engine. Every expected instant is written by hand from the calendar.

2026 calendar used below: Mon 12 Jan; Wed 14, Thu 15, Sun 18 Jan; Sat 28 / Sun 29 Mar (Paris
springs forward at 01:00 UTC: 02:00 CET → 03:00 CEST); Sat 24 / Sun 25 Oct (Paris falls back at
01:00 UTC: 03:00 CEST → 02:00 CET); Montréal springs forward Sun 8 Mar and falls back Sun 1 Nov
(at 02:00 local); Thu 30 Apr, Fri 1 May; Fri 31 Jul, Mon 10 and 17 Aug; Thu 24, Fri 25 and
Thu 31 Dec; Fri 1 Jan 2027, Mon 4 Jan 2027. CET is UTC+1, CEST UTC+2, EST UTC-5, EDT UTC-4.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import msgspec
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from server.hours.schedule import (
    LOOKAHEAD,
    OpeningState,
    Schedule,
    ScheduleError,
    Slot,
    UnknownTeamError,
    UnknownTimeZoneError,
    wall_clock_instant,
)
from server.tenants.structs import ExceptionDay, Localised, Team, TenantFile, WeeklyHours

REPO = Path(__file__).resolve().parents[2]
PARIS = ZoneInfo("Europe/Paris")
MONTREAL = ZoneInfo("America/Montreal")


def load(slug: str) -> TenantFile:
    return msgspec.toml.decode((REPO / "tenants" / f"{slug}.toml").read_bytes(), type=TenantFile)


def paris(month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    """A 2026 Paris wall-clock time (never used for a DST-ambiguous or nonexistent one)."""
    return datetime(2026, month, day, hour, minute, second, tzinfo=PARIS)


def z(month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    """A 2026 UTC instant."""
    return datetime(2026, month, day, hour, minute, second, tzinfo=UTC)


def utc(moment: datetime | None) -> datetime | None:
    """Compare instants in UTC: Python compares datetimes sharing a tzinfo by wall clock."""
    return None if moment is None else moment.astimezone(UTC)


def spans(pairs: list[tuple[datetime, datetime]]) -> list[tuple[datetime | None, ...]]:
    return [(utc(start), utc(end)) for start, end in pairs]


def hours(days: str, opens: str, closes: str, team: str | None = None) -> WeeklyHours:
    return WeeklyHours(days=days.split(), opens=opens, closes=closes, team=team)  # type: ignore[arg-type]


def closed(day: str, team: str | None = None) -> ExceptionDay:
    return ExceptionDay(date=date.fromisoformat(day), team=team)


def special(day: str, opens: str, closes: str, team: str | None = None) -> ExceptionDay:
    return ExceptionDay(date=date.fromisoformat(day), opens=opens, closes=closes, team=team)


def tenant(
    weekly: list[WeeklyHours],
    exceptions: list[ExceptionDay] | None = None,
    teams: tuple[str, ...] = (),
    time_zone: str = "Europe/Paris",
) -> TenantFile:
    return TenantFile(
        slug="test-line",
        name="Test line",
        kind="association",
        admin_email="admin@test.example",
        time_zone=time_zone,
        hours=weekly,
        exceptions=exceptions or [],
        teams=[Team(slug=slug, name=slug) for slug in teams],
    )


EVERY_DAY = "mon tue wed thu fri sat sun"
NUIT = load("ecoute-nuit")
UNIV = load("univ-sante")
GENERAL = Schedule.from_tenant(NUIT)
ENGLISH = Schedule.from_tenant(NUIT, "english")
SANTE = Schedule.from_tenant(UNIV)
MONTREAL_LINE = Schedule.from_tenant(
    tenant(
        [hours("mon tue wed thu fri", "09:00", "17:00"), hours("sat", "20:00", "02:00")],
        time_zone="America/Montreal",
    )
)


def expect_state(
    state: OpeningState,
    *,
    is_open: bool,
    accepting_new: bool,
    closes_at: datetime | None,
    next_opening: datetime | None,
    next_closing: datetime | None,
) -> None:
    assert (state.is_open, state.accepting_new) == (is_open, accepting_new)
    assert utc(state.closes_at) == utc(closes_at)
    assert utc(state.next_opening) == utc(next_opening)
    assert utc(state.next_closing) == utc(next_closing)


# ── The association's evening slot, 20:00–02:00 every day, on every boundary ────────────────


@pytest.mark.parametrize(
    ("now", "is_open", "accepting_new", "closes_at", "next_opening", "next_closing"),
    [
        (paris(1, 12, 12), False, False, None, paris(1, 12, 20), paris(1, 13, 2)),
        (paris(1, 12, 19, 59, 59), False, False, None, paris(1, 12, 20), paris(1, 13, 2)),
        (paris(1, 12, 20), True, True, paris(1, 13, 2), paris(1, 13, 20), paris(1, 14, 2)),
        (paris(1, 12, 23, 59), True, True, paris(1, 13, 2), paris(1, 13, 20), paris(1, 14, 2)),
        (paris(1, 13, 0), True, True, paris(1, 13, 2), paris(1, 13, 20), paris(1, 14, 2)),
        (paris(1, 13, 1, 44, 59), True, True, paris(1, 13, 2), paris(1, 13, 20), paris(1, 14, 2)),
        (paris(1, 13, 1, 45), True, False, paris(1, 13, 2), paris(1, 13, 20), paris(1, 14, 2)),
        (paris(1, 13, 1, 59, 59), True, False, paris(1, 13, 2), paris(1, 13, 20), paris(1, 14, 2)),
        (paris(1, 13, 2), False, False, None, paris(1, 13, 20), paris(1, 14, 2)),
        (paris(1, 13, 2, 0, 1), False, False, None, paris(1, 13, 20), paris(1, 14, 2)),
    ],
    ids=[
        "midday",
        "just-before-open",
        "at-open",
        "before-midnight",
        "at-midnight",
        "cutoff-plus-1s",
        "exactly-at-cutoff",
        "just-before-close",
        "at-close",
        "after-close",
    ],
)
def test_overnight_slot_boundaries(
    now: datetime,
    is_open: bool,
    accepting_new: bool,
    closes_at: datetime | None,
    next_opening: datetime,
    next_closing: datetime,
) -> None:
    expect_state(
        GENERAL.state_at(now, 15),
        is_open=is_open,
        accepting_new=accepting_new,
        closes_at=closes_at,
        next_opening=next_opening,
        next_closing=next_closing,
    )


def test_state_is_given_in_the_tenant_zone_whatever_the_zone_of_now() -> None:
    state = GENERAL.state_at(z(1, 12, 19), 15)  # 20:00 in Paris
    assert state.is_open
    assert state.time_zone == "Europe/Paris"
    assert state.closes_at is not None
    assert state.closes_at.tzinfo == PARIS
    assert (state.closes_at.hour, state.closes_at.utcoffset()) == (2, timedelta(hours=1))
    assert utc(state.closes_at) == z(1, 13, 1)
    montreal_now = datetime(2026, 1, 12, 14, 0, tzinfo=MONTREAL)  # 20:00 in Paris
    assert GENERAL.state_at(montreal_now, 15) == state


@pytest.mark.parametrize(
    ("now", "cutoff", "accepting_new"),
    [
        (paris(1, 13, 1, 59, 59), 0, True),
        (paris(1, 13, 2), 0, False),
        (paris(1, 12, 21, 59), 240, True),
        (paris(1, 12, 22), 240, False),
        (paris(1, 12, 20), 360, False),
        (paris(1, 12, 20), 359, True),
    ],
)
def test_cutoff_is_strictly_more_than_the_minutes_before_close(
    now: datetime, cutoff: int, accepting_new: bool
) -> None:
    assert GENERAL.state_at(now, cutoff).accepting_new is accepting_new


def test_negative_cutoff_is_refused() -> None:
    with pytest.raises(ValueError, match="cutoff"):
        GENERAL.state_at(paris(1, 12, 21), -1)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        GENERAL.state_at(datetime(2026, 1, 12, 21), 15)
    with pytest.raises(ValueError, match="aware"):
        GENERAL.openings_between(datetime(2026, 1, 12), paris(1, 13))


def test_slot_parsing() -> None:
    assert Slot.parse("20:00", "02:00") == Slot(1200, 1560)
    assert Slot.parse("09:00", "17:30") == Slot(540, 1050)
    assert Slot.parse("12:00", "00:00") == Slot(720, 1440)
    assert Slot.parse("00:00", "00:00") == Slot(0, 1440)
    with pytest.raises(ScheduleError):
        Slot.parse("24:00", "02:00")
    with pytest.raises(ScheduleError):
        Slot.parse("9:00", "17:00")


def test_bad_weekday_is_refused() -> None:
    with pytest.raises(ScheduleError, match="weekday"):
        Schedule("Europe/Paris", [hours("monday", "09:00", "17:00")])


# ── Touching and overlapping slots ──────────────────────────────────────────────────────────


def test_touching_slots_are_one_opening() -> None:
    schedule = Schedule(
        "Europe/Paris", [hours("mon", "20:00", "02:00"), hours("tue", "02:00", "06:00")]
    )
    expect_state(
        schedule.state_at(paris(1, 12, 23), 15),
        is_open=True,
        accepting_new=True,
        closes_at=paris(1, 13, 6),
        next_opening=paris(1, 19, 20),
        next_closing=paris(1, 20, 6),
    )
    # At 01:50 the first slot closes in 10 minutes, but the opening goes on to 06:00.
    assert schedule.state_at(paris(1, 13, 1, 50), 15).accepting_new
    assert not schedule.state_at(paris(1, 13, 5, 50), 15).accepting_new
    assert schedule.state_at(paris(1, 13, 2), 15).is_open
    assert spans(schedule.openings_between(paris(1, 12), paris(1, 14))) == [
        (z(1, 12, 19), z(1, 13, 5))
    ]


def test_slots_touching_at_midnight_are_one_opening() -> None:
    schedule = Schedule(
        "Europe/Paris", [hours("fri", "18:00", "00:00"), hours("sat", "00:00", "03:00")]
    )
    state = schedule.state_at(paris(1, 16, 23, 50), 15)
    assert utc(state.closes_at) == z(1, 17, 2)  # Sat 03:00 CET
    assert state.accepting_new
    assert spans(schedule.openings_between(paris(1, 16), paris(1, 18))) == [
        (z(1, 16, 17), z(1, 17, 2))
    ]


def test_overlapping_slots_are_one_opening() -> None:
    schedule = Schedule(
        "Europe/Paris", [hours("mon", "09:00", "12:00"), hours("mon", "11:00", "14:00")]
    )
    state = schedule.state_at(paris(1, 12, 11, 50), 15)
    assert utc(state.closes_at) == z(1, 12, 13)  # 14:00 CET
    assert state.accepting_new
    assert spans(schedule.openings_between(paris(1, 12), paris(1, 13))) == [
        (z(1, 12, 8), z(1, 12, 13))
    ]


def test_slots_a_minute_apart_are_two_openings() -> None:
    schedule = Schedule(
        "Europe/Paris", [hours("mon", "09:00", "12:00"), hours("mon", "12:01", "14:00")]
    )
    expect_state(
        schedule.state_at(paris(1, 12, 11, 59), 0),
        is_open=True,
        accepting_new=True,
        closes_at=paris(1, 12, 12),
        next_opening=paris(1, 12, 12, 1),
        next_closing=paris(1, 12, 14),
    )
    assert not schedule.state_at(paris(1, 12, 12, 0, 30), 0).is_open


def test_open_around_the_clock() -> None:
    schedule = Schedule("Europe/Paris", [hours(EVERY_DAY, "00:00", "00:00")])
    expect_state(
        schedule.state_at(paris(1, 12, 3), 15),
        is_open=True,
        accepting_new=True,
        closes_at=None,  # no close within the days computed
        next_opening=None,
        next_closing=None,
    )
    assert spans(schedule.openings_between(paris(1, 1), paris(1, 8))) == [
        (datetime(2025, 12, 31, 23, tzinfo=UTC), z(1, 7, 23))
    ]


def test_a_long_opening_that_ends_within_the_look_ahead_gives_its_close() -> None:
    schedule = Schedule(
        "Europe/Paris",
        [hours(EVERY_DAY, "00:00", "00:00")],
        [special("2026-01-25", "00:00", "12:00")],
    )
    state = schedule.state_at(paris(1, 12, 10), 15)
    assert utc(state.closes_at) == z(1, 25, 11)  # Sunday 25 January, 12:00 CET
    assert utc(state.next_opening) == z(1, 25, 23)  # Monday 26 January, 00:00 CET
    assert state.next_closing is None  # open around the clock from there on


# ── Exceptions ──────────────────────────────────────────────────────────────────────────────


def test_special_hours_crossing_midnight() -> None:
    """Christmas Eve: 18:00–04:00 instead of 20:00–02:00; Wednesday's night still runs."""
    expect_state(
        GENERAL.state_at(paris(12, 24, 1), 15),
        is_open=True,
        accepting_new=True,
        closes_at=paris(12, 24, 2),
        next_opening=paris(12, 24, 18),
        next_closing=paris(12, 25, 4),
    )
    expect_state(
        GENERAL.state_at(paris(12, 24, 17, 59), 15),
        is_open=False,
        accepting_new=False,
        closes_at=None,
        next_opening=paris(12, 24, 18),
        next_closing=paris(12, 25, 4),
    )
    expect_state(
        GENERAL.state_at(paris(12, 24, 18), 15),
        is_open=True,
        accepting_new=True,
        closes_at=paris(12, 25, 4),
        next_opening=paris(12, 25, 20),
        next_closing=paris(12, 26, 2),
    )
    assert GENERAL.state_at(paris(12, 25, 2, 30), 15).accepting_new
    assert GENERAL.state_at(paris(12, 25, 3, 44), 15).accepting_new
    assert not GENERAL.state_at(paris(12, 25, 3, 45), 15).accepting_new
    assert not GENERAL.state_at(paris(12, 25, 4), 15).is_open
    assert spans(GENERAL.openings_between(paris(12, 23, 12), paris(12, 26, 12))) == [
        (z(12, 23, 19), z(12, 24, 1)),
        (z(12, 24, 17), z(12, 25, 3)),
        (z(12, 25, 19), z(12, 26, 1)),
    ]
    exception = GENERAL.exception_on(date(2026, 12, 24))
    assert exception is not None
    assert exception.label == Localised(fr="Réveillon de Noël", en="Christmas Eve")
    assert GENERAL.exception_on(date(2026, 12, 23)) is None


def test_a_closed_day_keeps_the_previous_evenings_overnight_slot() -> None:
    schedule = Schedule(
        "Europe/Paris", [hours(EVERY_DAY, "20:00", "02:00")], [closed("2026-05-01")]
    )
    # Thursday 30 April's slot runs into Friday 1 May until 02:00 (CEST, UTC+2).
    expect_state(
        schedule.state_at(paris(5, 1, 1), 15),
        is_open=True,
        accepting_new=True,
        closes_at=paris(5, 1, 2),
        next_opening=paris(5, 2, 20),
        next_closing=paris(5, 3, 2),
    )
    expect_state(
        schedule.state_at(paris(5, 1, 20, 30), 15),
        is_open=False,
        accepting_new=False,
        closes_at=None,
        next_opening=paris(5, 2, 20),
        next_closing=paris(5, 3, 2),
    )
    assert spans(schedule.openings_between(paris(4, 30), paris(5, 3))) == [
        (z(4, 29, 22), z(4, 30, 0)),
        (z(4, 30, 18), z(5, 1, 0)),
        (z(5, 2, 18), z(5, 2, 22)),
    ]


def test_special_hours_overlapping_the_previous_night_merge_with_it() -> None:
    schedule = Schedule(
        "Europe/Paris",
        [hours(EVERY_DAY, "20:00", "02:00")],
        [special("2026-05-01", "01:00", "05:00")],
    )
    expect_state(
        schedule.state_at(paris(5, 1, 1, 30), 15),
        is_open=True,
        accepting_new=True,
        closes_at=paris(5, 1, 5),
        next_opening=paris(5, 2, 20),  # the exception replaced Friday's 20:00 slot
        next_closing=paris(5, 3, 2),
    )


def test_a_holiday_closes_the_university() -> None:
    expect_state(
        SANTE.state_at(paris(12, 25, 10), 15),
        is_open=False,
        accepting_new=False,
        closes_at=None,
        next_opening=paris(12, 28, 9),
        next_closing=paris(12, 28, 17, 30),
    )


def test_special_hours_on_a_weekday() -> None:
    schedule = Schedule.from_tenant(
        tenant(
            [hours("mon tue wed thu fri", "09:00", "17:30")],
            [special("2026-06-05", "09:00", "20:00")],
        )
    )
    assert utc(schedule.state_at(paris(6, 5, 10), 15).closes_at) == z(6, 5, 18)


@pytest.mark.parametrize(
    "exceptions",
    [
        [ExceptionDay(date=date(2026, 5, 1), opens="10:00")],
        [closed("2026-05-01"), special("2026-05-01", "10:00", "12:00")],
    ],
    ids=["opens-without-closes", "same-date-twice"],
)
def test_inconsistent_exceptions_are_refused(exceptions: list[ExceptionDay]) -> None:
    with pytest.raises(ScheduleError):
        Schedule("Europe/Paris", [], exceptions)


# ── Teams ───────────────────────────────────────────────────────────────────────────────────


def test_a_team_with_its_own_slots_follows_them() -> None:
    now = paris(1, 14, 22)  # Wednesday: the general line is open, the English team is not
    expect_state(
        ENGLISH.state_at(now, 15),
        is_open=False,
        accepting_new=False,
        closes_at=None,
        next_opening=paris(1, 15, 21),
        next_closing=paris(1, 16, 1),
    )
    assert utc(GENERAL.state_at(now, 15).closes_at) == z(1, 15, 1)
    expect_state(
        ENGLISH.state_at(paris(1, 18, 23), 15),
        is_open=True,
        accepting_new=True,
        closes_at=paris(1, 19, 1),
        next_opening=paris(1, 22, 21),
        next_closing=paris(1, 23, 1),
    )


def test_a_team_without_slots_follows_the_tenant_wide_ones() -> None:
    general_team = Schedule.from_tenant(NUIT, "general")
    psychologists = Schedule.from_tenant(UNIV, "psychologues")
    for now in (paris(1, 14, 22), paris(1, 15, 1, 50), paris(12, 24, 19), paris(3, 29, 1)):
        assert general_team.state_at(now, 15) == GENERAL.state_at(now, 15)
    for now in (paris(1, 12, 10), paris(12, 25, 10), paris(1, 17, 10)):
        assert psychologists.state_at(now, 15) == SANTE.state_at(now, 15)


def test_tenant_wide_exceptions_apply_to_a_team_with_its_own_slots() -> None:
    # Thursday 24 December: the English team's 21:00–01:00 becomes the tenant's 18:00–04:00.
    expect_state(
        ENGLISH.state_at(paris(12, 24, 18, 30), 15),
        is_open=True,
        accepting_new=True,
        closes_at=paris(12, 25, 4),
        next_opening=paris(12, 25, 21),
        next_closing=paris(12, 26, 1),
    )


def test_a_teams_own_exception_wins_over_the_tenant_wide_one() -> None:
    file = tenant(
        [hours(EVERY_DAY, "20:00", "02:00"), hours("thu fri sat sun", "21:00", "01:00", "english")],
        [special("2026-12-31", "18:00", "04:00"), closed("2026-12-31", "english")],
        teams=("general", "english"),
    )
    english = Schedule.from_tenant(file, "english")
    expect_state(
        english.state_at(paris(12, 31, 21, 30), 15),
        is_open=False,
        accepting_new=False,
        closes_at=None,
        next_opening=datetime(2027, 1, 1, 21, tzinfo=PARIS),
        next_closing=datetime(2027, 1, 2, 1, tzinfo=PARIS),
    )
    for schedule in (Schedule.from_tenant(file), Schedule.from_tenant(file, "general")):
        state = schedule.state_at(paris(12, 31, 21, 30), 15)
        assert state.is_open
        assert utc(state.closes_at) == datetime(2027, 1, 1, 3, tzinfo=UTC)


def test_a_team_exception_for_a_team_on_tenant_wide_slots() -> None:
    file = tenant(
        [hours("mon tue wed thu fri", "09:00", "17:30")],
        [closed("2026-06-05", "psychologues")],
        teams=("psychologues",),
    )
    assert not Schedule.from_tenant(file, "psychologues").state_at(paris(6, 5, 10), 15).is_open
    assert Schedule.from_tenant(file).state_at(paris(6, 5, 10), 15).is_open


def test_the_tenant_wide_schedule_ignores_team_slots() -> None:
    file = tenant([hours(EVERY_DAY, "09:00", "17:00", "english")], teams=("english",))
    assert Schedule.from_tenant(file, "english").state_at(paris(1, 12, 10), 15).is_open
    expect_state(
        Schedule.from_tenant(file).state_at(paris(1, 12, 10), 15),
        is_open=False,
        accepting_new=False,
        closes_at=None,
        next_opening=None,
        next_closing=None,
    )


def test_an_unknown_team_is_refused() -> None:
    with pytest.raises(UnknownTeamError, match="spanish") as caught:
        Schedule.from_tenant(NUIT, "spanish")
    assert isinstance(caught.value, ValueError)


# ── Daylight saving time in Paris ───────────────────────────────────────────────────────────


def test_wall_clock_instants_on_both_paris_nights() -> None:
    def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
        return wall_clock_instant(datetime(2026, month, day, hour, minute), PARIS)

    assert at(3, 29, 1, 59) == z(3, 29, 0, 59)  # 01:59 CET
    assert at(3, 29, 2) == z(3, 29, 1)  # nonexistent: the clock shows 03:00 CEST then
    assert at(3, 29, 2, 30) == z(3, 29, 1)
    assert at(3, 29, 2, 59) == z(3, 29, 1)
    assert at(3, 29, 3) == z(3, 29, 1)  # 03:00 CEST
    assert at(10, 25, 1, 59) == z(10, 24, 23, 59)  # 01:59 CEST
    assert at(10, 25, 2) == z(10, 25, 0)  # ambiguous: the first 02:00, CEST
    assert at(10, 25, 2, 59) == z(10, 25, 0, 59)
    assert at(10, 25, 3) == z(10, 25, 2)  # 03:00 CET, once only
    assert at(7, 14, 12) == z(7, 14, 10)


def test_spring_forward_night() -> None:
    # Saturday 28 March 20:00 CET (19:00 UTC) to Sunday 02:00, which does not exist: the clock
    # jumps from 01:59:59 CET to 03:00 CEST (01:00 UTC). Six hours, as on any other night.
    openings = GENERAL.openings_between(paris(3, 28, 12), paris(3, 30, 12))
    assert spans(openings) == [(z(3, 28, 19), z(3, 29, 1)), (z(3, 29, 18), z(3, 30, 0))]
    first_close, second_open = openings[0][1], openings[1][0]
    assert (first_close.hour, first_close.utcoffset()) == (3, timedelta(hours=2))
    assert (second_open.hour, second_open.utcoffset()) == (20, timedelta(hours=2))
    expect_state(
        GENERAL.state_at(z(3, 29, 0, 59, 59), 15),  # 01:59:59 CET
        is_open=True,
        accepting_new=False,
        closes_at=z(3, 29, 1),
        next_opening=z(3, 29, 18),
        next_closing=z(3, 30, 0),
    )
    assert GENERAL.state_at(z(3, 29, 0, 44, 59), 15).accepting_new  # 01:44:59 CET
    assert not GENERAL.state_at(z(3, 29, 0, 45), 15).accepting_new  # 01:45 CET
    expect_state(
        GENERAL.state_at(z(3, 29, 1), 15),  # 03:00 CEST
        is_open=False,
        accepting_new=False,
        closes_at=None,
        next_opening=z(3, 29, 18),
        next_closing=z(3, 30, 0),
    )


def test_fall_back_night() -> None:
    # Saturday 24 October 20:00 CEST (18:00 UTC) to the first 02:00 on Sunday, 02:00 CEST
    # (00:00 UTC); the clock later shows 02:00 again, in CET, when the line is already closed.
    openings = GENERAL.openings_between(paris(10, 24, 12), paris(10, 26, 12))
    assert spans(openings) == [(z(10, 24, 18), z(10, 25, 0)), (z(10, 25, 19), z(10, 26, 1))]
    first_close = openings[0][1]
    assert (first_close.hour, first_close.utcoffset()) == (2, timedelta(hours=2))
    expect_state(
        GENERAL.state_at(z(10, 24, 23, 59), 15),  # 01:59 CEST
        is_open=True,
        accepting_new=False,
        closes_at=z(10, 25, 0),
        next_opening=z(10, 25, 19),
        next_closing=z(10, 26, 1),
    )
    for now in (z(10, 25, 0), z(10, 25, 0, 30), z(10, 25, 1, 30)):  # 02:00 CEST, 02:30 twice
        expect_state(
            GENERAL.state_at(now, 15),
            is_open=False,
            accepting_new=False,
            closes_at=None,
            next_opening=z(10, 25, 19),  # 20:00 CET
            next_closing=z(10, 26, 1),
        )


@pytest.mark.parametrize(
    ("weekly", "exceptions", "start", "expected"),
    [
        # 22:00–03:00 straddles both changes: 4 hours in March, 6 in October.
        ([hours("sat", "22:00", "03:00")], [], paris(3, 28), [(z(3, 28, 21), z(3, 29, 1))]),
        ([hours("sat", "22:00", "03:00")], [], paris(10, 24), [(z(10, 24, 20), z(10, 25, 2))]),
        # The association's 18:00–04:00 special hours, on those nights: 9 and 11 hours.
        (
            [],
            [special("2026-03-28", "18:00", "04:00")],
            paris(3, 28),
            [(z(3, 28, 17), z(3, 29, 2))],
        ),
        (
            [],
            [special("2026-10-24", "18:00", "04:00")],
            paris(10, 24),
            [(z(10, 24, 16), z(10, 25, 3))],
        ),
        # Opening at a nonexistent time: 02:30 becomes 03:00 CEST.
        ([hours("sun", "02:30", "05:00")], [], paris(3, 29), [(z(3, 29, 1), z(3, 29, 3))]),
        # Opening at an ambiguous time: the first 02:30 (CEST); 05:00 is CET.
        ([hours("sun", "02:30", "05:00")], [], paris(10, 25), [(z(10, 25, 0, 30), z(10, 25, 4))]),
        # A slot that lies wholly in the gap does not happen; a week earlier it does.
        ([hours("sun", "02:00", "02:30")], [], paris(3, 29), []),
        ([hours("sun", "02:00", "02:30")], [], paris(3, 22), [(z(3, 22, 1), z(3, 22, 1, 30))]),
    ],
    ids=[
        "22-03-spring",
        "22-03-autumn",
        "18-04-spring",
        "18-04-autumn",
        "opens-in-gap",
        "opens-ambiguous",
        "slot-in-gap",
        "same-slot-week-before",
    ],
)
def test_durations_across_dst(
    weekly: list[WeeklyHours],
    exceptions: list[ExceptionDay],
    start: datetime,
    expected: list[tuple[datetime, datetime]],
) -> None:
    schedule = Schedule("Europe/Paris", weekly, exceptions)
    assert spans(schedule.openings_between(start, start + timedelta(days=2))) == expected


# ── A tenant abroad: America/Montreal ───────────────────────────────────────────────────────


def test_montreal_office_hours() -> None:
    # Monday 12 January, 09:30 EST = 14:30 UTC (15:30 in Paris).
    expect_state(
        MONTREAL_LINE.state_at(z(1, 12, 14, 30), 15),
        is_open=True,
        accepting_new=True,
        closes_at=z(1, 12, 22),
        next_opening=z(1, 13, 14),
        next_closing=z(1, 13, 22),
    )
    state = MONTREAL_LINE.state_at(z(1, 12, 14, 30), 15)
    assert state.closes_at is not None
    assert state.closes_at.tzinfo == MONTREAL
    assert (state.closes_at.hour, state.closes_at.utcoffset()) == (17, timedelta(hours=-5))
    # 09:30 in Paris is 03:30 in Montréal: still closed there.
    expect_state(
        MONTREAL_LINE.state_at(paris(1, 12, 9, 30), 15),
        is_open=False,
        accepting_new=False,
        closes_at=None,
        next_opening=z(1, 12, 14),
        next_closing=z(1, 12, 22),
    )


def test_montreal_dst_nights() -> None:
    # Saturday 7 March 20:00 EST (01:00 UTC) to 02:00, nonexistent: 03:00 EDT (07:00 UTC).
    assert spans(MONTREAL_LINE.openings_between(z(3, 7, 12), z(3, 8, 18))) == [
        (z(3, 8, 1), z(3, 8, 7))
    ]
    # Saturday 31 October 20:00 EDT (00:00 UTC) to 02:00 EST (07:00 UTC): seven hours.
    assert spans(MONTREAL_LINE.openings_between(z(10, 31, 12), z(11, 1, 18))) == [
        (z(11, 1, 0), z(11, 1, 7))
    ]
    state = MONTREAL_LINE.state_at(z(11, 1, 5, 30), 15)  # 01:30 EDT, the first 01:30
    assert (state.is_open, state.accepting_new) == (True, True)
    assert utc(state.closes_at) == z(11, 1, 7)
    state = MONTREAL_LINE.state_at(z(11, 1, 6, 50), 15)  # 01:50 EST, the second 01:50
    assert (state.is_open, state.accepting_new) == (True, False)
    assert utc(state.closes_at) == z(11, 1, 7)
    assert not MONTREAL_LINE.state_at(z(11, 1, 7), 15).is_open


# ── Next opening across weeks with holidays ─────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("now", "is_open", "next_opening", "next_closing"),
    [
        (paris(12, 24, 17, 29), True, paris(12, 28, 9), paris(12, 28, 17, 30)),
        (paris(12, 24, 17, 30), False, paris(12, 28, 9), paris(12, 28, 17, 30)),
        (paris(12, 26, 23), False, paris(12, 28, 9), paris(12, 28, 17, 30)),
        (
            paris(12, 31, 18),
            False,
            datetime(2027, 1, 4, 9, tzinfo=PARIS),
            datetime(2027, 1, 4, 17, 30, tzinfo=PARIS),
        ),
    ],
    ids=["christmas-eve-last-minute", "christmas-eve-close", "weekend", "new-year"],
)
def test_next_opening_skips_holidays_and_weekends(
    now: datetime, is_open: bool, next_opening: datetime, next_closing: datetime
) -> None:
    state = SANTE.state_at(now, 15)
    assert state.is_open is is_open
    assert not state.accepting_new
    assert utc(state.next_opening) == utc(next_opening)
    assert utc(state.next_closing) == utc(next_closing)


def test_university_openings_over_the_holidays() -> None:
    openings = SANTE.openings_between(paris(12, 21), datetime(2027, 1, 4, tzinfo=PARIS))
    days = [21, 22, 23, 24, 28, 29, 30, 31]
    assert spans(openings) == [(z(12, d, 8), z(12, d, 16, 30)) for d in days]


def test_next_opening_after_a_weeks_closure() -> None:
    weekdays = [hours("mon tue wed thu fri", "09:00", "17:30")]
    week = [closed(f"2026-08-{d:02d}") for d in range(3, 8)]
    state = Schedule("Europe/Paris", weekdays, week).state_at(paris(7, 31, 18), 15)
    assert utc(state.next_opening) == z(8, 10, 7)  # Monday 10 August 09:00 CEST
    assert utc(state.next_closing) == z(8, 10, 15, 30)
    fortnight = [closed(f"2026-08-{d:02d}") for d in (3, 4, 5, 6, 7, 10, 11, 12, 13, 14)]
    state = Schedule("Europe/Paris", weekdays, fortnight).state_at(paris(7, 31, 18), 15)
    assert (state.is_open, state.next_opening, state.next_closing) == (False, None, None)


def test_the_look_ahead_is_fourteen_days() -> None:
    schedule = Schedule("Europe/Paris", [], [special("2026-06-15", "09:00", "17:00")])
    assert timedelta(days=14) == LOOKAHEAD
    state = schedule.state_at(paris(6, 1, 9), 15)  # exactly 14 days before
    assert utc(state.next_opening) == z(6, 15, 7)
    assert utc(state.next_closing) == z(6, 15, 15)
    state = schedule.state_at(paris(6, 1, 8, 59), 15)  # 14 days and a minute before
    assert state.next_opening is None


def test_no_hours_at_all() -> None:
    expect_state(
        Schedule("Europe/Paris").state_at(paris(1, 12, 12), 15),
        is_open=False,
        accepting_new=False,
        closes_at=None,
        next_opening=None,
        next_closing=None,
    )


# ── openings_between ────────────────────────────────────────────────────────────────────────


def test_openings_are_cut_to_the_range_asked() -> None:
    assert spans(GENERAL.openings_between(paris(1, 12, 23), paris(1, 13, 1))) == [
        (z(1, 12, 22), z(1, 13, 0))
    ]
    assert GENERAL.openings_between(paris(1, 13, 2), paris(1, 13, 20)) == []
    assert GENERAL.openings_between(paris(1, 13), paris(1, 12)) == []
    opening = GENERAL.openings_between(z(1, 12), z(1, 13))[0]
    assert opening[0].tzinfo == PARIS


# ── Time zones ──────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("name", ["Mars/Olympus_Mons", "", "America", "../etc/passwd", "CEST"])
def test_an_unknown_time_zone_is_refused(name: str) -> None:
    with pytest.raises(UnknownTimeZoneError) as caught:
        Schedule(name)
    assert isinstance(caught.value, ValueError)
    assert caught.value.time_zone == name


def test_an_unknown_time_zone_in_a_tenant_file_is_refused() -> None:
    with pytest.raises(UnknownTimeZoneError, match="Europe/Pariss"):
        Schedule.from_tenant(tenant([], time_zone="Europe/Pariss"))


# ── Properties over random instants in 2026 ─────────────────────────────────────────────────

PROPERTY_SCHEDULES = {
    "ecoute-nuit": GENERAL,
    "ecoute-nuit-english": ENGLISH,
    "univ-sante": SANTE,
    "montreal": MONTREAL_LINE,
    "dst-edges": Schedule(
        "Europe/Paris",
        [
            hours("sat", "22:00", "03:00"),
            hours("sun", "02:30", "05:00"),
            hours("mon", "20:00", "02:00"),
            hours("tue", "02:00", "06:00"),
            hours("wed", "09:00", "12:00"),
            hours("wed", "11:00", "14:00"),
        ],
        [
            special("2026-03-28", "18:00", "04:00"),
            special("2026-10-24", "18:00", "04:00"),
            closed("2026-05-04"),
        ],
    ),
}
INSTANTS_2026 = st.datetimes(
    min_value=datetime(2026, 1, 1),
    max_value=datetime(2026, 12, 31, 23, 59, 59),
    timezones=st.just(UTC),
)


# Instants hypothesis draws rarely but that matter: both DST nights in Paris and Montréal.
DST_EXAMPLES = [
    (z(3, 28, 12), "ecoute-nuit"),
    (z(3, 29, 0, 59, 59), "ecoute-nuit"),
    (z(3, 29, 1), "dst-edges"),
    (z(3, 29, 0, 30), "dst-edges"),
    (z(10, 24, 12), "ecoute-nuit"),
    (z(10, 25, 0, 30), "ecoute-nuit"),
    (z(10, 25, 1, 30), "dst-edges"),
    (z(3, 7, 0, 10), "montreal"),
    (z(3, 8, 6, 59, 59), "montreal"),
    (z(11, 1, 5, 30), "montreal"),
    (z(11, 1, 6, 30), "montreal"),
]


def with_dst_examples(test: Any) -> Any:
    for moment, name in DST_EXAMPLES:
        test = example(moment=moment, name=name)(test)
    return test


@settings(database=None, max_examples=400, deadline=None)
@given(moment=INSTANTS_2026, name=st.sampled_from(sorted(PROPERTY_SCHEDULES)))
@with_dst_examples
def test_is_open_agrees_with_openings_between(moment: datetime, name: str) -> None:
    schedule = PROPERTY_SCHEDULES[name]
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    openings = schedule.openings_between(day - timedelta(days=2), day + timedelta(days=2))
    inside = any(start <= moment < end for start, end in openings)
    assert schedule.state_at(moment, 15).is_open is inside


@settings(database=None, max_examples=300, deadline=None)
@given(moment=INSTANTS_2026, name=st.sampled_from(sorted(PROPERTY_SCHEDULES)))
@with_dst_examples
def test_state_is_consistent_with_itself(moment: datetime, name: str) -> None:
    """Arithmetic in UTC: a Paris datetime minus one second is computed on the wall clock."""
    schedule = PROPERTY_SCHEDULES[name]
    state = schedule.state_at(moment, 15)
    second = timedelta(seconds=1)

    def open_at(instant: datetime) -> bool:
        return schedule.state_at(instant, 15).is_open

    if state.is_open:
        closes = utc(state.closes_at)
        assert closes is not None  # none of these is open for two weeks on end
        assert closes > moment
        assert state.accepting_new is (closes - moment > timedelta(minutes=15))
        assert open_at(closes - second)
        assert not open_at(closes)
    else:
        assert not state.accepting_new
        assert state.closes_at is None
    opens, ends = utc(state.next_opening), utc(state.next_closing)
    if opens is not None:
        assert moment < opens <= moment + LOOKAHEAD
        assert open_at(opens)
        assert not open_at(opens - second)
        assert ends is not None
        assert open_at(ends - second)
        assert not open_at(ends)
        # Nothing opens in between: the only earlier opening is the current one, cut at now.
        between = schedule.openings_between(moment, opens + second)
        assert [utc(start) for start, _ in between[:-1]] == ([moment] if state.is_open else [])
        assert utc(between[-1][0]) == opens
