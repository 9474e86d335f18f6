"""`havre demo` gives the dashboard 60 days to draw (fast, deterministic, never doubled, and
without a single message) and the audit log a short, marked trail."""

from __future__ import annotations

import time
from datetime import date, timedelta
from typing import Any

from server.dashboard.audit_labels import ACTION_LABELS
from server.dashboard.demo_audit import seed_audit_trail
from server.dashboard.demo_history import DEMO_END_REASON, HISTORY_DAYS, seed_history
from server.demo import load_demo
from tests.conftest import REPO, Servers
from tests.dashboard.conftest import Owner

TODAY = date(2026, 6, 15)


async def _history(owner: Owner) -> list[tuple[Any, ...]]:
    rows = await owner.fetch(
        """SELECT o.slug, c.state, c.team_id, c.topic, c.risk_level, c.created_at, c.assigned_at,
                  c.ended_at, c.rating, c.wrapup::text
             FROM conversations c JOIN organisations o ON o.id = c.organisation_id
            WHERE c.end_reason = $1
            ORDER BY o.slug, c.created_at, c.state""",
        DEMO_END_REASON,
    )
    return [tuple(r) for r in rows]


async def _closed(owner: Owner) -> list[tuple[Any, ...]]:
    rows = await owner.fetch(
        "SELECT organisation_id, day, team_id, attempts FROM closed_attempts "
        "WHERE day BETWEEN $1 AND $2 ORDER BY 1, 2, 3",
        TODAY - timedelta(days=HISTORY_DAYS),
        TODAY,
    )
    return [tuple(r) for r in rows]


async def _forget(owner: Owner) -> None:
    await owner.execute("DELETE FROM conversations WHERE end_reason = $1", DEMO_END_REASON)


async def test_demo_history_is_fast_deterministic_and_never_doubled(
    owner: Owner, servers: Servers
) -> None:
    await load_demo(servers.database_url, REPO / "tenants")
    await _forget(owner)

    started = time.perf_counter()
    added = await seed_history(owner, today=TODAY)
    elapsed = time.perf_counter() - started
    first = await _history(owner)
    closed = await _closed(owner)

    assert elapsed < 2.0
    assert added == len(first) > 300
    assert await seed_history(owner, today=TODAY) == 0  # a second run adds nothing
    assert await _history(owner) == first
    assert await _closed(owner) == closed
    assert sum(r[3] for r in closed) > 0

    await _forget(owner)
    assert await seed_history(owner, today=TODAY) == added
    assert await _history(owner) == first  # the same seed, the same past

    states = {r[1] for r in first}
    assert states == {"ended", "missed", "abandoned"}
    assert {r[0] for r in first} == {"ecoute-nuit", "univ-sante"}
    days = {r[5].date() for r in first}
    assert min(days) >= TODAY - timedelta(days=HISTORY_DAYS + 1)
    assert max(days) <= TODAY
    messages = await owner.fetchval(
        "SELECT count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id "
        "WHERE c.end_reason = $1",
        DEMO_END_REASON,
    )
    assert messages == 0


async def test_a_later_run_fills_only_the_days_in_between(owner: Owner, servers: Servers) -> None:
    await load_demo(servers.database_url, REPO / "tenants")
    await _forget(owner)
    await seed_history(owner, today=TODAY)
    before = await _history(owner)

    added = await seed_history(owner, today=TODAY + timedelta(days=3))

    after = await _history(owner)
    assert 0 < added < 60
    assert len(after) == len(before) + added
    assert set(before) <= set(after)
    await _forget(owner)


async def test_the_demo_audit_trail_is_marked_labelled_and_never_doubled(
    owner: Owner, servers: Servers
) -> None:
    await load_demo(servers.database_url, REPO / "tenants")
    marked = """SELECT o.slug, a.action, a.actor_id, a.target FROM audit_log a
                JOIN organisations o ON o.id = a.organisation_id
                WHERE a.details @> '{"demo": true}' ORDER BY a.id"""
    entries = await owner.fetch(marked)

    assert await seed_audit_trail(owner) == 0
    assert await owner.fetch(marked) == entries
    assert {e["slug"] for e in entries} == {"ecoute-nuit", "univ-sante"}
    assert all(e["actor_id"] is not None for e in entries)
    assert {e["action"] for e in entries} - ACTION_LABELS.keys() == set()
    assert "{" not in "".join(e["target"] for e in entries)
