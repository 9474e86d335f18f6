"""The admin dashboard: figures computed by PostgreSQL match what a person would count by hand
from the same conversations, for the period and team asked, and nobody else's."""

from __future__ import annotations

import re
import statistics
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.dashboard import charts
from server.db import Database
from tests.conftest import MakeStaff, MakeTenant
from tests.dashboard.conftest import (
    Headers,
    Line,
    MakeLine,
    Owner,
    Past,
    add_closed_attempts,
    insert_past,
)

Client = AsyncTestClient[Litestar]
MONDAY = date(2026, 3, 2)
PERIOD = {"from": "2026-03-02", "to": "2026-03-08"}


def day(n: int) -> date:
    return MONDAY + timedelta(days=n)


# Inside the period (2 to 8 March, Europe/Paris) ...
ROWS = [
    Past(day(0), wait=30, duration=600, topic="anxiety", rating=5, wrapup_topics=["anxiety"]),
    Past(
        day(0),
        wait=90,
        duration=1200,
        risk="elevated",
        topic="anxiety",
        rating=4,
        wrapup_topics=["anxiety", "family"],
    ),
    Past(day(0), state="missed", wait=None, duration=None),
    Past(
        day(1),
        team="english",
        wait=300,
        duration=1800,
        risk="high",
        topic="loneliness",
        rating=2,
        wrapup_topics=["loneliness"],
    ),
    Past(day(1), state="abandoned", wait=None, duration=None, topic="anxiety"),
    Past(
        day(3), wait=45, duration=900, risk="imminent", topic="suicide", wrapup_topics=["suicide"]
    ),
    Past(day(3), wait=600, duration=2400, rating=5),
    Past(day(3), state="queued", wait=None, duration=None),
    Past(day(3), state="active", wait=20, duration=None),
    Past(day(6), team="english", wait=120, duration=300, risk="elevated", rating=3),
]
# ... and just outside it, on both sides, in the tenant's time zone.
OUTSIDE = [
    Past(day(-1), at=time(23, 59), wait=10, duration=10, rating=1),
    Past(day(7), at=time(0, 0), wait=10, duration=10, rating=1),
]


def p90(values: list[float]) -> float:
    """percentile_cont(0.9): linear interpolation between the closest ranks."""
    return statistics.quantiles(values, n=10, method="inclusive")[8]


def expected(rows: list[Past]) -> dict[str, Any]:
    waits = [r.wait for r in rows if r.wait is not None]
    durations = [
        r.duration for r in rows if r.state == "ended" and r.wait is not None and r.duration
    ]
    ratings = [r.rating for r in rows if r.rating is not None]
    return {
        "conversations": len(rows),
        "answered": sum(r.wait is not None for r in rows),
        "missed": sum(r.state == "missed" and r.wait is None for r in rows),
        "abandoned": sum(r.state == "abandoned" and r.wait is None for r in rows),
        "waiting": sum(r.state in ("queued", "active") and r.wait is None for r in rows),
        "wait_median": statistics.median(waits),
        "wait_p90": p90(waits),
        "duration_median": statistics.median(durations),
        "duration_p90": p90(durations),
        "ratings": {n: ratings.count(n) for n in range(1, 6)},
        "rating_average": statistics.mean(ratings),
    }


async def figures(client: Client, line: Line, headers: dict[str, str], **params: str) -> Any:
    response = await client.get(
        f"/api/tenants/{line.slug}/dashboard", params=params, headers=headers
    )
    assert response.status_code == 200, response.text
    return response.json()


async def test_figures_match_hand_computed_expectations(
    client: Client, owner: Owner, make_line: MakeLine, bearer: Headers
) -> None:
    line = await make_line()
    await insert_past(owner, line, ROWS + OUTSIDE)
    await add_closed_attempts(owner, line, day(0), 3, team="general")
    await add_closed_attempts(owner, line, day(4), 2)
    await add_closed_attempts(owner, line, day(7), 7)  # outside the period
    want = expected(ROWS)

    body = await figures(client, line, await bearer(line.admin_email), **PERIOD)

    assert body["from"] == "2026-03-02"
    assert body["to"] == "2026-03-08"
    assert body["time_zone"] == "Europe/Paris"
    assert [d["day"] for d in body["per_day"]] == [day(n).isoformat() for n in range(7)]
    assert [d["conversations"] for d in body["per_day"]] == [3, 2, 0, 4, 0, 0, 1]
    assert [d["answered"] for d in body["per_day"]] == [2, 1, 0, 3, 0, 0, 1]
    assert [d["closed_attempts"] for d in body["per_day"]] == [3, 0, 0, 0, 2, 0, 0]
    assert body["outcomes"] == {
        "conversations": want["conversations"],
        "answered": want["answered"],
        "missed": want["missed"],
        "abandoned": want["abandoned"],
        "waiting": want["waiting"],
        "out_of_hours": 5,
    }
    assert body["outcomes"]["answered"] == 7  # the same count, by hand
    assert body["waits"]["count"] == 7
    assert body["waits"]["median_seconds"] == pytest.approx(want["wait_median"])
    assert body["waits"]["p90_seconds"] == pytest.approx(want["wait_p90"])
    assert body["durations"]["count"] == 6
    assert body["durations"]["median_seconds"] == pytest.approx(want["duration_median"])
    assert body["durations"]["p90_seconds"] == pytest.approx(want["duration_p90"])
    assert body["risk_levels"] == [
        {"label": "none", "count": 6},
        {"label": "elevated", "count": 2},
        {"label": "high", "count": 1},
        {"label": "imminent", "count": 1},
    ]
    assert {t["label"]: t["count"] for t in body["topics"]} == {
        "anxiety": 3,
        None: 5,
        "loneliness": 1,
        "suicide": 1,
    }
    assert body["topics"][0] == {"label": None, "count": 5}  # most frequent first
    assert {t["label"]: t["count"] for t in body["wrapup_topics"]} == {
        "anxiety": 2,
        "family": 1,
        "loneliness": 1,
        "suicide": 1,
    }
    assert body["ratings"]["count"] == 5
    assert {int(r["label"]): r["count"] for r in body["ratings"]["distribution"]} == want["ratings"]
    assert body["ratings"]["average"] == pytest.approx(want["rating_average"])
    assert [t["key"] for t in body["teams"]] == ["english", "general"]


async def test_team_filter_counts_only_that_teams_conversations_and_attempts(
    client: Client, owner: Owner, make_line: MakeLine, bearer: Headers
) -> None:
    line = await make_line()
    await insert_past(owner, line, ROWS)
    await add_closed_attempts(owner, line, day(0), 3, team="general")
    await add_closed_attempts(owner, line, day(2), 4, team="english")
    english = [r for r in ROWS if r.team == "english"]
    want = expected(english)

    body = await figures(client, line, await bearer(line.admin_email), team="english", **PERIOD)

    assert body["team"] == "english"
    assert body["outcomes"]["conversations"] == 2
    assert body["outcomes"]["out_of_hours"] == 4
    assert [d["conversations"] for d in body["per_day"]] == [0, 1, 0, 0, 0, 0, 1]
    assert body["waits"]["median_seconds"] == pytest.approx(want["wait_median"])
    assert body["durations"]["p90_seconds"] == pytest.approx(want["duration_p90"])
    assert body["ratings"]["average"] == pytest.approx(want["rating_average"])


async def test_days_follow_the_tenants_time_zone(
    client: Client, owner: Owner, make_line: MakeLine, bearer: Headers
) -> None:
    # Auckland is 13 hours ahead of UTC in March: its 00:30 is the previous day in UTC.
    line = await make_line(time_zone="Pacific/Auckland")
    await insert_past(
        owner,
        line,
        [
            Past(day(0), at=time(23, 30)),
            Past(day(1), at=time(0, 30)),
            Past(day(1), at=time(23, 59)),
        ],
    )
    headers = await bearer(line.admin_email)

    body = await figures(
        client, line, headers, **{"from": day(1).isoformat(), "to": day(1).isoformat()}
    )

    assert [d["conversations"] for d in body["per_day"]] == [2]
    assert body["outcomes"]["conversations"] == 2


async def test_the_default_period_is_the_last_30_days_of_the_tenants_calendar(
    client: Client, make_line: MakeLine, bearer: Headers
) -> None:
    line = await make_line(time_zone="America/New_York")
    headers = await bearer(line.admin_email)
    before = datetime.now(ZoneInfo(line.time_zone)).date()
    body = await figures(client, line, headers)
    after = datetime.now(ZoneInfo(line.time_zone)).date()

    last = date.fromisoformat(body["to"])
    assert last in (before, after)
    assert date.fromisoformat(body["from"]) == last - timedelta(days=29)
    assert len(body["per_day"]) == 30
    assert body["team"] is None


async def test_another_tenants_conversations_are_never_counted(
    client: Client, owner: Owner, make_line: MakeLine, bearer: Headers
) -> None:
    mine = await make_line()
    other = await make_line()
    await insert_past(owner, mine, [Past(day(0), wait=60, duration=60, rating=5)])
    await insert_past(
        owner, other, [Past(day(0), wait=3000, duration=3000, rating=1, risk="high")] * 5
    )
    await add_closed_attempts(owner, other, day(0), 9)

    body = await figures(client, mine, await bearer(mine.admin_email), **PERIOD)

    assert body["outcomes"]["conversations"] == 1
    assert body["outcomes"]["out_of_hours"] == 0
    assert body["waits"]["median_seconds"] == pytest.approx(60)
    assert body["ratings"]["average"] == pytest.approx(5)
    assert body["risk_levels"][2] == {"label": "high", "count": 0}


@pytest.mark.parametrize(
    ("params", "code", "field"),
    [
        ({"from": "2026-13-01"}, "invalid_date", "from"),
        ({"from": "20260301"}, "invalid_date", "from"),
        ({"to": "2026-02-30"}, "invalid_date", "to"),
        ({"to": "yesterday"}, "invalid_date", "to"),
        ({"to": "0001-01-05"}, "invalid_date", "to"),  # 30 days before it is not a date
        ({"from": "２０２６-03-01"}, "invalid_date", "from"),  # full-width digits
        ({"from": "2026-03-08", "to": "2026-03-02"}, "invalid_date_range", "to"),
        ({"from": "2025-01-01", "to": "2026-01-02"}, "date_range_too_long", "to"),
        ({"team": "nobody"}, "unknown_team", "team"),
        ({"team": "<script>"}, "unknown_team", "team"),
    ],
)
async def test_bad_filters_answer_400_with_a_stable_code(
    client: Client,
    make_line: MakeLine,
    bearer: Headers,
    params: dict[str, str],
    code: str,
    field: str,
) -> None:
    line = await make_line()
    headers = {**await bearer(line.admin_email), "accept-language": "fr"}
    response = await client.get(
        f"/api/tenants/{line.slug}/dashboard", params=params, headers=headers
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["code"] == code
    assert problem["field"] == field
    assert problem["type"] == f"urn:havre:problem:{code}"
    assert "erreur inattendue" not in problem["title"]


async def test_a_range_of_exactly_366_days_is_accepted(
    client: Client, make_line: MakeLine, bearer: Headers
) -> None:
    line = await make_line()
    body = await figures(
        client, line, await bearer(line.admin_email), **{"from": "2024-01-01", "to": "2024-12-31"}
    )
    assert len(body["per_day"]) == 366


@pytest.fixture
async def partner_admin(make_tenant: MakeTenant, make_staff: MakeStaff) -> Any:
    """An admin of a partner organisation, for a host that granted it: acts there as supervisor."""

    async def make() -> tuple[str, str]:
        partner = await make_tenant()
        host = await make_tenant(
            teams=[{"slug": "general", "name": "General"}],
            partners=[{"organisation": partner.slug}],
        )
        return host.slug, await make_staff(partner.slug, "admin")

    return make


@pytest.mark.parametrize("path", ["/api/tenants/{slug}/dashboard", "/admin/{slug}/dashboard"])
async def test_only_the_tenants_own_admins_see_the_dashboard(
    client: Client,
    make_line: MakeLine,
    make_staff: MakeStaff,
    bearer: Headers,
    partner_admin: Any,
    path: str,
) -> None:
    line = await make_line()
    other = await make_line()
    url = path.format(slug=line.slug)
    owner_email = await make_staff(line.slug, "owner")

    async def status(email: str, target: str = url) -> int:
        return (await client.get(target, headers=await bearer(email))).status_code

    assert await status(line.admin_email) == 200
    assert await status(owner_email) == 200
    assert await status(await make_staff(line.slug, "listener")) == 403
    assert await status(await make_staff(line.slug, "supervisor")) == 403
    assert await status(other.admin_email) == 404
    host, partner_email = await partner_admin()
    assert await status(partner_email, path.format(slug=host)) == 403


async def test_signed_out_the_page_leads_to_sign_in_and_the_api_answers_401(
    client: Client, make_line: MakeLine
) -> None:
    line = await make_line()
    page = await client.get(f"/admin/{line.slug}/dashboard", follow_redirects=False)
    assert page.status_code in (302, 303, 307)
    assert page.headers["location"] == f"/sign-in?next=/admin/{line.slug}/dashboard"
    api = await client.get(f"/api/tenants/{line.slug}/dashboard")
    assert api.status_code == 401
    assert api.json()["code"] == "not_authenticated"


async def test_the_page_draws_each_chart_with_a_text_alternative_in_both_languages(
    client: Client, owner: Owner, make_line: MakeLine, bearer: Headers
) -> None:
    line = await make_line()
    await insert_past(owner, line, ROWS)
    headers = await bearer(line.admin_email)
    url = f"/admin/{line.slug}/dashboard"

    fr = await client.get(url, params={**PERIOD, "lang": "fr"}, headers=headers)
    en = await client.get(url, params={**PERIOD, "lang": "en"}, headers=headers)

    assert fr.status_code == en.status_code == 200
    assert "Conversations par jour" in fr.text
    assert "Niveaux de risque" in fr.text
    assert "Conversations per day" in en.text
    assert "Risk levels" in en.text
    assert "Starts refused" in en.text
    assert "Ouvertures refusées" in fr.text
    html = en.text
    svgs = re.findall(r"<svg\b[^>]*>.*?</svg>", html, flags=re.S)
    # Per day, outcomes, risk levels, two topic charts, ratings; no refused start: no bars.
    assert len(svgs) == 6
    for svg in svgs:
        assert 'role="img"' in svg
        assert "<title" in svg
        assert "<desc" in svg
        assert 'class="bar' in svg
    assert html.count("<table>") == 7  # every chart has its figures as a table
    assert "style=" not in html  # the CSP forbids inline styles
    # The per-day table lists each day of the period with its figures.
    assert '<th scope="row">2026-03-05</th><td>4</td><td>3</td><td>0</td>' in html


async def test_the_page_shows_a_bad_filter_next_to_the_form(
    client: Client, make_line: MakeLine, bearer: Headers
) -> None:
    line = await make_line()
    response = await client.get(
        f"/admin/{line.slug}/dashboard",
        params={"from": "2026-03-08", "to": "2026-03-01", "lang": "en"},
        headers=await bearer(line.admin_email),
    )
    assert response.status_code == 400
    assert 'role="alert"' in response.text
    assert "The end date is before the start date." in response.text
    assert "<svg" not in response.text


def noon_zone() -> str:
    """A fixed-offset zone where it is now between 11:00 and 13:00."""
    offset = 12 - datetime.now(UTC).hour  # -11 to +12 hours from UTC
    return "Etc/GMT" if offset == 0 else f"Etc/GMT{-offset:+d}"  # the Etc/ signs are reversed


async def test_a_refused_start_counts_one_anonymous_out_of_hours_attempt(
    client: Client, owner: Owner, make_line: MakeLine, bearer: Headers
) -> None:
    # Never open, and in a zone where it is about noon: the day cannot turn during the test.
    line = await make_line(hours=[], time_zone=noon_zone())
    for _ in range(2):
        refused = await client.post(
            "/api/conversations", json={"tenant": line.slug, "locale": "en", "consent": True}
        )
        assert refused.status_code == 409
        assert refused.json()["code"] == "tenant_closed"

    rows = await owner.fetch("SELECT * FROM closed_attempts WHERE organisation_id = $1", line.id)
    today = datetime.now(ZoneInfo(line.time_zone)).date()
    assert [dict(r) for r in rows] == [
        {"organisation_id": line.id, "day": today, "team_id": line.teams["english"], "attempts": 2}
    ]
    headers = await bearer(line.admin_email)
    assert (await figures(client, line, headers))["outcomes"]["out_of_hours"] == 2
    assert (await figures(client, line, headers, team="english"))["outcomes"]["out_of_hours"] == 2
    assert (await figures(client, line, headers, team="general"))["outcomes"]["out_of_hours"] == 0
    conversations = await owner.fetchval(
        "SELECT count(*) FROM conversations WHERE organisation_id = $1", line.id
    )
    assert conversations == 0


async def test_closed_attempts_keep_no_address_text_or_time_of_day(owner: Owner) -> None:
    columns = await owner.fetch(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = 'closed_attempts' ORDER BY ordinal_position"
    )
    assert [(c["column_name"], c["data_type"]) for c in columns] == [
        ("organisation_id", "uuid"),
        ("day", "date"),
        ("team_id", "uuid"),
        ("attempts", "integer"),
    ]


async def test_figures_never_read_messages(owner: Owner) -> None:
    sql = (Path(__file__).parents[2] / "server" / "dashboard" / "queries.sql").read_text()
    assert not re.search(r"\bmessages\b", sql, flags=re.I)
    definition = await owner.fetchval(
        "SELECT pg_get_functiondef('havre_dashboard_conversations(date, date, uuid)'::regprocedure)"
    )
    assert not re.search(r"\bmessages\b", definition, flags=re.I)


# Row-level security of closed_attempts -------------------------------------------------------


async def test_closed_attempts_of_another_tenant_cannot_be_read_changed_or_written(
    db: Database, owner: Owner, make_line: MakeLine
) -> None:
    a = await make_line()
    b = await make_line()
    await add_closed_attempts(owner, a, day(0), 1)
    await add_closed_attempts(owner, b, day(0), 5, team="general")

    async with db.tenant_transaction(a.id) as conn:
        visible = await conn.fetch("SELECT organisation_id, attempts FROM closed_attempts")
        changed = await conn.execute(
            "UPDATE closed_attempts SET attempts = 0 WHERE organisation_id = $1", b.id
        )
    assert [(r["organisation_id"], r["attempts"]) for r in visible] == [(a.id, 1)]
    assert changed == "UPDATE 0"

    with pytest.raises(asyncpg.exceptions.InsufficientPrivilegeError, match="row-level security"):
        async with db.tenant_transaction(a.id) as conn:
            await conn.execute(
                "INSERT INTO closed_attempts (organisation_id, day, attempts) VALUES ($1, $2, 1)",
                b.id,
                day(1),
            )
    with pytest.raises(asyncpg.exceptions.InsufficientPrivilegeError):
        async with db.tenant_transaction(a.id) as conn:
            await conn.execute("DELETE FROM closed_attempts")
    async with db.transaction() as conn:  # no tenant: nothing at all
        assert await conn.fetchval("SELECT count(*) FROM closed_attempts") == 0
    assert (
        await owner.fetchval(
            "SELECT attempts FROM closed_attempts WHERE organisation_id = $1", b.id
        )
        == 5
    )


@pytest.mark.parametrize(
    ("peak", "top"), [(0, 1), (1, 1), (7, 8), (10, 10), (21, 30), (95, 100), (1234, 2000)]
)
def test_the_per_day_axis_ends_on_a_round_number_above_the_busiest_day(peak: int, top: int) -> None:
    assert charts.nice_ceiling(peak) == top


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(None, "—"), (0, "0 s"), (44.6, "45 s"), (148.4, "2 min 28 s"), (3900, "1 h 05 min")],
)
def test_waits_and_lengths_read_as_hours_minutes_seconds(seconds: float | None, text: str) -> None:
    assert charts.duration_text(seconds) == text
