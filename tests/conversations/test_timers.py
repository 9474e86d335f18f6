"""What time does to a conversation, as the live server's timers (a pass every second) see it:
the session limit, a silent visitor, visitors still waiting when their line closes, and clocks
that start when a listener takes the chat."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeAlias
from zoneinfo import ZoneInfo

import asyncpg

from tests.conftest import MakeTenant, eventually
from tests.conversations.clients import Console, Frame, Visitor
from tests.conversations.conftest import ALWAYS_OPEN, OpenListener, StartVisitor, claimed

Owner: TypeAlias = "asyncpg.Connection[asyncpg.Record]"


def warning(kind: str) -> Callable[[Frame], bool]:
    return lambda f: f["type"] == "warning" and f["kind"] == kind


def assigned(cid: str) -> Callable[[Frame], bool]:
    return lambda f: f["type"] == "assigned" and f["conversation"]["conversation_id"] == cid


def queue_snapshot(*, listing: str | None = None, without: str | None = None) -> Any:
    def matches(f: Frame) -> bool:
        listed = {e["conversation_id"] for e in f.get("entries", ())}
        if f["type"] != "queue_snapshot":
            return False
        return (listing is None or listing in listed) and (without is None or without not in listed)

    return matches


async def row_of(owner: Owner, cid: str) -> asyncpg.Record:
    row = await owner.fetchrow("SELECT * FROM conversations WHERE id = $1", uuid.UUID(cid))
    assert row is not None
    return row


async def set_column(owner: Owner, cid: str, column: str, sql_value: str) -> None:
    assert column in ("session_ends_at", "last_visitor_at")
    await owner.execute(
        f"UPDATE conversations SET {column} = {sql_value} WHERE id = $1", uuid.UUID(cid)
    )


async def close_and_await_last_sign_of_life(owner: Owner, visitor: Visitor, cid: str) -> None:
    """Closes the visitor's socket; returns once the server has written that moment as the
    page's last sign of life (it does so after the socket ends, announcing nothing)."""
    before_close = await owner.fetchval("SELECT now()")
    await visitor.close()

    async def seen_after_close() -> bool:
        return bool(
            await owner.fetchval(
                "SELECT visitor_seen_at >= $2 FROM conversations WHERE id = $1",
                uuid.UUID(cid),
                before_close,
            )
        )

    await eventually(seen_after_close)


async def later_pass(owner: Owner, listener: Console, marker: str) -> None:
    """Returns once a timer pass that began after this call has sent its warnings.

    The listener holds the marker chat; a pass sends every warning before it ends chats, and
    Redis keeps the order, so the marker's end comes after that pass's warnings."""
    await set_column(owner, marker, "session_ends_at", "now() - interval '1 second'")
    await listener.of_type("state", conversation_id=marker, state="ended")


# --- the session limit ------------------------------------------------------------------------


async def test_both_sides_are_warned_before_the_session_limit_and_it_ends_the_chat(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    owner: Owner,
) -> None:
    tenant = await open_tenant()
    listener = await open_listener(tenant.slug)
    visitor, cid = await claimed(listener, start_visitor, tenant.slug)

    await set_column(owner, cid, "session_ends_at", "now() + interval '4 minutes'")
    for side in (visitor, listener):
        warned = await side.of_type("warning", conversation_id=cid)
        assert warned["kind"] == "session_ending"
        assert 1 <= warned["minutes_left"] <= 5
    assert (await row_of(owner, cid))["session_warned"] is True

    await set_column(owner, cid, "session_ends_at", "now() - interval '1 second'")
    for side in (visitor, listener):
        ended = await side.of_type("state", conversation_id=cid, state="ended")
        assert ended["reason"] == "session_limit"
    assert (await listener.of_type("unassigned", conversation_id=cid))["reason"] == "session_limit"
    row = await row_of(owner, cid)
    assert (row["state"], row["end_reason"]) == ("ended", "session_limit")
    # One warning each: a warned session is not warned again on every pass.
    assert len(visitor.received("warning")) == len(listener.received("warning")) == 1


async def test_extending_after_the_warning_warns_again_before_the_new_limit(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    owner: Owner,
) -> None:
    tenant = await open_tenant()
    listener = await open_listener(tenant.slug)
    visitor, cid = await claimed(listener, start_visitor, tenant.slug)
    await set_column(owner, cid, "session_ends_at", "now() + interval '3 minutes'")
    await visitor.next(warning("session_ending"))

    await listener.send({"type": "extend", "conversation_id": cid})
    await listener.send({"type": "ping"})
    await listener.of_type("pong")
    row = await row_of(owner, cid)
    assert row["session_warned"] is False
    assert row["session_ends_at"] - datetime.now(row["session_ends_at"].tzinfo) > timedelta(
        minutes=15
    )

    # The extended limit nears in its turn: warned again, as the first one was.
    await set_column(owner, cid, "session_ends_at", "now() + interval '2 minutes'")
    again = await visitor.next(warning("session_ending"))
    assert 1 <= again["minutes_left"] <= 2
    assert (await row_of(owner, cid))["state"] == "active"


# --- inactivity -------------------------------------------------------------------------------


async def test_a_silent_visitor_is_warned_a_message_rearms_it_and_long_silence_ends_the_chat(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    owner: Owner,
) -> None:
    timeout = 10
    tenant = await open_tenant(routing={"inactivity_timeout_minutes": timeout})
    listener = await open_listener(tenant.slug)
    visitor, cid = await claimed(listener, start_visitor, tenant.slug)
    _, marker = await claimed(listener, start_visitor, tenant.slug)

    await set_column(owner, cid, "last_visitor_at", f"now() - interval '{timeout - 1} minutes'")
    for side in (visitor, listener):
        warned = await side.of_type("warning", conversation_id=cid)
        assert (warned["kind"], warned["minutes_left"]) == ("inactivity", 1)
    assert (await row_of(owner, cid))["inactivity_warned"] is True

    await later_pass(owner, listener, marker)
    # Warned once, not on every pass.
    assert [w["kind"] for w in listener.received("warning") if w["conversation_id"] == cid] == [
        "inactivity"
    ]

    assert (await visitor.say("Pardon, je suis là"))["type"] == "ack"
    row = await row_of(owner, cid)
    assert row["inactivity_warned"] is False
    assert row["state"] == "active"

    await set_column(owner, cid, "last_visitor_at", "now() - interval '1 day'")
    for side in (visitor, listener):
        ended = await side.of_type("state", conversation_id=cid, state="ended")
        assert ended["reason"] == "inactivity"
    assert (await listener.of_type("unassigned", conversation_id=cid))["reason"] == "inactivity"
    # The message re-armed the warning: the visitor was warned a second time before the end.
    assert [w["kind"] for w in visitor.received("warning")] == ["inactivity", "inactivity"]
    row = await row_of(owner, cid)
    assert (row["state"], row["end_reason"]) == ("ended", "inactivity")


# --- closing ----------------------------------------------------------------------------------


async def test_a_visitor_still_queued_when_the_line_closes_is_missed_and_leaves_the_queue(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    owner: Owner,
) -> None:
    tenant = await open_tenant()
    listener = await open_listener(tenant.slug)
    talking, under_way = await claimed(listener, start_visitor, tenant.slug)
    waiting, started = await start_visitor(tenant.slug)
    cid = started["conversation_id"]
    await listener.next(queue_snapshot(listing=cid))

    await owner.execute(
        "DELETE FROM opening_hours WHERE organisation_id = "
        "(SELECT id FROM organisations WHERE slug = $1)",
        tenant.slug,
    )
    missed = await waiting.of_type("state", conversation_id=cid)
    assert (missed["state"], missed["reason"]) == ("missed", "closed")
    await listener.next(queue_snapshot(without=cid))
    row = await row_of(owner, cid)
    assert (row["state"], row["end_reason"]) == ("missed", "closed")
    # A chat already under way when the line closes carries on.
    assert (await row_of(owner, under_way))["state"] == "active"
    assert (await talking.say("On peut continuer ?"))["type"] == "ack"


async def test_a_queued_visitor_of_a_team_that_closes_is_missed_while_the_line_goes_on(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    owner: Owner,
) -> None:
    tenant = await open_tenant(
        teams=[
            {"slug": "general", "name": "General", "languages": ["fr"]},
            {"slug": "english", "name": "English", "languages": ["en"]},
        ],
        hours=[*ALWAYS_OPEN, {**ALWAYS_OPEN[0], "team": "english"}],
    )
    listener = await open_listener(tenant.slug)
    english, started = await start_visitor(tenant.slug, locale="en")
    french, french_started = await start_visitor(tenant.slug, locale="fr")
    cid, french_cid = started["conversation_id"], french_started["conversation_id"]
    assert (started["team"], french_started["team"]) == ("english", "general")
    await listener.next(queue_snapshot(listing=french_cid))

    # The English team closes for today and tomorrow; the line as a whole stays open.
    today = datetime.now(ZoneInfo("Europe/Paris")).date()
    await owner.execute(
        "INSERT INTO opening_exceptions (organisation_id, team_id, day) "
        "SELECT organisation_id, id, d FROM teams, unnest($2::date[]) AS d "
        "WHERE slug = 'english' AND organisation_id = "
        "(SELECT id FROM organisations WHERE slug = $1)",
        tenant.slug,
        [today, today + timedelta(days=1)],
    )
    missed = await english.of_type("state", conversation_id=cid)
    assert (missed["state"], missed["reason"]) == ("missed", "closed")
    await listener.next(queue_snapshot(without=cid))
    assert (await row_of(owner, cid))["state"] == "missed"
    # The pass that ended the English visitor's wait looked at the general team too.
    assert (await row_of(owner, french_cid))["state"] == "queued"
    assert french.received("state") == []


async def test_a_queued_visitor_is_told_once_when_the_line_stops_taking_new_chats(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    owner: Owner,
) -> None:
    # Open until 40 minutes from now (Paris), so starting is accepted with a 15-minute cut-off.
    now = datetime.now(ZoneInfo("Europe/Paris"))
    closes = now + timedelta(minutes=40)
    hours = [
        {
            "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
            "opens": (now - timedelta(hours=2)).strftime("%H:%M"),
            "closes": closes.strftime("%H:%M"),
        }
    ]
    tenant = await open_tenant(hours=hours)
    listener = await open_listener(tenant.slug)
    _, marker = await claimed(listener, start_visitor, tenant.slug)
    waiting, started = await start_visitor(tenant.slug)
    cid = started["conversation_id"]

    # The cut-off grows past the close: new chats stop, and whoever waits hears it once.
    await owner.execute(
        "UPDATE organisations SET closing_cutoff_minutes = 60 WHERE slug = $1", tenant.slug
    )
    warned = await waiting.next(warning("closing"))
    left = (closes.replace(second=0, microsecond=0) - now).total_seconds() / 60
    assert warned["conversation_id"] == cid
    assert left - 1 <= warned["minutes_left"] <= left + 1
    await later_pass(owner, listener, marker)
    assert len([w for w in waiting.received("warning") if w["kind"] == "closing"]) == 1
    assert (await row_of(owner, cid))["state"] == "queued"


# --- visitors who leave while waiting ---------------------------------------------------------


async def test_a_queued_visitor_whose_page_is_gone_past_the_grace_is_abandoned(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    owner: Owner,
) -> None:
    tenant = await open_tenant()
    listener = await open_listener(tenant.slug)
    _, marker = await claimed(listener, start_visitor, tenant.slug)
    gone, gone_started = await start_visitor(tenant.slug)
    staying, staying_started = await start_visitor(tenant.slug)
    gone_cid, staying_cid = gone_started["conversation_id"], staying_started["conversation_id"]
    await listener.next(queue_snapshot(listing=staying_cid))

    # The socket's end counts as the page's last sign of life (written as the server sees it).
    await close_and_await_last_sign_of_life(owner, gone, gone_cid)

    # The one still connected pings: its last sign of life moves to now.
    await owner.execute(
        "UPDATE conversations SET visitor_seen_at = now() - interval '1 minute' WHERE id = $1",
        uuid.UUID(staying_cid),
    )
    pinged_at = await owner.fetchval("SELECT now()")
    await staying.send({"type": "ping"})
    await staying.of_type("pong")
    assert await owner.fetchval(
        "SELECT visitor_seen_at >= $2 FROM conversations WHERE id = $1",
        uuid.UUID(staying_cid),
        pinged_at,
    )

    # The one gone stays silent for longer than the grace (120 s): its place is given up.
    await owner.execute(
        "UPDATE conversations SET visitor_seen_at = now() - interval '10 minutes' WHERE id = $1",
        uuid.UUID(gone_cid),
    )
    await listener.next(queue_snapshot(without=gone_cid))
    row = await row_of(owner, gone_cid)
    assert (row["state"], row["end_reason"]) == ("abandoned", "visitor_left")
    await later_pass(owner, listener, marker)
    assert (await row_of(owner, staying_cid))["state"] == "queued"
    assert staying.received("state") == []


async def test_a_silent_visitor_at_high_risk_is_kept_in_the_queue_for_a_listener(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    owner: Owner,
) -> None:
    tenant = await open_tenant()
    listener = await open_listener(tenant.slug)
    _, marker = await claimed(listener, start_visitor, tenant.slug)
    at_risk, started = await start_visitor(tenant.slug)
    cid = started["conversation_id"]
    await at_risk.say("j'ai acheté des médicaments, je vais tout prendre ce soir")
    await close_and_await_last_sign_of_life(owner, at_risk, cid)
    await owner.execute(
        "UPDATE conversations SET visitor_seen_at = now() - interval '10 minutes' WHERE id = $1",
        uuid.UUID(cid),
    )
    await later_pass(owner, listener, marker)
    row = await row_of(owner, cid)
    assert (row["state"], row["risk_level"]) == ("queued", "imminent")


# --- the clocks start when a listener takes the chat ------------------------------------------


async def test_a_visitor_who_wrote_while_waiting_long_is_not_ended_as_inactive_once_claimed(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    owner: Owner,
) -> None:
    tenant = await open_tenant(routing={"inactivity_timeout_minutes": 10})
    listener = await open_listener(tenant.slug)
    _, marker = await claimed(listener, start_visitor, tenant.slug)
    visitor, started = await start_visitor(tenant.slug)
    cid = started["conversation_id"]
    await visitor.say("Bonsoir, il y a quelqu'un ?")
    # Nobody could answer for an hour: that wait is not the visitor's silence.
    await set_column(owner, cid, "last_visitor_at", "now() - interval '1 hour'")

    await listener.send({"type": "claim", "conversation_id": cid})
    await listener.next(assigned(cid))
    await later_pass(owner, listener, marker)
    assert visitor.received("warning") == []
    row = await row_of(owner, cid)
    assert (row["state"], row["inactivity_warned"]) == ("active", False)


async def test_a_chat_transferred_back_to_the_queue_is_warned_again_before_its_new_limit(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    owner: Owner,
) -> None:
    tenant = await open_tenant()
    first = await open_listener(tenant.slug)
    visitor, cid = await claimed(first, start_visitor, tenant.slug)
    await set_column(owner, cid, "session_ends_at", "now() + interval '4 minutes'")
    await visitor.next(warning("session_ending"))
    await first.send({"type": "transfer", "conversation_id": cid, "to_team": "general"})
    await visitor.of_type("state", state="queued")

    second = await open_listener(tenant.slug)
    await second.send({"type": "claim", "conversation_id": cid})
    await second.next(assigned(cid))
    await visitor.of_type("state", state="active")
    await set_column(owner, cid, "session_ends_at", "now() + interval '4 minutes'")
    again = await second.of_type("warning", conversation_id=cid)
    assert again["kind"] == "session_ending"
    # The visitor's copy travels on its own socket: await it, do not count early.
    await visitor.next(warning("session_ending"))
    assert len(visitor.received("warning")) == 2
