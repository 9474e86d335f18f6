"""Starting a conversation against the weekly hours (the closing cut-off, the next opening) and
the estimated wait a queued visitor is shown, over HTTP and the visitor socket.

The clock is the real one: each schedule is written relative to the current time in the
tenant's zone, with margins of minutes, so no test waits for time to pass.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeAlias
from zoneinfo import ZoneInfo

import asyncpg
import httpx

from tests.conftest import MakeTenant
from tests.conversations.clients import Frame, set_presence
from tests.conversations.conftest import OpenListener, StartVisitor

Owner: TypeAlias = "asyncpg.Connection[asyncpg.Record]"
PARIS = ZoneInfo("Europe/Paris")
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
REFERRALS = [
    {
        "key": "sos-amitie",
        "name": "SOS Amitié",
        "phone": "09 72 39 40 50",
        "topics": ["loneliness"],
        "hours": {"fr": "Tous les jours, jour et nuit", "en": "Every day, day and night"},
        "description": {"fr": "Écoute anonyme et gratuite", "en": "Free anonymous listening"},
    },
    {"key": "internal", "name": "Internal line", "phone": "0100", "hidden": True},
]
# What a visitor writing in English is shown of REFERRALS: the hidden one left out.
SHOWN_IN_ENGLISH = [
    {
        "key": "sos-amitie",
        "name": "SOS Amitié",
        "topics": ["loneliness"],
        "emergency": False,
        "hours": "Every day, day and night",
        "description": "Free anonymous listening",
        "phone": "09 72 39 40 50",
    }
]


# --- helpers ----------------------------------------------------------------------------------


async def post_start(live_url: str, tenant: str, locale: str = "fr") -> httpx.Response:
    async with httpx.AsyncClient(base_url=live_url) as http:
        return await http.post(
            "/api/conversations", json={"tenant": tenant, "locale": locale, "consent": True}
        )


def paris_now() -> datetime:
    return datetime.now(UTC).astimezone(PARIS)


def floor_minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def ceil_minute(moment: datetime) -> datetime:
    floored = floor_minute(moment)
    return floored if floored == moment else floored + timedelta(minutes=1)


def weekly_slot(opens: datetime, closes: datetime) -> dict[str, Any]:
    """The weekly slot from `opens` to `closes` (real instants, less than a day apart), written
    as a tenant file does: on the weekday it starts, in wall-clock time in Paris."""
    opens, closes = opens.astimezone(PARIS), closes.astimezone(PARIS)
    assert timedelta(0) < closes - opens < timedelta(days=1)
    return {
        "days": [WEEKDAYS[opens.weekday()]],
        "opens": opens.strftime("%H:%M"),
        "closes": closes.strftime("%H:%M"),
    }


def wall_clock(day: date, clock: str) -> datetime:
    hours, minutes = (int(part) for part in clock.split(":"))
    return datetime(day.year, day.month, day.day, hours, minutes, tzinfo=PARIS)


def problem_of(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 409, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem: dict[str, Any] = response.json()
    assert problem["code"] == "tenant_closed"
    return problem


def in_paris(iso: str) -> datetime:
    """An ISO 8601 instant the server wrote, checked to carry Paris's offset at that instant."""
    moment = datetime.fromisoformat(iso)
    assert moment.utcoffset() == moment.astimezone(PARIS).utcoffset(), iso
    return moment


# --- the closing cut-off ----------------------------------------------------------------------


async def test_new_conversations_stop_the_lines_cutoff_minutes_before_its_weekly_close(
    make_tenant: MakeTenant, live_url: str
) -> None:
    cutoff = 30
    now = paris_now()
    opens = floor_minute(now - timedelta(hours=2))

    def hours_closing_in(minutes: int) -> list[dict[str, Any]]:
        # Rounded up to the minute: the close is `minutes` to `minutes + 1` away.
        return [weekly_slot(opens, ceil_minute(now + timedelta(minutes=minutes)))]

    slug = (
        await make_tenant(
            hours=hours_closing_in(cutoff + 5),
            routing={"closing_cutoff_minutes": cutoff},
            referrals=REFERRALS,
        )
    ).slug
    accepted = await post_start(live_url, slug, "en")
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["state"] == "queued"

    # The same line, its close now inside the cut-off: still open, but no longer starting.
    await make_tenant(
        slug,
        hours=hours_closing_in(cutoff - 5),
        routing={"closing_cutoff_minutes": cutoff},
        referrals=REFERRALS,
    )
    problem = problem_of(await post_start(live_url, slug, "en"))
    assert problem["referrals"] == SHOWN_IN_ENGLISH
    # The current opening no longer takes anyone: the next one is the same slot a week on.
    next_week = opens.date() + timedelta(days=7)
    assert in_paris(problem["next_opening"]) == wall_clock(next_week, opens.strftime("%H:%M"))


async def test_the_cutoff_is_the_lines_own_setting(make_tenant: MakeTenant, live_url: str) -> None:
    now = paris_now()
    closing_in_25 = [
        weekly_slot(
            floor_minute(now - timedelta(hours=2)), ceil_minute(now + timedelta(minutes=25))
        )
    ]
    strict = await make_tenant(hours=closing_in_25, routing={"closing_cutoff_minutes": 30})
    relaxed = await make_tenant(hours=closing_in_25, routing={"closing_cutoff_minutes": 20})
    problem_of(await post_start(live_url, strict.slug))
    assert (await post_start(live_url, relaxed.slug)).status_code == 201


# --- closed during the weekly hours -----------------------------------------------------------


async def test_outside_its_weekly_hours_the_line_names_the_next_weekly_opening_and_its_referrals(
    make_tenant: MakeTenant, live_url: str
) -> None:
    now = paris_now()
    soon = ceil_minute(now + timedelta(minutes=90))
    earlier = floor_minute(now - timedelta(hours=4))
    in_three_days = now.date() + timedelta(days=3)
    tenant = await make_tenant(
        hours=[
            # Listed first, the slot three days ahead is not the next one.
            {"days": [WEEKDAYS[in_three_days.weekday()]], "opens": "10:00", "closes": "12:00"},
            # Ended an hour ago; next week it comes round again, after the others.
            weekly_slot(earlier, earlier + timedelta(hours=3)),
            weekly_slot(soon, soon + timedelta(hours=1)),
        ],
        referrals=REFERRALS,
    )
    problem = problem_of(await post_start(live_url, tenant.slug, "en"))
    assert in_paris(problem["next_opening"]) == wall_clock(soon.date(), soon.strftime("%H:%M"))
    assert problem["referrals"] == SHOWN_IN_ENGLISH


async def test_a_line_open_on_another_weekday_names_that_days_opening(
    make_tenant: MakeTenant, live_url: str
) -> None:
    today = paris_now().date()
    in_two_days, yesterday = today + timedelta(days=2), today - timedelta(days=1)
    tenant = await make_tenant(
        hours=[
            {"days": [WEEKDAYS[yesterday.weekday()]], "opens": "08:00", "closes": "20:00"},
            {"days": [WEEKDAYS[in_two_days.weekday()]], "opens": "18:30", "closes": "02:00"},
        ],
        referrals=REFERRALS,
    )
    problem = problem_of(await post_start(live_url, tenant.slug, "en"))
    assert in_paris(problem["next_opening"]) == wall_clock(in_two_days, "18:30")
    assert problem["referrals"] == SHOWN_IN_ENGLISH


# --- the estimated wait -----------------------------------------------------------------------


def queue_frame(position: int) -> Any:
    return lambda f: f["type"] == "queue" and f["position"] == position


def assigned(cid: str) -> Any:
    return lambda f: f["type"] == "assigned" and f["conversation"]["conversation_id"] == cid


async def answered_after(
    owner: Owner,
    waits: list[int],
    slug: str,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
) -> None:
    """Conversations of the line taken by a listener after waiting these many seconds."""
    listener = await open_listener(slug)
    for seconds in waits:
        _, started = await start_visitor(slug)
        cid = started["conversation_id"]
        await listener.send({"type": "claim", "conversation_id": cid})
        await listener.next(assigned(cid))
        # The claim happened now; the visitor had come `seconds` earlier.
        await owner.execute(
            "UPDATE conversations SET created_at = assigned_at - make_interval(secs => $2) "
            "WHERE id = $1",
            uuid.UUID(cid),
            seconds,
        )


async def test_a_line_that_has_answered_nobody_yet_gives_no_estimate(
    open_tenant: MakeTenant, start_visitor: StartVisitor
) -> None:
    tenant = await open_tenant()
    visitor, started = await start_visitor(tenant.slug)
    assert (started["position"], started["estimated_wait_seconds"]) == (1, None)
    told = await visitor.next(queue_frame(1))
    assert "estimated_wait_seconds" not in told


async def test_the_estimated_wait_grows_with_the_place_in_line_and_shrinks_as_it_moves(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    owner: Owner,
) -> None:
    tenant = await open_tenant(routing={"default_capacity": 10})
    # Recent visitors of this line waited one to seven minutes before a listener answered.
    await answered_after(owner, [60, 150, 420], tenant.slug, start_visitor, open_listener)
    await set_presence(await open_listener(tenant.slug), "available")

    first, first_started = await start_visitor(tenant.slug)
    second, second_started = await start_visitor(tenant.slug)
    assert (first_started["position"], second_started["position"]) == (1, 2)
    first_wait = first_started["estimated_wait_seconds"]
    second_wait = second_started["estimated_wait_seconds"]
    assert isinstance(first_wait, int)
    assert isinstance(second_wait, int)
    assert first_wait > 0  # every recent visitor waited a minute or more
    assert second_wait > first_wait  # one more person ahead: a longer wait

    # Each socket is told the same place and wait the start answered.
    told_first: Frame = await first.next(queue_frame(1))
    told_second: Frame = await second.next(queue_frame(2))
    assert told_first["estimated_wait_seconds"] == first_wait
    assert told_second["estimated_wait_seconds"] == second_wait

    # The first visitor is answered: the second moves up, and is told a shorter wait.
    listener = await open_listener(tenant.slug)
    await listener.send({"type": "claim", "conversation_id": first_started["conversation_id"]})
    await listener.next(assigned(first_started["conversation_id"]))
    moved: Frame = await second.next(queue_frame(1))
    assert isinstance(moved["estimated_wait_seconds"], int)
    assert 0 < moved["estimated_wait_seconds"] < second_wait


async def test_while_no_listener_is_available_there_is_no_estimate_and_the_visitor_is_told(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    owner: Owner,
) -> None:
    tenant = await open_tenant(routing={"default_capacity": 10})
    await answered_after(owner, [60, 150, 420], tenant.slug, start_visitor, open_listener)
    visitor, started = await start_visitor(tenant.slug)
    assert started["listeners_available"] is False
    assert started["estimated_wait_seconds"] is None
    told = await visitor.next(queue_frame(1))
    assert told["listeners_available"] is False
    assert "estimated_wait_seconds" not in told

    # A listener of the line says they are available: the visitor hears it, with a wait.
    await set_presence(await open_listener(tenant.slug), "available")
    moved: Frame = await visitor.next(lambda f: f["type"] == "queue")
    assert "listeners_available" not in moved  # true is the default, not sent
    assert isinstance(moved["estimated_wait_seconds"], int)
