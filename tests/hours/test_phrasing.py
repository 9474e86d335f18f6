"""What a visitor reads, in French and English. Expected sentences are written by hand; the
instants and calendar facts are those of test_schedule.py (2026, Paris unless stated)."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from server.hours.phrasing import clock_text, describe_state, describe_week
from server.hours.schedule import OpeningState, Schedule
from tests.hours.test_schedule import (
    ENGLISH,
    EVERY_DAY,
    GENERAL,
    MONTREAL_LINE,
    PARIS,
    SANTE,
    closed,
    hours,
    paris,
    special,
    z,
)

WEEKDAYS = [hours("mon tue wed thu fri", "09:00", "17:30")]
SCHEDULES = {
    "general": GENERAL,
    "english": ENGLISH,
    "sante": SANTE,
    "montreal": MONTREAL_LINE,
    "may-day": Schedule(
        "Europe/Paris", [hours(EVERY_DAY, "20:00", "02:00")], [closed("2026-05-01")]
    ),
    "closed-a-week": Schedule(
        "Europe/Paris", WEEKDAYS, [closed(f"2026-08-{d:02d}") for d in range(3, 8)]
    ),
    "closed-a-fortnight": Schedule(
        "Europe/Paris",
        WEEKDAYS,
        [closed(f"2026-08-{d:02d}") for d in (3, 4, 5, 6, 7, 10, 11, 12, 13, 14)],
    ),
    "first-of-october": Schedule("Europe/Paris", [], [special("2026-10-01", "10:00", "12:00")]),
    "no-hours": Schedule("Europe/Paris"),
    "always": Schedule("Europe/Paris", [hours(EVERY_DAY, "00:00", "00:00")]),
    # Friday 09:00 to Monday 12:00 without a break, made of touching slots.
    "long-weekend": Schedule(
        "Europe/Paris",
        [
            hours("fri", "09:00", "00:00"),
            hours("sat sun", "00:00", "00:00"),
            hours("mon", "00:00", "12:00"),
        ],
    ),
    "until-the-25th": Schedule(
        "Europe/Paris",
        [hours(EVERY_DAY, "00:00", "00:00")],
        [special("2026-01-25", "00:00", "12:00")],
    ),
    "midnight": Schedule("Europe/Paris", [hours(EVERY_DAY, "12:00", "00:00")]),
}

CASES = [
    # The association, 20:00–02:00, around Monday 12 January.
    ("general", paris(1, 12, 12), "Ouvert ce soir de 20h à 2h", "Open tonight from 8 pm to 2 am"),
    (
        "general",
        paris(1, 12, 19, 59, 59),
        "Ouvert ce soir de 20h à 2h",
        "Open tonight from 8 pm to 2 am",
    ),
    ("general", paris(1, 12, 20), "Ouvert jusqu'à 2h", "Open until 2 am"),
    ("general", paris(1, 13, 1, 44), "Ouvert jusqu'à 2h", "Open until 2 am"),
    (
        "general",
        paris(1, 13, 1, 45),
        "Fermeture à 2h · Ouvert ce soir de 20h à 2h",
        "Closing at 2 am · Open tonight from 8 pm to 2 am",
    ),
    ("general", paris(1, 13, 2), "Ouvert ce soir de 20h à 2h", "Open tonight from 8 pm to 2 am"),
    # The university, 09:00–17:30 on weekdays.
    (
        "sante",
        paris(1, 12, 8),
        "Ouvert aujourd'hui de 9h à 17h30",
        "Open today from 9 am to 5:30 pm",
    ),
    (
        "sante",
        paris(1, 13, 0, 30),
        "Ouvert aujourd'hui de 9h à 17h30",
        "Open today from 9 am to 5:30 pm",
    ),
    ("sante", paris(1, 12, 10), "Ouvert jusqu'à 17h30", "Open until 5:30 pm"),
    (
        "sante",
        paris(1, 12, 17, 20),
        "Fermeture à 17h30 · Ouvert demain de 9h à 17h30",
        "Closing at 5:30 pm · Open tomorrow from 9 am to 5:30 pm",
    ),
    (
        "sante",
        paris(1, 12, 18),
        "Ouvert demain de 9h à 17h30",
        "Open tomorrow from 9 am to 5:30 pm",
    ),
    (
        "sante",
        paris(1, 16, 18),
        "Ouvert lundi de 9h à 17h30",
        "Open Monday from 9 am to 5:30 pm",
    ),
    (
        "sante",
        paris(1, 17, 10),
        "Ouvert lundi de 9h à 17h30",
        "Open Monday from 9 am to 5:30 pm",
    ),
    (
        "sante",
        paris(1, 18, 10),
        "Ouvert demain de 9h à 17h30",
        "Open tomorrow from 9 am to 5:30 pm",
    ),
    # Holidays: Christmas (Friday 25) and New Year's Day (Friday 1 January 2027).
    (
        "sante",
        paris(12, 24, 17, 20),
        "Fermeture à 17h30 · Ouvert lundi de 9h à 17h30",
        "Closing at 5:30 pm · Open Monday from 9 am to 5:30 pm",
    ),
    (
        "sante",
        paris(12, 24, 18),
        "Ouvert lundi de 9h à 17h30",
        "Open Monday from 9 am to 5:30 pm",
    ),
    (
        "sante",
        paris(12, 31, 18),
        "Ouvert lundi de 9h à 17h30",
        "Open Monday from 9 am to 5:30 pm",
    ),
    # The English team, thu–sun 21:00–01:00.
    ("english", paris(1, 14, 22), "Ouvert demain de 21h à 1h", "Open tomorrow from 9 pm to 1 am"),
    ("english", paris(1, 15, 20), "Ouvert ce soir de 21h à 1h", "Open tonight from 9 pm to 1 am"),
    ("english", paris(1, 18, 23), "Ouvert jusqu'à 1h", "Open until 1 am"),
    ("english", paris(1, 19, 10), "Ouvert jeudi de 21h à 1h", "Open Thursday from 9 pm to 1 am"),
    ("english", paris(12, 24, 18, 30), "Ouvert jusqu'à 4h", "Open until 4 am"),
    # Exceptions: Christmas Eve 18:00–04:00; a closed day after an overnight slot.
    ("general", paris(12, 24, 17), "Ouvert ce soir de 18h à 4h", "Open tonight from 6 pm to 4 am"),
    ("general", paris(12, 25, 3), "Ouvert jusqu'à 4h", "Open until 4 am"),
    ("general", paris(12, 25, 4), "Ouvert ce soir de 20h à 2h", "Open tonight from 8 pm to 2 am"),
    ("may-day", paris(5, 1, 1), "Ouvert jusqu'à 2h", "Open until 2 am"),
    ("may-day", paris(5, 1, 12), "Ouvert demain de 20h à 2h", "Open tomorrow from 8 pm to 2 am"),
    # Both DST nights: on 29 March the clock goes from 01:59:59 straight to 03:00.
    ("general", z(3, 29, 0, 30), "Ouvert jusqu'à 3h", "Open until 3 am"),
    ("general", z(3, 29, 1, 30), "Ouvert ce soir de 20h à 2h", "Open tonight from 8 pm to 2 am"),
    ("general", z(10, 24, 23, 30), "Ouvert jusqu'à 2h", "Open until 2 am"),
    ("general", z(10, 25, 1, 30), "Ouvert ce soir de 20h à 2h", "Open tonight from 8 pm to 2 am"),
    # Montréal: its own clock and its own "today".
    ("montreal", z(1, 12, 8, 30), "Ouvert aujourd'hui de 9h à 17h", "Open today from 9 am to 5 pm"),
    ("montreal", z(1, 12, 14, 30), "Ouvert jusqu'à 17h", "Open until 5 pm"),
    (
        "montreal",
        z(1, 13, 3),
        "Ouvert demain de 9h à 17h",
        "Open tomorrow from 9 am to 5 pm",
    ),
    (
        "montreal",
        z(1, 16, 23),
        "Ouvert demain de 20h à 2h",
        "Open tomorrow from 8 pm to 2 am",
    ),
    ("montreal", z(1, 18, 2), "Ouvert jusqu'à 2h", "Open until 2 am"),
    # A week or more ahead: weekday and date; beyond 14 days: nothing to promise.
    (
        "closed-a-week",
        paris(7, 31, 18),
        "Ouvert le lundi 10 août de 9h à 17h30",
        "Open Monday 10 August from 9 am to 5:30 pm",
    ),
    (
        "first-of-october",
        paris(9, 20, 10),
        "Ouvert le jeudi 1er octobre de 10h à 12h",
        "Open Thursday 1 October from 10 am to noon",
    ),
    ("closed-a-fortnight", paris(7, 31, 18), "Fermé pour le moment", "Closed for now"),
    ("no-hours", paris(1, 12, 12), "Fermé pour le moment", "Closed for now"),
    # Long openings.
    ("always", paris(1, 12, 3), "Ouvert en ce moment", "Open now"),
    ("long-weekend", paris(1, 16, 10), "Ouvert jusqu'à lundi 12h", "Open until Monday at noon"),
    ("long-weekend", paris(1, 18, 10), "Ouvert jusqu'à demain 12h", "Open until tomorrow at noon"),
    ("long-weekend", paris(1, 18, 13), "Ouvert jusqu'à 12h", "Open until noon"),
    ("long-weekend", paris(1, 19, 12), "Ouvert vendredi à partir de 9h", "Open Friday from 9 am"),
    (
        "until-the-25th",
        paris(1, 12, 10),
        "Ouvert jusqu'au dimanche 25 janvier 12h",
        "Open until Sunday 25 January at noon",
    ),
    (
        "midnight",
        paris(1, 12, 10),
        "Ouvert aujourd'hui de 12h à minuit",
        "Open today from noon to midnight",
    ),
    ("midnight", paris(1, 12, 23), "Ouvert jusqu'à minuit", "Open until midnight"),
]


@pytest.mark.parametrize(
    ("name", "now", "french", "english"),
    CASES,
    ids=[f"{name}-{now.astimezone(UTC):%m%d-%H%M%S}" for name, now, _, _ in CASES],
)
def test_describe_state(name: str, now: datetime, french: str, english: str) -> None:
    state = SCHEDULES[name].state_at(now, 15)
    assert describe_state(state, now, "fr") == french
    assert describe_state(state, now, "en") == english


def test_describe_state_from_a_hand_built_state() -> None:
    state = OpeningState(
        is_open=False,
        accepting_new=False,
        closes_at=None,
        next_opening=datetime(2026, 1, 13, 9, tzinfo=PARIS),
        next_closing=datetime(2026, 1, 13, 12, 30, tzinfo=PARIS),
        time_zone="Europe/Paris",
    )
    now = paris(1, 12, 22)
    assert describe_state(state, now, "fr") == "Ouvert demain de 9h à 12h30"
    assert describe_state(state, now, "en") == "Open tomorrow from 9 am to 12:30 pm"


@pytest.mark.parametrize(
    ("hour", "minute", "french", "english"),
    [
        (21, 0, "21h", "9 pm"),
        (2, 30, "2h30", "2:30 am"),
        (17, 30, "17h30", "5:30 pm"),
        (9, 0, "9h", "9 am"),
        (9, 5, "9h05", "9:05 am"),
        (1, 0, "1h", "1 am"),
        (13, 0, "13h", "1 pm"),
        (12, 0, "12h", "noon"),
        (12, 30, "12h30", "12:30 pm"),
        (0, 0, "minuit", "midnight"),
        (0, 30, "0h30", "12:30 am"),
        (23, 59, "23h59", "11:59 pm"),
    ],
)
def test_clock_text(hour: int, minute: int, french: str, english: str) -> None:
    assert clock_text(time(hour, minute), "fr") == french
    assert clock_text(time(hour, minute), "en") == english


def test_describe_week_of_the_association() -> None:
    assert describe_week(GENERAL, "fr") == [
        "Lundi : 20h – 2h",
        "Mardi : 20h – 2h",
        "Mercredi : 20h – 2h",
        "Jeudi : 20h – 2h",
        "Vendredi : 20h – 2h",
        "Samedi : 20h – 2h",
        "Dimanche : 20h – 2h",
    ]
    assert describe_week(GENERAL, "en") == [
        "Monday: 8 pm – 2 am",
        "Tuesday: 8 pm – 2 am",
        "Wednesday: 8 pm – 2 am",
        "Thursday: 8 pm – 2 am",
        "Friday: 8 pm – 2 am",
        "Saturday: 8 pm – 2 am",
        "Sunday: 8 pm – 2 am",
    ]


def test_describe_week_of_a_team() -> None:
    assert describe_week(ENGLISH, "fr") == [
        "Lundi : Fermé",
        "Mardi : Fermé",
        "Mercredi : Fermé",
        "Jeudi : 21h – 1h",
        "Vendredi : 21h – 1h",
        "Samedi : 21h – 1h",
        "Dimanche : 21h – 1h",
    ]
    assert describe_week(ENGLISH, "en") == [
        "Monday: Closed",
        "Tuesday: Closed",
        "Wednesday: Closed",
        "Thursday: 9 pm – 1 am",
        "Friday: 9 pm – 1 am",
        "Saturday: 9 pm – 1 am",
        "Sunday: 9 pm – 1 am",
    ]


def test_describe_week_of_the_university_ignores_holidays() -> None:
    assert describe_week(SANTE, "fr") == [
        "Lundi : 9h – 17h30",
        "Mardi : 9h – 17h30",
        "Mercredi : 9h – 17h30",
        "Jeudi : 9h – 17h30",
        "Vendredi : 9h – 17h30",
        "Samedi : Fermé",
        "Dimanche : Fermé",
    ]
    assert describe_week(SANTE, "en") == [
        "Monday: 9 am – 5:30 pm",
        "Tuesday: 9 am – 5:30 pm",
        "Wednesday: 9 am – 5:30 pm",
        "Thursday: 9 am – 5:30 pm",
        "Friday: 9 am – 5:30 pm",
        "Saturday: Closed",
        "Sunday: Closed",
    ]


def test_describe_week_in_montreal() -> None:
    assert describe_week(MONTREAL_LINE, "fr")[4:] == [
        "Vendredi : 9h – 17h",
        "Samedi : 20h – 2h",
        "Dimanche : Fermé",
    ]
    assert describe_week(MONTREAL_LINE, "en")[4:] == [
        "Friday: 9 am – 5 pm",
        "Saturday: 8 pm – 2 am",
        "Sunday: Closed",
    ]


def test_describe_week_with_several_slots_a_day() -> None:
    schedule = Schedule(
        "Europe/Paris",
        [
            hours("mon", "09:00", "12:00"),
            hours("mon", "14:00", "17:30"),
            hours("tue", "09:00", "12:00"),
            hours("tue", "11:00", "14:00"),
            hours("wed", "00:00", "00:00"),
            hours("thu", "12:00", "00:00"),
            hours("fri", "12:00", "12:30"),
            hours("fri", "23:00", "00:30"),
        ],
    )
    assert describe_week(schedule, "fr") == [
        "Lundi : 9h – 12h, 14h – 17h30",
        "Mardi : 9h – 14h",
        "Mercredi : 24h/24",
        "Jeudi : 12h – minuit",
        "Vendredi : 12h – 12h30, 23h – 0h30",
        "Samedi : Fermé",
        "Dimanche : Fermé",
    ]
    assert describe_week(schedule, "en") == [
        "Monday: 9 am – noon, 2 pm – 5:30 pm",
        "Tuesday: 9 am – 2 pm",
        "Wednesday: Open 24 hours",
        "Thursday: noon – midnight",
        "Friday: noon – 12:30 pm, 11 pm – 12:30 am",
        "Saturday: Closed",
        "Sunday: Closed",
    ]


def test_an_unknown_locale_is_refused() -> None:
    state = GENERAL.state_at(paris(1, 12, 12), 15)
    with pytest.raises(ValueError, match="locale"):
        describe_state(state, paris(1, 12, 12), "de")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="locale"):
        describe_week(GENERAL, "es")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="locale"):
        clock_text(time(9), "it")  # type: ignore[arg-type]
