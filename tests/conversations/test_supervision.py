"""Supervisors on the console socket: the live list, silent reading, whispers, taking over,
alerts (risk, long wait, long shift, supervised start), and who may do any of it."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any, TypeAlias

import asyncpg
import pytest

from server.cache import RedisClient
from server.db import Database
from server.settings import Settings
from tests.conftest import MakeTenant
from tests.conversations.clients import Console, Frame, open_visitor
from tests.conversations.conftest import OpenListener, StartVisitor, claimed

Owner: TypeAlias = "asyncpg.Connection[asyncpg.Record]"
TWO_TEAMS = [
    {"slug": "x", "name": "Team X", "languages": ["fr"], "topics": ["loneliness"]},
    {"slug": "y", "name": "Team Y", "languages": ["fr"], "topics": ["anxiety"]},
]
IMMINENT = "j'ai acheté des médicaments, je vais tout prendre ce soir"
WHISPER = "Pense à lui demander s'il est en sécurité ce soir."


async def staff_id(owner: Owner, email: str) -> uuid.UUID:
    found: uuid.UUID = await owner.fetchval("SELECT id FROM staff_users WHERE email = $1", email)
    return found


async def name_staff(owner: Owner, console: Console, name: str) -> None:
    await owner.execute(
        "UPDATE staff_users SET display_name = $2 WHERE email = $1",
        console.email,  # type: ignore[attr-defined]
        name,
    )


def listing(cid: str, **fields: Any) -> Callable[[Frame], bool]:
    """A supervision snapshot whose entry for cid has these values."""

    def matches(frame: Frame) -> bool:
        if frame["type"] != "supervision_snapshot":
            return False
        entry = next((e for e in frame["entries"] if e["conversation_id"] == cid), None)
        return entry is not None and all(entry.get(k) == v for k, v in fields.items())

    return matches


async def eventually(client: Console, predicate: Callable[[Frame], bool]) -> Frame:
    """A frame received at any time, already or next: for frames whose order relative to
    the ones awaited before is not fixed (a list refresh and an alert travel separately)."""
    for frame in list(client.frames):
        if predicate(frame):
            return frame
    return await client.next(predicate)


def entry_of(frame: Frame, cid: str) -> Frame:
    return next(e for e in frame["entries"] if e["conversation_id"] == cid)


def alert(kind: str, **fields: Any) -> Callable[[Frame], bool]:
    return lambda f: (
        f["type"] == "alert" and f["kind"] == kind and all(f.get(k) == v for k, v in fields.items())
    )


async def round_trip(console: Console) -> None:
    """Everything this socket sent before is handled once the pong is back."""
    await console.send({"type": "ping"})
    await console.of_type("pong")


async def stored(owner: Owner, cid: str) -> list[asyncpg.Record]:
    return list(
        await owner.fetch(
            "SELECT seq, author_kind, author_id, kind, body FROM messages "
            "WHERE conversation_id = $1 ORDER BY seq",
            uuid.UUID(cid),
        )
    )


async def audit(owner: Owner, action: str, cid: str) -> list[asyncpg.Record]:
    return list(
        await owner.fetch(
            "SELECT organisation_id, actor_id, details FROM audit_log "
            "WHERE action = $1 AND target = $2",
            action,
            cid,
        )
    )


@pytest.fixture
async def redis_client(settings: Settings) -> AsyncIterator[RedisClient]:
    """The live server's Redis, with its key prefix."""
    client = RedisClient(settings.redis)
    yield client
    await client.close()


# --- the live list ----------------------------------------------------------------------------


async def test_a_supervisor_lists_every_live_conversation_with_listener_wait_and_duration(
    open_tenant: MakeTenant, start_visitor: StartVisitor, open_listener: OpenListener, owner: Owner
) -> None:
    tenant = await open_tenant()
    supervisor = await open_listener(tenant.slug, "supervisor")
    listener = await open_listener(tenant.slug)
    await name_staff(owner, listener, "Camille")
    await supervisor.of_type("supervision_snapshot")  # sent right after hello
    await round_trip(listener)
    assert listener.received("supervision_snapshot") == [], "listeners get no such list"

    _, waiting = await start_visitor(tenant.slug)
    queued = await supervisor.next(listing(waiting["conversation_id"], state="queued"))
    entry = entry_of(queued, waiting["conversation_id"])
    assert entry["listener_id"] is None
    assert entry["duration_seconds"] is None
    assert entry["waiting_seconds"] >= 0
    assert set(entry) == {
        "conversation_id", "tenant", "tenant_name", "team", "topic", "locale", "state",
        "risk_level", "listener_id", "listener_name", "waiting_seconds", "duration_seconds",
        "supervised", "left",
    }  # fmt: skip

    _, cid = await claimed(listener, start_visitor, tenant.slug)
    active = await supervisor.next(listing(cid, state="active", listener_name="Camille"))
    entry = entry_of(active, cid)
    assert entry["listener_id"] == str(await staff_id(owner, listener.email))  # type: ignore[attr-defined]
    assert entry["duration_seconds"] >= 0
    assert entry["supervised"] is False


# --- joining silently -------------------------------------------------------------------------


async def test_a_supervisor_reading_a_chat_they_hold_gets_its_whole_history(
    open_tenant: MakeTenant, start_visitor: StartVisitor, open_listener: OpenListener
) -> None:
    tenant = await open_tenant()
    supervisor = await open_listener(tenant.slug, "supervisor")
    visitor, cid = await claimed(supervisor, start_visitor, tenant.slug)
    await visitor.say("Bonsoir")
    await supervisor.say(cid, "Bonsoir, je suis là.")
    await supervisor.of_type("message", conversation_id=cid, seq=2)

    # The same socket (the supervision page of someone also answering) reads it.
    await supervisor.send({"type": "join", "conversation_id": cid})
    await supervisor.of_type("joined")
    again = [await supervisor.of_type("message", conversation_id=cid, seq=s) for s in (1, 2)]

    assert [m["body"] for m in again] == ["Bonsoir", "Bonsoir, je suis là."]


async def test_joining_shows_the_history_then_live_messages_and_the_visitor_is_never_told(
    open_tenant: MakeTenant, start_visitor: StartVisitor, open_listener: OpenListener, owner: Owner
) -> None:
    tenant = await open_tenant()
    listener = await open_listener(tenant.slug)
    supervisor = await open_listener(tenant.slug, "supervisor")
    visitor, cid = await claimed(listener, start_visitor, tenant.slug)
    await visitor.say("Bonsoir, je n'arrive pas à dormir")
    await listener.say(cid, "Bonsoir, je suis là.")

    await supervisor.send({"type": "join", "conversation_id": cid})
    joined = await supervisor.of_type("joined")
    assert joined["conversation"]["conversation_id"] == cid
    assert joined["conversation"]["state"] == "active"
    history = [await supervisor.of_type("message", conversation_id=cid, seq=s) for s in (1, 2)]
    assert [m["body"] for m in history] == [
        "Bonsoir, je n'arrive pas à dormir",
        "Bonsoir, je suis là.",
    ]

    await visitor.say("Ça tourne dans ma tête")
    live = await supervisor.of_type("message", conversation_id=cid, seq=3)
    assert live["author"] == "visitor"
    await listener.say(cid, "Qu'est-ce qui tourne ?")
    assert (await supervisor.of_type("message", seq=4))["author"] == "listener"

    # The visitor got nothing but the chat's own messages and acks: no trace of the join.
    assert {f["type"] for f in visitor.frames} <= {"welcome", "queue", "state", "ack", "message"}
    assert {m["author"] for m in visitor.received("message")} <= {"visitor", "listener"}

    entries = await audit(owner, "transcript.view", cid)
    assert len(entries) == 1
    supervisor_id = await staff_id(owner, supervisor.email)  # type: ignore[attr-defined]
    assert entries[0]["actor_id"] == supervisor_id
    assert entries[0]["details"] == {"via": "supervision"}

    await supervisor.send({"type": "leave", "conversation_id": cid})
    await supervisor.of_type("left", conversation_id=cid)
    await visitor.say("Encore là ?")
    await listener.of_type("message", conversation_id=cid, seq=5)
    await round_trip(supervisor)
    assert [m["seq"] for m in supervisor.received("message")] == [1, 2, 3, 4]


async def test_a_supervisor_reads_a_reconnection_sync_but_cannot_write_to_the_visitor(
    open_tenant: MakeTenant, start_visitor: StartVisitor, open_listener: OpenListener, owner: Owner
) -> None:
    tenant = await open_tenant()
    listener = await open_listener(tenant.slug)
    supervisor = await open_listener(tenant.slug, "supervisor")
    visitor, cid = await claimed(listener, start_visitor, tenant.slug)
    await visitor.say("Premier")
    await supervisor.send({"type": "join", "conversation_id": cid})
    await supervisor.of_type("message", seq=1)

    await supervisor.send({"type": "sync", "conversation_id": cid, "last_seq": 0})
    assert (await supervisor.of_type("message", seq=1))["body"] == "Premier"
    refused = await supervisor.say(cid, "Je ne devrais pas pouvoir écrire")
    assert refused["type"] == "error"
    await supervisor.send({"type": "typing", "conversation_id": cid})
    await supervisor.of_type("error", code="not_your_conversation")
    assert len(await stored(owner, cid)) == 1


# --- whispers ---------------------------------------------------------------------------------


async def test_a_whisper_reaches_the_listener_and_never_the_visitor_not_even_after_sync(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    owner: Owner,
    live_host: str,
) -> None:
    tenant = await open_tenant()
    listener = await open_listener(tenant.slug)
    supervisor = await open_listener(tenant.slug, "supervisor")
    visitor, cid = await claimed(listener, start_visitor, tenant.slug)
    await visitor.say("Bonsoir")

    client_id = str(uuid.uuid4())
    await supervisor.send(
        {"type": "whisper", "conversation_id": cid, "client_id": client_id, "body": WHISPER}
    )
    ack = await supervisor.of_type("ack", client_id=client_id)
    assert ack["seq"] == 2
    heard = await listener.of_type("message", conversation_id=cid, seq=2)
    assert (heard["author"], heard["kind"], heard["body"]) == ("supervisor", "whisper", WHISPER)

    await listener.say(cid, "Bonsoir, je vous écoute.")
    reply = await visitor.of_type("message", seq=3)
    assert reply["author"] == "listener"
    await visitor.send({"type": "sync", "last_seq": 0})
    await visitor.of_type("message", seq=3)
    reconnected = await open_visitor(live_host, visitor.token, last_seq=0)  # type: ignore[attr-defined]
    try:
        await reconnected.of_type("message", seq=3)
        for side in (visitor, reconnected):
            assert WHISPER not in str(side.frames)
            assert all(m["kind"] != "whisper" for m in side.received("message"))
    finally:
        await reconnected.close()

    rows = await stored(owner, cid)
    whisper = next(r for r in rows if r["kind"] == "whisper")
    assert whisper["author_kind"] == "supervisor"
    assert whisper["author_id"] == await staff_id(owner, supervisor.email)  # type: ignore[attr-defined]
    assert WHISPER.encode() not in bytes(whisper["body"]), "encrypted at rest"


# --- taking over ------------------------------------------------------------------------------


async def test_taking_over_makes_the_supervisor_the_listener_and_tells_the_previous_one(
    open_tenant: MakeTenant, start_visitor: StartVisitor, open_listener: OpenListener, owner: Owner
) -> None:
    tenant = await open_tenant()
    listener = await open_listener(tenant.slug)
    supervisor = await open_listener(tenant.slug, "supervisor")
    visitor, cid = await claimed(listener, start_visitor, tenant.slug)
    await visitor.say("Je ne sais plus quoi faire")

    await supervisor.send({"type": "take_over", "conversation_id": cid})
    told = await listener.of_type("unassigned", conversation_id=cid)
    assert told["reason"] == "taken_over"
    taken = await supervisor.next(
        lambda f: f["type"] == "assigned" and f["conversation"]["conversation_id"] == cid
    )
    supervisor_id = await staff_id(owner, supervisor.email)  # type: ignore[attr-defined]
    assert taken["conversation"]["listener_id"] == str(supervisor_id)

    await supervisor.send({"type": "sync", "conversation_id": cid, "last_seq": 0})
    assert (await supervisor.of_type("message", seq=1))["body"] == "Je ne sais plus quoi faire"
    await supervisor.say(cid, "Bonsoir, je prends le relais.")
    assert (await visitor.of_type("message", seq=2))["body"] == "Bonsoir, je prends le relais."
    await visitor.say("Merci")
    await supervisor.of_type("message", seq=3)
    await round_trip(listener)
    assert [m["seq"] for m in listener.received("message")] == [1]

    row = await owner.fetchrow(
        "SELECT state, listener_id FROM conversations WHERE id = $1", uuid.UUID(cid)
    )
    assert (row["state"], row["listener_id"]) == ("active", supervisor_id)
    entries = await audit(owner, "conversation.take_over", cid)
    listener_id = await staff_id(owner, listener.email)  # type: ignore[attr-defined]
    assert [e["details"] for e in entries] == [{"previous_listener": str(listener_id)}]


# --- alerts -----------------------------------------------------------------------------------


async def test_a_risk_alert_names_the_supervisors_alerted_on_the_listeners_risk_frame(
    open_tenant: MakeTenant, start_visitor: StartVisitor, open_listener: OpenListener, owner: Owner
) -> None:
    tenant = await open_tenant()
    listener = await open_listener(tenant.slug)
    supervisor = await open_listener(tenant.slug, "supervisor")
    await name_staff(owner, supervisor, "Dominique")
    visitor, cid = await claimed(listener, start_visitor, tenant.slug)

    await visitor.say(IMMINENT)
    risk = await listener.of_type("risk", conversation_id=cid)
    assert (risk["level"], risk["alerted"]) == ("imminent", ["Dominique"])
    raised = await supervisor.next(alert("risk", conversation_id=cid))
    assert (raised["tenant"], raised["level"]) == (tenant.slug, "imminent")
    assert raised["reasons"]
    await eventually(supervisor, listing(cid, risk_level="imminent"))


async def test_with_no_supervisor_online_the_risk_frame_says_nobody_was_alerted(
    open_tenant: MakeTenant, start_visitor: StartVisitor, open_listener: OpenListener
) -> None:
    tenant = await open_tenant()
    listener = await open_listener(tenant.slug)
    visitor, cid = await claimed(listener, start_visitor, tenant.slug)
    await visitor.say(IMMINENT)
    risk = await listener.of_type("risk", conversation_id=cid)
    assert risk["alerted"] == []


async def test_a_visitor_waiting_past_the_threshold_alerts_supervisors_once(
    open_tenant: MakeTenant, start_visitor: StartVisitor, open_listener: OpenListener, owner: Owner
) -> None:
    tenant = await open_tenant(routing={"wait_alert_minutes": 5})
    supervisor = await open_listener(tenant.slug, "supervisor")
    _, first = await start_visitor(tenant.slug)
    _, second = await start_visitor(tenant.slug)

    async def waited(cid: str, minutes: int) -> None:
        await owner.execute(
            "UPDATE conversations SET created_at = now() - make_interval(mins => $2) WHERE id = $1",
            uuid.UUID(cid),
            minutes,
        )

    await waited(first["conversation_id"], 6)
    long_wait = await supervisor.next(alert("long_wait", conversation_id=first["conversation_id"]))
    assert (long_wait["tenant"], long_wait["minutes"]) == (tenant.slug, 6)
    # A later pass alerts the second visitor, and not the first one again.
    await waited(second["conversation_id"], 7)
    await supervisor.next(alert("long_wait", conversation_id=second["conversation_id"]))
    alerts = [f for f in supervisor.received("alert") if f["kind"] == "long_wait"]
    assert [a["conversation_id"] for a in alerts].count(first["conversation_id"]) == 1


async def test_a_listener_in_conversations_past_the_shift_limit_alerts_supervisors_once(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    owner: Owner,
    redis_client: RedisClient,
) -> None:
    tenant = await open_tenant(routing={"shift_alert_minutes": 60})
    supervisor = await open_listener(tenant.slug, "supervisor")
    listener = await open_listener(tenant.slug)
    await name_staff(owner, listener, "Sacha")
    listener_id = await staff_id(owner, listener.email)  # type: ignore[attr-defined]
    await listener.send({"type": "presence", "status": "available"})
    await round_trip(listener)
    await claimed(listener, start_visitor, tenant.slug)

    shift = redis_client.key("shift", str(listener_id))
    assert await redis_client.redis.get(shift) is not None, "going available starts the shift"
    await redis_client.redis.set(shift, str(time.time() - 61 * 60), keepttl=True)
    long_shift = await supervisor.next(alert("long_shift", listener_id=str(listener_id)))
    assert (long_shift["listener_name"], long_shift["minutes"]) == ("Sacha", 61)
    assert "conversation_id" not in long_shift

    # Going away ends the shift.
    await listener.send({"type": "presence", "status": "away"})
    await round_trip(listener)
    assert await redis_client.redis.get(shift) is None
    assert len([f for f in supervisor.received("alert") if f["kind"] == "long_shift"]) == 1


async def test_a_new_listeners_first_conversations_are_supervised_then_no_longer(
    open_tenant: MakeTenant, start_visitor: StartVisitor, open_listener: OpenListener, owner: Owner
) -> None:
    tenant = await open_tenant()
    supervisor = await open_listener(tenant.slug, "supervisor")
    listener = await open_listener(tenant.slug)
    listener_id = await staff_id(owner, listener.email)  # type: ignore[attr-defined]
    await owner.execute(
        "UPDATE memberships SET supervised_conversations = 1 WHERE staff_id = $1", listener_id
    )

    _, first = await claimed(listener, start_visitor, tenant.slug)
    started = await supervisor.next(alert("supervised_start", conversation_id=first))
    assert started["listener_id"] == str(listener_id)
    await eventually(supervisor, listing(first, supervised=True))
    assigned = listener.received("assigned")[-1]["conversation"]
    assert assigned["supervised"] is True

    await listener.send(
        {
            "type": "end",
            "conversation_id": first,
            "wrapup": {"topics": [], "risk_level": "none", "outcome": "supported"},
        }
    )
    await listener.of_type("unassigned", conversation_id=first)
    _, second = await claimed(listener, start_visitor, tenant.slug)
    await supervisor.next(listing(second, state="active", supervised=False))
    assert not await owner.fetchval(
        "SELECT supervised FROM conversations WHERE id = $1", uuid.UUID(second)
    )
    assert [f.get("conversation_id") for f in supervisor.received("alert")] == [first]


# --- who may supervise ------------------------------------------------------------------------


async def test_a_listener_can_neither_join_whisper_nor_take_over(
    open_tenant: MakeTenant, start_visitor: StartVisitor, open_listener: OpenListener, owner: Owner
) -> None:
    tenant = await open_tenant()
    listener = await open_listener(tenant.slug)
    colleague = await open_listener(tenant.slug)
    visitor, cid = await claimed(listener, start_visitor, tenant.slug)
    await visitor.say("Bonsoir")

    for frame in (
        {"type": "join", "conversation_id": cid},
        {"type": "whisper", "conversation_id": cid, "client_id": str(uuid.uuid4()), "body": "x"},
        {"type": "take_over", "conversation_id": cid},
    ):
        await colleague.send(frame)
        refused = await colleague.of_type("error", conversation_id=cid)
        assert refused["code"] == "forbidden"
    assert colleague.received("joined") == colleague.received("message") == []
    assert len(await stored(owner, cid)) == 1
    assert await audit(owner, "transcript.view", cid) == []
    listener_id = await staff_id(owner, listener.email)  # type: ignore[attr-defined]
    assert (
        await owner.fetchval("SELECT listener_id FROM conversations WHERE id = $1", uuid.UUID(cid))
        == listener_id
    )


async def test_a_supervisor_of_another_tenant_cannot_see_join_whisper_or_take_over(
    open_tenant: MakeTenant, start_visitor: StartVisitor, open_listener: OpenListener, owner: Owner
) -> None:
    tenant = await open_tenant()
    elsewhere = await open_tenant()
    listener = await open_listener(tenant.slug)
    stranger = await open_listener(elsewhere.slug, "supervisor")
    visitor, cid = await claimed(listener, start_visitor, tenant.slug)
    await visitor.say(IMMINENT)
    await listener.of_type("risk", conversation_id=cid)

    for frame in (
        {"type": "join", "conversation_id": cid},
        {"type": "whisper", "conversation_id": cid, "client_id": str(uuid.uuid4()), "body": "x"},
        {"type": "take_over", "conversation_id": cid},
    ):
        await stranger.send(frame)
        refused = await stranger.of_type("error", conversation_id=cid)
        assert refused["code"] == "conversation_not_found"
    assert stranger.received("alert") == []
    assert all(
        cid not in {e["conversation_id"] for e in s["entries"]}
        for s in stranger.received("supervision_snapshot")
    )
    assert len(await stored(owner, cid)) == 1
    assert await audit(owner, "transcript.view", cid) == []


async def test_a_partner_supervisor_supervises_only_the_granted_teams(
    open_tenant: MakeTenant, start_visitor: StartVisitor, open_listener: OpenListener, owner: Owner
) -> None:
    partner = await open_tenant()
    host = await open_tenant(
        teams=TWO_TEAMS, partners=[{"organisation": partner.slug, "teams": ["x"]}]
    )
    listener = await open_listener(host.slug)
    overseer = await open_listener(partner.slug, "supervisor")
    in_x, cid_x = await claimed(listener, start_visitor, host.slug, topic="loneliness")
    in_y, cid_y = await claimed(listener, start_visitor, host.slug, topic="anxiety")

    await overseer.send({"type": "join", "conversation_id": cid_y})
    assert (await overseer.of_type("error", conversation_id=cid_y))["code"] == "not_allowed"
    await overseer.send({"type": "join", "conversation_id": cid_x})
    await overseer.of_type("joined")

    # Alerts of the other team never reach them; Redis keeps the order of one channel.
    await in_y.say(IMMINENT)
    await listener.of_type("risk", conversation_id=cid_y)
    await in_x.say(IMMINENT)
    await overseer.next(alert("risk", conversation_id=cid_x))
    assert [f["conversation_id"] for f in overseer.received("alert")] == [cid_x]
    # A list computed after both conversations exist shows only the granted team's.
    snapshot = await eventually(overseer, listing(cid_x, team="x", risk_level="imminent"))
    assert cid_y not in {e["conversation_id"] for e in snapshot["entries"]}
    assert all(cid_y not in str(s) for s in overseer.received("supervision_snapshot"))
    entries = await audit(owner, "transcript.view", cid_x)
    assert len(entries) == 1
    assert str(entries[0]["organisation_id"]) == str(
        await owner.fetchval("SELECT id FROM organisations WHERE slug = $1", host.slug)
    )


async def test_staff_names_are_given_only_for_staff_of_the_transactions_tenant(
    open_tenant: MakeTenant, open_listener: OpenListener, owner: Owner, db: Database
) -> None:
    tenant = await open_tenant()
    other = await open_tenant()
    mine = await open_listener(tenant.slug)
    theirs = await open_listener(other.slug)
    ids = [await staff_id(owner, c.email) for c in (mine, theirs)]  # type: ignore[attr-defined]
    tenant_id = await owner.fetchval("SELECT id FROM organisations WHERE slug = $1", tenant.slug)
    async with db.tenant_transaction(tenant_id) as conn:
        rows = await conn.fetch("SELECT staff_id FROM havre_tenant_staff_names($1)", ids)
    assert [r["staff_id"] for r in rows] == [ids[0]]
    async with db.transaction() as conn:
        assert await conn.fetch("SELECT * FROM havre_tenant_staff_names($1)", ids) == []
