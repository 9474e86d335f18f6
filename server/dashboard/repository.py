"""The dashboard's SQL (queries.sql), run inside the caller's tenant transaction."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

from server.dashboard.structs import DayCount, LabelCount, Outcomes, Ratings, Spread
from server.db import Connection
from server.sql import load_queries

Q = load_queries(Path(__file__).with_name("queries.sql"))


class Calendar:
    def __init__(self, time_zone: str, today: date) -> None:
        self.time_zone = time_zone
        self.today = today


async def calendar(conn: Connection) -> Calendar:
    row = await conn.fetchrow(Q["tenant_calendar"])
    assert row is not None, "called outside the tenant's transaction"
    return Calendar(row["time_zone"], row["today"])


async def teams(conn: Connection) -> list[tuple[UUID, str, str]]:
    return [(r["id"], r["slug"], r["name"]) for r in await conn.fetch(Q["teams"])]


def _spread(row: Any) -> Spread:
    return Spread(count=row["count"], median_seconds=row["median"], p90_seconds=row["p90"])


class Figures:
    """Every figure of one period and team, read in one transaction (one consistent view)."""

    def __init__(self, conn: Connection, first: date, last: date, team_id: UUID | None) -> None:
        self.conn = conn
        self.args = (first, last, team_id)

    async def per_day(self) -> list[DayCount]:
        rows = await self.conn.fetch(Q["per_day"], *self.args)
        return [DayCount(**dict(r)) for r in rows]

    async def outcomes(self) -> Outcomes:
        row = await self.conn.fetchrow(Q["outcomes"], *self.args)
        assert row is not None  # an aggregate always answers one row
        return Outcomes(**dict(row))

    async def waits(self) -> Spread:
        return _spread(await self.conn.fetchrow(Q["waits"], *self.args))

    async def durations(self) -> Spread:
        return _spread(await self.conn.fetchrow(Q["durations"], *self.args))

    async def risk_levels(self) -> list[LabelCount]:
        rows = await self.conn.fetch(Q["risk_levels"], *self.args)
        return [LabelCount(r["level"], r["count"]) for r in rows]

    async def topics(self) -> list[LabelCount]:
        rows = await self.conn.fetch(Q["topics"], *self.args)
        return [LabelCount(r["topic"], r["count"]) for r in rows]

    async def wrapup_topics(self) -> list[LabelCount]:
        rows = await self.conn.fetch(Q["wrapup_topics"], *self.args)
        return [LabelCount(r["topic"], r["count"]) for r in rows]

    async def ratings(self) -> Ratings:
        rows = await self.conn.fetch(Q["ratings"], *self.args)
        summary = await self.conn.fetchrow(Q["rating_average"], *self.args)
        assert summary is not None
        return Ratings(
            count=summary["count"],
            average=summary["average"],
            distribution=[LabelCount(str(r["rating"]), r["count"]) for r in rows],
        )
