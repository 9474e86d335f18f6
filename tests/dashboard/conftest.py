"""Arranging a tenant's past: conversations and audit entries written as the tables' owner."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, TypeAlias
from uuid import UUID
from zoneinfo import ZoneInfo

import asyncpg
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.conftest import MakeStaff, MakeTenant, sign_in

Owner: TypeAlias = "asyncpg.Connection[asyncpg.Record]"


@dataclass(frozen=True)
class Past:
    """One conversation: its local day and hour, and what happened (seconds after start)."""

    day: date
    team: str | None = "general"
    state: str = "ended"
    wait: float | None = 60.0  # seconds until a listener took it; None: never taken
    duration: float | None = 600.0  # seconds from taken to ended
    risk: str = "none"
    topic: str | None = None
    rating: int | None = None
    wrapup_topics: list[str] = field(default_factory=list)
    at: time = time(12, 0)
    closes_after: float = 900.0  # for missed / abandoned: seconds until it ended


@dataclass(frozen=True)
class Line:
    slug: str
    id: UUID
    time_zone: str
    admin_email: str
    teams: dict[str, UUID]


async def line_of(owner: Owner, slug: str, admin_email: str) -> Line:
    org = await owner.fetchrow("SELECT id, time_zone FROM organisations WHERE slug = $1", slug)
    teams = await owner.fetch("SELECT slug, id FROM teams WHERE organisation_id = $1", org["id"])
    return Line(slug, org["id"], org["time_zone"], admin_email, {t["slug"]: t["id"] for t in teams})


async def insert_past(owner: Owner, line: Line, rows: list[Past]) -> None:
    zone = ZoneInfo(line.time_zone)
    for row in rows:
        created = datetime.combine(row.day, row.at, zone)
        assigned = created + timedelta(seconds=row.wait) if row.wait is not None else None
        if assigned is not None and row.duration is not None:
            ended = assigned + timedelta(seconds=row.duration)
        elif row.state in ("missed", "abandoned"):
            ended = created + timedelta(seconds=row.closes_after)
        else:
            ended = None
        wrapup = (
            {"topics": row.wrapup_topics, "outcome": "supported"} if row.wrapup_topics else None
        )
        await owner.execute(
            """INSERT INTO conversations (organisation_id, team_id, state, topic, locale,
                   risk_level, created_at, assigned_at, ended_at, wrapup, rating)
               VALUES ($1, $2, $3, $4, 'fr', $5, $6, $7, $8, $9, $10)""",
            line.id,
            line.teams.get(row.team) if row.team else None,
            row.state,
            row.topic,
            row.risk,
            created,
            assigned,
            ended,
            wrapup,
            row.rating,
        )


async def add_closed_attempts(
    owner: Owner, line: Line, day: date, attempts: int, team: str | None = None
) -> None:
    await owner.execute(
        "INSERT INTO closed_attempts (organisation_id, day, team_id, attempts) "
        "VALUES ($1, $2, $3, $4)",
        line.id,
        day,
        line.teams.get(team) if team else None,
        attempts,
    )


ALWAYS_OPEN = [
    {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "opens": "00:00", "closes": "00:00"}
]
TEAMS = [
    {"slug": "general", "name": "Général", "languages": ["fr"]},
    {"slug": "english", "name": "English", "languages": ["en"]},
]

MakeLine = Callable[..., Awaitable[Line]]


@pytest.fixture
def make_line(owner: Owner, make_tenant: MakeTenant, make_staff: MakeStaff) -> MakeLine:
    """A tenant with two teams (general, english) and an admin who can sign in. Open around
    the clock: the timers end conversations still queued when a line closes."""

    async def make(**overrides: Any) -> Line:
        overrides.setdefault("teams", TEAMS)
        overrides.setdefault("hours", ALWAYS_OPEN)
        tenant = await make_tenant(**overrides)
        admin = await make_staff(tenant.slug, "admin")
        return await line_of(owner, tenant.slug, admin)

    return make


Headers = Callable[[str], Awaitable[dict[str, str]]]


@pytest.fixture
def bearer(client: AsyncTestClient[Litestar]) -> Headers:
    """Signs in and returns the Authorization header; the client keeps no cookie, so one client
    can act as several people in turn."""

    async def headers(email: str) -> dict[str, str]:
        body = await sign_in(client, email)
        client.cookies.clear()
        return {"authorization": f"Bearer {body['access_token']}"}

    return headers
