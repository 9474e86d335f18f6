"""Who sees and gets which chat: one queue across tenants, teams, risk, auto mode, presence."""

from __future__ import annotations

import asyncio
import re
import unicodedata
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any, TypeAlias

import asyncpg
import httpx
import msgspec
import pytest
import redis.asyncio as aioredis

from server.cache import RedisClient
from server.routing.presence import PresenceStore
from server.settings import Settings
from server.staff.accounts import add_to_team
from server.triage.scorer import CATEGORIES
from tests.conftest import MakeStaff, MakeTenant, eventually, serve_in_thread
from tests.conversations.clients import Console, Frame, open_console, set_presence
from tests.conversations.conftest import OpenListener, StartVisitor, access_token
from tests.conversations.workers import RedisProcess

Owner: TypeAlias = "asyncpg.Connection[asyncpg.Record]"
AUTO = {"mode": "auto"}
WRAPUP = {"topics": [], "risk_level": "none", "outcome": "supported"}
TWO_TEAMS = [
    {"slug": "x", "name": "Team X", "languages": ["fr"], "topics": ["loneliness"]},
    {"slug": "y", "name": "Team Y", "languages": ["fr"], "topics": ["anxiety"]},
]
IMMINENT = "j'ai acheté des médicaments, je vais tout prendre ce soir"


async def staff_id(owner: Owner, email: str) -> uuid.UUID:
    found: uuid.UUID = await owner.fetchval("SELECT id FROM staff_users WHERE email = $1", email)
    return found


async def conversation(owner: Owner, cid: str) -> asyncpg.Record:
    row = await owner.fetchrow(
        "SELECT state, listener_id, risk_level, risk_reasons FROM conversations WHERE id = $1",
        uuid.UUID(cid),
    )
    assert row is not None
    return row


def snapshot_with(*cids: str) -> Any:
    def matches(f: Frame) -> bool:
        listed = {e["conversation_id"] for e in f.get("entries", ())}
        return f["type"] == "queue_snapshot" and set(cids) <= listed

    return matches


def queued_ids(snapshot: Frame) -> list[str]:
    return [e["conversation_id"] for e in snapshot["entries"]]


def assigned(cid: str) -> Any:
    return lambda f: f["type"] == "assigned" and f["conversation"]["conversation_id"] == cid


async def round_trip(console: Console) -> None:
    """Everything this socket sent before is handled once the pong is back."""
    await console.send({"type": "ping"})
    await console.of_type("pong")


# --- one queue across tenants -----------------------------------------------------------------


async def test_a_granted_partner_sees_both_queues_in_one_snapshot_by_risk_then_waiting_time(
    open_tenant: MakeTenant, start_visitor: StartVisitor, open_listener: OpenListener
) -> None:
    partner = await open_tenant()
    host = await open_tenant(partners=[{"organisation": partner.slug}])
    _, host_calm = await start_visitor(host.slug)
    _, partner_calm = await start_visitor(partner.slug)
    host_risky_visitor, host_risky = await start_visitor(host.slug)
    await host_risky_visitor.say("je veux mourir")

    listener = await open_listener(partner.slug)
    snapshot = listener.received("queue_snapshot")[0]
    assert queued_ids(snapshot) == [
        host_risky["conversation_id"],  # high risk first, though the newest
        host_calm["conversation_id"],  # then the longest wait, whichever the tenant
        partner_calm["conversation_id"],
    ]
    assert [(e["tenant"], e["risk_level"]) for e in snapshot["entries"]] == [
        (host.slug, "high"),
        (host.slug, "none"),
        (partner.slug, "none"),
    ]
    assert snapshot["entries"][0]["tenant_name"] == host.name


async def test_an_organisation_that_was_not_granted_sees_none_of_the_hosts_chats(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    owner: Owner,
) -> None:
    granted = await open_tenant()
    stranger = await open_tenant()
    host = await open_tenant(partners=[{"organisation": granted.slug}])
    _, in_host = await start_visitor(host.slug)
    _, in_stranger = await start_visitor(stranger.slug)
    cid = in_host["conversation_id"]

    listener = await open_listener(stranger.slug)
    snapshot = listener.received("queue_snapshot")[0]
    assert queued_ids(snapshot) == [in_stranger["conversation_id"]]

    await listener.send({"type": "claim", "conversation_id": cid})
    refused = await listener.of_type("error", conversation_id=cid)
    assert refused["code"] in ("not_allowed", "conversation_not_found")
    row = await conversation(owner, cid)
    assert (row["state"], row["listener_id"]) == ("queued", None)


async def test_a_grant_limited_to_one_team_shows_and_allows_only_that_teams_chats(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    owner: Owner,
) -> None:
    partner = await open_tenant()
    host = await open_tenant(
        teams=TWO_TEAMS, partners=[{"organisation": partner.slug, "teams": ["x"]}]
    )
    _, in_x = await start_visitor(host.slug, topic="loneliness")
    _, in_y = await start_visitor(host.slug, topic="anxiety")
    _, unrouted = await start_visitor(host.slug)
    assert (in_x["team"], in_y["team"], unrouted["team"]) == ("x", "y", None)

    listener = await open_listener(partner.slug)
    snapshot = listener.received("queue_snapshot")[0]
    assert queued_ids(snapshot) == [in_x["conversation_id"]]

    for cid in (in_y["conversation_id"], unrouted["conversation_id"]):
        await listener.send({"type": "claim", "conversation_id": cid})
        refused = await listener.of_type("error", conversation_id=cid)
        assert refused["code"] in ("not_allowed", "conversation_not_found")
        assert (await conversation(owner, cid))["state"] == "queued"
    await listener.send({"type": "claim", "conversation_id": in_x["conversation_id"]})
    await listener.next(assigned(in_x["conversation_id"]))


# --- teams ------------------------------------------------------------------------------------


async def test_a_team_listener_sees_their_team_and_unrouted_chats_and_a_supervisor_sees_all(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    make_staff: MakeStaff,
    owner: Owner,
) -> None:
    tenant = await open_tenant(teams=TWO_TEAMS)
    _, in_x = await start_visitor(tenant.slug, topic="loneliness")
    _, in_y = await start_visitor(tenant.slug, topic="anxiety")
    _, unrouted = await start_visitor(tenant.slug)
    everything = [in_x["conversation_id"], in_y["conversation_id"], unrouted["conversation_id"]]

    email = await make_staff(tenant.slug)
    await add_to_team(
        owner, staff_id=await staff_id(owner, email), organisation=tenant.slug, team="x"
    )
    in_team_x = await open_listener(tenant.slug, email=email)
    in_no_team = await open_listener(tenant.slug)
    supervisor = await open_listener(tenant.slug, "supervisor")

    assert queued_ids(in_team_x.received("queue_snapshot")[0]) == [
        in_x["conversation_id"],
        unrouted["conversation_id"],
    ]
    assert queued_ids(in_no_team.received("queue_snapshot")[0]) == everything
    assert queued_ids(supervisor.received("queue_snapshot")[0]) == everything

    cid = in_y["conversation_id"]
    await in_team_x.send({"type": "claim", "conversation_id": cid})
    refused = await in_team_x.of_type("error", conversation_id=cid)
    assert refused["code"] in ("not_allowed", "conversation_not_found")
    assert (await conversation(owner, cid))["state"] == "queued"


# --- risk -------------------------------------------------------------------------------------


def words(text: str) -> set[str]:
    plain = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return {w for w in re.split(r"[^a-z]+", text.lower() + " " + plain) if len(w) >= 4}


async def test_a_risky_message_raises_the_level_tells_the_listener_and_alerts_supervisors(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    owner: Owner,
) -> None:
    tenant = await open_tenant()
    listener = await open_listener(tenant.slug)
    supervisor = await open_listener(tenant.slug, "supervisor")
    visitor, started = await start_visitor(tenant.slug)
    cid = started["conversation_id"]
    await listener.send({"type": "claim", "conversation_id": cid})
    await listener.next(assigned(cid))

    await visitor.say(IMMINENT)
    risk = await listener.of_type("risk", conversation_id=cid)
    alert = await supervisor.of_type("alert", conversation_id=cid)
    assert risk["level"] == alert["level"] == "imminent"
    assert (alert["tenant"], alert["kind"]) == (tenant.slug, "risk")
    for reasons in (risk["reasons"], alert["reasons"]):
        assert reasons
        assert set(reasons) <= CATEGORIES
        assert not {w for r in reasons for w in words(IMMINENT) if w in r}
    assert "means:medication" in risk["reasons"]
    assert (await conversation(owner, cid))["risk_level"] == "imminent"

    # The visitor is never shown the assessment.
    await listener.say(cid, "Je suis là. Où sont les médicaments ?")
    await visitor.of_type("message", seq=2)
    assert visitor.received("risk") == visitor.received("alert") == []


async def test_the_risk_level_never_goes_down_by_itself(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    owner: Owner,
) -> None:
    tenant = await open_tenant()
    listener = await open_listener(tenant.slug)
    visitor, started = await start_visitor(tenant.slug)
    cid = started["conversation_id"]
    await listener.send({"type": "claim", "conversation_id": cid})
    await listener.next(assigned(cid))
    await visitor.say(IMMINENT)
    await listener.of_type("risk", conversation_id=cid)

    await visitor.say("Merci, ça va un peu mieux maintenant, je vais bien")
    await visitor.say("Bonne soirée")
    # The listener's own message comes after any frame the calm messages could have caused.
    await listener.say(cid, "Je reste avec vous.")
    await listener.of_type("message", seq=4)

    row = await conversation(owner, cid)
    assert row["risk_level"] == "imminent"
    assert "means:medication" in row["risk_reasons"]
    assert [f["level"] for f in listener.received("risk")] == ["imminent"]


async def test_a_queued_high_risk_visitor_moves_ahead_of_earlier_low_risk_ones(
    open_tenant: MakeTenant, start_visitor: StartVisitor, open_listener: OpenListener
) -> None:
    tenant = await open_tenant()
    listener = await open_listener(tenant.slug)
    _, first = await start_visitor(tenant.slug)
    _, second = await start_visitor(tenant.slug)
    risky_visitor, risky = await start_visitor(tenant.slug)
    ids = [first["conversation_id"], second["conversation_id"], risky["conversation_id"]]
    before = await listener.next(snapshot_with(*ids))
    assert queued_ids(before) == ids

    await risky_visitor.say("je veux mourir")
    after = await listener.next(lambda f: f["type"] == "queue_snapshot" and queued_ids(f) != ids)
    assert queued_ids(after) == [ids[2], ids[0], ids[1]]
    assert [e["risk_level"] for e in after["entries"]] == ["high", "none", "none"]


# --- auto mode --------------------------------------------------------------------------------


async def test_auto_mode_gives_each_new_conversation_to_the_available_listener_with_fewer_chats(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    owner: Owner,
) -> None:
    tenant = await open_tenant(routing=AUTO)
    consoles = [await open_listener(tenant.slug), await open_listener(tenant.slug)]
    by_id = {await staff_id(owner, c.email): c for c in consoles}  # type: ignore[attr-defined]
    for console in consoles:
        await set_presence(console, "available")

    holders: list[uuid.UUID] = []
    for _ in range(4):
        _, started = await start_visitor(tenant.slug)
        row = await conversation(owner, started["conversation_id"])
        assert row["state"] == "active"
        holders.append(row["listener_id"])
        await by_id[row["listener_id"]].next(assigned(started["conversation_id"]))
    # After every second conversation both listeners hold the same number.
    assert holders[0] != holders[1]
    assert holders[2] != holders[3]
    assert sorted(holders) == sorted(list(by_id) * 2)


async def test_auto_mode_gives_nothing_to_an_away_listener(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    owner: Owner,
) -> None:
    tenant = await open_tenant(routing=AUTO)
    present, away = await open_listener(tenant.slug), await open_listener(tenant.slug)
    await set_presence(present, "available")
    await set_presence(away, "available")
    await set_presence(away, "away")

    present_id = await staff_id(owner, present.email)  # type: ignore[attr-defined]
    for _ in range(2):
        _, started = await start_visitor(tenant.slug)
        assert (await conversation(owner, started["conversation_id"]))["listener_id"] == present_id
        await present.next(assigned(started["conversation_id"]))
    await round_trip(away)
    assert away.received("assigned") == []


async def test_auto_mode_gives_nothing_to_a_listener_at_capacity_until_they_end_a_chat(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    make_staff: MakeStaff,
    owner: Owner,
) -> None:
    tenant = await open_tenant(routing=AUTO)
    email = await make_staff(tenant.slug)
    listener_id = await staff_id(owner, email)
    await owner.execute("UPDATE memberships SET capacity = 1 WHERE staff_id = $1", listener_id)
    listener = await open_listener(tenant.slug, email=email)
    await set_presence(listener, "available")

    _, first = await start_visitor(tenant.slug)
    await listener.next(assigned(first["conversation_id"]))
    _, second = await start_visitor(tenant.slug)
    row = await conversation(owner, second["conversation_id"])
    assert (row["state"], row["listener_id"]) == ("queued", None)

    await listener.send(
        {"type": "end", "conversation_id": first["conversation_id"], "wrapup": WRAPUP}
    )
    await listener.next(assigned(second["conversation_id"]))
    row = await conversation(owner, second["conversation_id"])
    assert (row["state"], row["listener_id"]) == ("active", listener_id)


async def test_auto_mode_counts_every_way_a_listener_serves_the_line(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    make_staff: MakeStaff,
    owner: Owner,
) -> None:
    """A member of the line who also serves it through a partner limited to team x: their own
    membership reaches team y too, and the higher of their two capacities counts, as in a
    claim of theirs."""
    partner = await open_tenant()
    host = await open_tenant(
        routing=AUTO, teams=TWO_TEAMS, partners=[{"organisation": partner.slug, "teams": ["x"]}]
    )
    email = await make_staff(partner.slug)
    await make_staff(host.slug, email=email)
    listener_id = await staff_id(owner, email)
    for line, capacity in ((host.slug, 1), (partner.slug, 3)):
        await owner.execute(
            "UPDATE memberships m SET capacity = $3 FROM organisations o "
            "WHERE o.id = m.organisation_id AND o.slug = $2 AND m.staff_id = $1",
            listener_id,
            line,
            capacity,
        )
    listener = await open_listener(host.slug, email=email)
    await set_presence(listener, "available")

    for _ in range(3):
        _, started = await start_visitor(host.slug, topic="anxiety")
        assert started["team"] == "y"
        await listener.next(assigned(started["conversation_id"]))
        row = await conversation(owner, started["conversation_id"])
        assert (row["state"], row["listener_id"]) == ("active", listener_id)
    _, fourth = await start_visitor(host.slug, topic="anxiety")
    row = await conversation(owner, fourth["conversation_id"])
    assert (row["state"], row["listener_id"]) == ("queued", None)


@pytest.mark.parametrize("ended_by", ["visitor", "timer", "take-over"])
async def test_auto_mode_gives_the_next_visitor_when_a_chat_ends_without_the_listeners_console(
    ended_by: str,
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    make_staff: MakeStaff,
    owner: Owner,
) -> None:
    tenant = await open_tenant(routing=AUTO)
    email = await make_staff(tenant.slug)
    listener_id = await staff_id(owner, email)
    await owner.execute("UPDATE memberships SET capacity = 1 WHERE staff_id = $1", listener_id)
    listener = await open_listener(tenant.slug, email=email)
    await set_presence(listener, "available")
    first_visitor, first = await start_visitor(tenant.slug)
    await listener.next(assigned(first["conversation_id"]))
    _, second = await start_visitor(tenant.slug)
    assert (await conversation(owner, second["conversation_id"]))["state"] == "queued"

    if ended_by == "visitor":
        await first_visitor.send({"type": "end"})
    elif ended_by == "timer":  # the session limit passes
        await owner.execute(
            "UPDATE conversations SET session_ends_at = now() - interval '1 second' WHERE id = $1",
            uuid.UUID(first["conversation_id"]),
        )
    else:  # a supervisor takes the chat over
        supervisor = await open_listener(
            tenant.slug, email=await make_staff(tenant.slug, role="supervisor")
        )
        await supervisor.send({"type": "join", "conversation_id": first["conversation_id"]})
        await supervisor.send({"type": "take_over", "conversation_id": first["conversation_id"]})
        await supervisor.next(assigned(first["conversation_id"]))
    await listener.next(assigned(second["conversation_id"]))
    row = await conversation(owner, second["conversation_id"])
    assert (row["state"], row["listener_id"]) == ("active", listener_id)


# --- presence ---------------------------------------------------------------------------------


@pytest.fixture
async def redis(settings: Settings) -> AsyncIterator[aioredis.Redis]:
    client = aioredis.from_url(settings.redis.url)
    yield client
    await client.aclose()


@pytest.fixture
async def key_events(redis: aioredis.Redis) -> AsyncIterator[aioredis.Redis]:
    """Redis keyspace notifications for generic and string commands (DEL, SET), for the test's
    duration."""
    setting = "notify-keyspace-events"
    previous = (await redis.config_get(setting))[setting]
    await redis.config_set(setting, "".join(sorted(set(previous) | {"K", "g", "$"})))
    yield redis
    await redis.config_set(setting, previous)


async def test_a_ping_refreshes_presence_brings_back_a_lost_key_and_going_away_sticks(
    open_tenant: MakeTenant,
    open_listener: OpenListener,
    redis: aioredis.Redis,
    settings: Settings,
    owner: Owner,
) -> None:
    tenant = await open_tenant()
    listener = await open_listener(tenant.slug)
    key = f"{settings.redis.prefix}presence:{await staff_id(owner, listener.email)}"  # type: ignore[attr-defined]

    await set_presence(listener, "available")
    await redis.expire(key, 2)
    await round_trip(listener)
    assert await redis.ttl(key) > 2

    # Lost as in a Redis restart: the next heartbeat of an available console sets it again.
    await redis.delete(key)
    await round_trip(listener)
    assert await redis.get(key) == b"available"

    await set_presence(listener, "away")
    assert await redis.get(key) == b"away"
    await round_trip(listener)  # an away listener's ping brings nothing back
    assert await redis.get(key) == b"away"


async def test_a_heartbeat_brings_back_a_lost_presence_but_never_one_set_away(
    settings: Settings,
) -> None:
    client = RedisClient(settings.redis)
    store = PresenceStore(client, ttl_seconds=30)
    staff = uuid.uuid4()
    key = client.key("presence", str(staff))
    try:
        await store.refresh(staff)  # lost with a Redis restart: set again
        assert await client.redis.get(key) == b"available"
        await store.set(staff, "away")
        await store.refresh(staff)  # another console, not yet told, beats: stays away
        assert await client.redis.get(key) == b"away"
        await store.clear(staff)  # a console closing sets away too
        await store.refresh(staff)
        assert await client.redis.get(key) == b"away"
    finally:
        await client.redis.delete(key, client.key("shift", str(staff)))
        await client.close()


async def test_a_second_console_still_showing_available_does_not_undo_going_away(
    open_tenant: MakeTenant,
    open_listener: OpenListener,
    redis: aioredis.Redis,
    settings: Settings,
    owner: Owner,
) -> None:
    tenant = await open_tenant()
    first = await open_listener(tenant.slug)
    second = await open_listener(tenant.slug, email=first.email)  # type: ignore[attr-defined]
    key = f"{settings.redis.prefix}presence:{await staff_id(owner, first.email)}"  # type: ignore[attr-defined]
    await set_presence(first, "available")
    await second.next(lambda f: f["type"] == "presence" and f["status"] == "available")

    await set_presence(first, "away")
    await second.next(lambda f: f["type"] == "presence" and f["status"] == "away")
    await round_trip(second)  # its heartbeat: it knows, and does not bring the listener back
    assert await redis.get(key) == b"away"


async def test_presence_lives_in_redis_while_the_console_is_open_and_goes_with_it(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    key_events: aioredis.Redis,
    settings: Settings,
    owner: Owner,
) -> None:
    redis = key_events
    tenant = await open_tenant(routing=AUTO)
    listener = await open_listener(tenant.slug)
    key = f"{settings.redis.prefix}presence:{await staff_id(owner, listener.email)}"  # type: ignore[attr-defined]

    await set_presence(listener, "available")
    assert await redis.get(key) == b"available"
    assert 0 < await redis.ttl(key) <= settings.chat.presence_ttl_seconds

    db = redis.connection_pool.connection_kwargs.get("db", 0)
    watch = redis.pubsub()
    await watch.subscribe(f"__keyspace@{db}__:{key}")
    try:
        await listener.close()

        async def set_away() -> None:
            async for event in watch.listen():
                # A heartbeat may set it "available" first; the close sets it "away".
                if event["type"] == "message" and await redis.get(key) == b"away":
                    return

        await asyncio.wait_for(set_away(), 10)
    finally:
        await watch.aclose()
    assert await redis.get(key) == b"away"
    assert 0 < await redis.ttl(key) <= settings.chat.presence_ttl_seconds

    # Gone from presence, they are no longer given chats.
    _, started = await start_visitor(tenant.slug)
    row = await conversation(owner, started["conversation_id"])
    assert (row["state"], row["listener_id"]) == ("queued", None)


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[RedisProcess]:
    process = RedisProcess(tmp_path)
    process.start()
    yield process
    process.stop()


async def test_while_redis_is_away_a_console_ping_is_answered_and_an_action_gets_an_error_frame(
    open_tenant: MakeTenant, make_staff: MakeStaff, own_redis: RedisProcess, settings: Settings
) -> None:
    tenant = await open_tenant()
    email = await make_staff(tenant.slug)
    redis_settings = msgspec.structs.replace(settings.redis, url=own_redis.url)
    with serve_in_thread(msgspec.structs.replace(settings, redis=redis_settings)) as host:
        console = await open_console(host, await access_token(f"http://{host}", email))
        await set_presence(console, "available")
        own_redis.stop()
        await round_trip(console)
        # An action that needs Redis is refused with a frame saying so; the socket stays.
        await console.send({"type": "presence", "status": "away"})
        refused = await console.of_type("error")
        assert refused["code"] == "service_unavailable"
        await round_trip(console)
        await console.close()


async def test_after_a_redis_restart_an_available_listener_is_available_again_and_gets_chats(
    open_tenant: MakeTenant,
    make_staff: MakeStaff,
    own_redis: RedisProcess,
    settings: Settings,
    owner: Owner,
) -> None:
    tenant = await open_tenant(routing=AUTO)
    email = await make_staff(tenant.slug)
    key = f"{settings.redis.prefix}presence:{await staff_id(owner, email)}"
    changed = msgspec.structs.replace(
        settings,
        redis=msgspec.structs.replace(settings.redis, url=own_redis.url),
        chat=msgspec.structs.replace(settings.chat, presence_ttl_seconds=3),
    )
    with serve_in_thread(changed) as host:
        console = await open_console(host, await access_token(f"http://{host}", email))
        await set_presence(console, "available")
        own_redis.stop()
        own_redis.start()  # empty: every presence key is gone
        client = aioredis.from_url(own_redis.url)
        try:

            async def available_again() -> bool:
                return await client.get(key) == b"available"

            await eventually(available_again, wait=15)  # the heartbeat runs every second
        finally:
            await client.aclose()
        async with httpx.AsyncClient(base_url=f"http://{host}") as http:
            started = await http.post(
                "/api/conversations", json={"tenant": tenant.slug, "locale": "fr", "consent": True}
            )
        await console.next(assigned(started.json()["conversation_id"]))
        await console.close()
