"""Past conversations for the demo tenants, so the dashboard has something to draw.

Only metadata: states, times, teams, topics, risk levels, wrap-ups, ratings and out-of-hours
counts; no message at all. Each day is generated from a seed made of the tenant and the date,
so a run is deterministic, and days that already hold demo history are skipped: running the
demo twice adds nothing, and running it a week later fills only the week in between.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import msgspec

from server.db import Connection

DEMO_END_REASON = "demo_history"  # marks generated conversations (end_reason is free text)
HISTORY_DAYS = 60


class DemoProfile(msgspec.Struct, frozen=True):
    """How one demo tenant's evenings or office hours look."""

    slug: str
    opens: time
    hours_open: float
    weekdays_only: bool
    per_day: tuple[int, int]
    teams: dict[str, float]  # team slug -> share; the English team's visitors write in English
    topics: tuple[str, ...]
    listeners: tuple[str, ...]


PROFILES = (
    DemoProfile(
        slug="ecoute-nuit",
        opens=time(20, 0),
        hours_open=6.0,
        weekdays_only=False,
        per_day=(7, 16),
        teams={"general": 0.85, "english": 0.15},
        topics=("loneliness", "anxiety", "relationships", "family", "suicide", "grief", "work"),
        listeners=("ecoutant@ecoute-nuit.example", "listener@ecoute-nuit.example"),
    ),
    DemoProfile(
        slug="univ-sante",
        opens=time(9, 0),
        hours_open=8.5,
        weekdays_only=True,
        per_day=(3, 9),
        teams={"psychologues": 1.0},
        topics=("stress", "exams", "loneliness", "anxiety", "sleep", "relationships", "suicide"),
        listeners=("psy@univ-sante.example", "ecoutant@ecoute-nuit.example"),
    ),
)

RISKS = (("none", 60), ("elevated", 25), ("high", 12), ("imminent", 3))
OUTCOMES = (("supported", 70), ("referred", 22), ("emergency", 3), ("visitor_left", 5))
RATINGS = ((5, 45), (4, 30), (3, 13), (2, 7), (1, 5))

INSERT_CONVERSATION = """
INSERT INTO conversations (organisation_id, team_id, state, topic, locale, risk_level,
    risk_reasons, listener_id, created_at, assigned_at, ended_at, wrapup, rating, end_reason)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
"""
INSERT_CLOSED = """
INSERT INTO closed_attempts (organisation_id, day, team_id, attempts) VALUES ($1, $2, $3, $4)
ON CONFLICT DO NOTHING
"""


def _pick(rng: random.Random, weighted: tuple[tuple[Any, int], ...]) -> Any:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def _conversation(
    rng: random.Random,
    profile: DemoProfile,
    zone: ZoneInfo,
    day: date,
    org: UUID,
    teams: dict[str, UUID],
    listeners: list[UUID],
) -> tuple[Any, ...]:
    team = rng.choices(list(profile.teams), weights=list(profile.teams.values()))[0]
    locale = "en" if team == "english" else ("en" if rng.random() < 0.05 else "fr")
    opened = datetime.combine(day, profile.opens, zone)
    created = opened + timedelta(seconds=rng.uniform(0, profile.hours_open * 3600))
    risk = _pick(rng, RISKS)
    topic = rng.choice(profile.topics) if rng.random() < 0.7 else None
    fate = rng.random()
    listener = assigned = ended = wrapup = rating = None
    if fate < 0.80:
        state = "ended"
        # Most visitors are answered within minutes, a few wait much longer.
        assigned = created + timedelta(seconds=min(2400.0, rng.lognormvariate(5.0, 0.8)))
        ended = assigned + timedelta(seconds=rng.uniform(8 * 60, 55 * 60))
        listener = rng.choice(listeners)
        topics = sorted({topic or rng.choice(profile.topics), rng.choice(profile.topics)})
        wrapup = {
            "topics": topics[: rng.randint(1, 2)],
            "risk_level": risk,
            "outcome": "emergency" if risk == "imminent" else _pick(rng, OUTCOMES),
            "by": str(listener),
        }
        rating = _pick(rng, RATINGS) if rng.random() < 0.55 else None
    elif fate < 0.91:
        state = "missed"  # nobody took it before the line closed or the wait ran out
        ended = created + timedelta(seconds=rng.uniform(15 * 60, 40 * 60))
    else:
        state = "abandoned"  # the visitor left the queue
        ended = created + timedelta(seconds=rng.uniform(30, 9 * 60))
    # Reasons from the triage vocabulary, as the scorer would give them (never text).
    reasons = {
        "none": [],
        "elevated": ["distress:hopelessness"],
        "high": ["ideation:suicidal"],
        "imminent": ["plan:decided", "timeframe:tonight"],
    }[risk]
    return (
        org,
        teams.get(team),
        state,
        topic,
        locale,
        risk,
        reasons,
        listener,
        created,
        assigned,
        ended,
        wrapup,
        rating,
        DEMO_END_REASON,
    )


async def seed_history(conn: Connection, today: date | None = None) -> int:
    """Adds the missing days of demo history (as the tables' owner); returns rows added."""
    added = 0
    for profile in PROFILES:
        org = await conn.fetchrow(
            "SELECT id, time_zone FROM organisations WHERE slug = $1", profile.slug
        )
        if org is None:
            continue
        zone = ZoneInfo(org["time_zone"])
        now = datetime.now(zone)
        last = (today or now.date()) - timedelta(days=1)
        teams = {
            r["slug"]: r["id"]
            for r in await conn.fetch(
                "SELECT slug, id FROM teams WHERE organisation_id = $1", org["id"]
            )
        }
        listeners = [
            r["id"]
            for r in await conn.fetch(
                "SELECT id FROM staff_users WHERE email = ANY($1::text[]) ORDER BY email",
                list(profile.listeners),
            )
        ]
        if not listeners:
            continue
        # A day's conversations start after its opening time, some after midnight: shifting
        # back by the opening time gives the day they were generated for.
        seeded = {
            r["day"]
            for r in await conn.fetch(
                "SELECT DISTINCT ((created_at AT TIME ZONE $2) - $3::time::interval)::date AS day "
                "FROM conversations WHERE organisation_id = $1 AND end_reason = $4",
                org["id"],
                org["time_zone"],
                profile.opens,
                DEMO_END_REASON,
            )
        }
        rows: list[tuple[Any, ...]] = []
        closed: list[tuple[Any, ...]] = []
        for offset in range(HISTORY_DAYS):
            day = last - timedelta(days=offset)
            if day in seeded:
                continue
            rng = random.Random(f"havre-demo:{profile.slug}:{day.isoformat()}")  # noqa: S311
            weekend = day.isoweekday() >= 6
            if profile.weekdays_only and weekend:
                team_id = teams.get(next(iter(profile.teams)))
                closed.append((org["id"], day, team_id, rng.randint(2, 6)))
                continue
            low, high = profile.per_day
            count = rng.randint(low, high) + (3 if weekend else 0)
            generated = [
                _conversation(rng, profile, zone, day, org["id"], teams, listeners)
                for _ in range(count)
            ]
            # Yesterday evening may run past this moment: nothing is dated in the future.
            rows.extend(row for row in generated if (row[10] or row[8]) <= now)
            for team in profile.teams:
                if rng.random() < 0.6:
                    closed.append((org["id"], day, teams.get(team), rng.randint(1, 5)))
        async with conn.transaction():
            await conn.executemany(INSERT_CONVERSATION, rows)
            await conn.executemany(INSERT_CLOSED, closed)
        added += len(rows)
    return added
