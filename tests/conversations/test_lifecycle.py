"""A conversation from start to end: opening hours and routing at the start, the queue, ending
from either side, rating, wrap-up notes, transfers, extending, risk and reconnecting."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import date, datetime, time, timedelta
from typing import Any, TypeAlias
from zoneinfo import ZoneInfo

import asyncpg
import httpx
import pytest

from server.crypto import MessageCipher
from server.settings import Settings
from server.staff.accounts import add_to_team
from tests.conftest import MakeStaff, MakeTenant, eventually
from tests.conversations.clients import (
    Client,
    Console,
    Frame,
    Visitor,
    open_visitor,
    set_presence,
)
from tests.conversations.conftest import ALWAYS_OPEN, OpenListener, StartVisitor

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


# --- helpers ----------------------------------------------------------------------------------


async def post_start(live_url: str, body: dict[str, Any]) -> httpx.Response:
    async with httpx.AsyncClient(base_url=live_url) as http:
        return await http.post("/api/conversations", json=body)


def paris_today() -> date:
    return datetime.now(PARIS).date()


async def staff_id(owner: Owner, email: str) -> uuid.UUID:
    found: uuid.UUID = await owner.fetchval("SELECT id FROM staff_users WHERE email = $1", email)
    return found


def email_of(console: Console) -> str:
    return str(console.email)  # type: ignore[attr-defined]


async def row_of(owner: Owner, cid: str) -> asyncpg.Record:
    row = await owner.fetchrow(
        "SELECT c.*, t.slug AS team FROM conversations c LEFT JOIN teams t ON t.id = c.team_id "
        "WHERE c.id = $1",
        uuid.UUID(cid),
    )
    assert row is not None
    return row


def assigned(cid: str) -> Callable[[Frame], bool]:
    return lambda f: f["type"] == "assigned" and f["conversation"]["conversation_id"] == cid


def queue_snapshot(*, listing: str | None = None, without: str | None = None) -> Any:
    def matches(f: Frame) -> bool:
        listed = {e["conversation_id"] for e in f.get("entries", ())}
        if f["type"] != "queue_snapshot":
            return False
        return (listing is None or listing in listed) and (without is None or without not in listed)

    return matches


async def round_trip(client: Client) -> None:
    """Frames are handled in order: once the pong is back, everything sent before is done."""
    await client.send({"type": "ping"})
    await client.of_type("pong")


def messages(client: Client, cid: str) -> list[tuple[int, str, str, str]]:
    return [
        (m["seq"], m["author"], m["kind"], m["body"])
        for m in client.received("message")
        if m["conversation_id"] == cid
    ]


async def active_chat(
    tenant_slug: str, start_visitor: StartVisitor, open_listener: OpenListener
) -> tuple[Visitor, Console, str]:
    """A visitor whose conversation a listener of the tenant has claimed."""
    listener = await open_listener(tenant_slug)
    visitor, started = await start_visitor(tenant_slug)
    cid = started["conversation_id"]
    await listener.next(queue_snapshot(listing=cid))
    await listener.send({"type": "claim", "conversation_id": cid})
    await listener.next(assigned(cid))
    await visitor.of_type("state", state="active")
    return visitor, listener, cid


@pytest.fixture
async def reopen_visitor(live_host: str) -> AsyncIterator[Callable[..., Any]]:
    opened: list[Visitor] = []

    async def reopen(token: str, last_seq: int = 0) -> Visitor:
        visitor = await open_visitor(live_host, token, last_seq=last_seq)
        opened.append(visitor)
        return visitor

    yield reopen
    for visitor in opened:
        await visitor.close()


# --- starting ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "consent", [{"consent": False}, {}, {"consent": "yes"}], ids=["false", "missing", "not_bool"]
)
async def test_starting_without_consent_is_refused_with_a_400_problem_and_stores_nothing(
    open_tenant: MakeTenant, live_url: str, owner: Owner, consent: dict[str, Any]
) -> None:
    tenant = await open_tenant()
    response = await post_start(live_url, {"tenant": tenant.slug, "locale": "fr", **consent})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["status"] == 400
    stored = await owner.fetchval(
        "SELECT count(*) FROM conversations c JOIN organisations o ON o.id = c.organisation_id "
        "WHERE o.slug = $1",
        tenant.slug,
    )
    assert stored == 0


async def test_starting_with_an_unknown_tenant_is_a_404_tenant_not_found(live_url: str) -> None:
    response = await post_start(
        live_url, {"tenant": f"nowhere-{uuid.uuid4().hex[:8]}", "locale": "fr", "consent": True}
    )
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "tenant_not_found"


async def test_a_line_with_no_hours_is_closed_with_no_next_opening_and_its_referrals_localised(
    make_tenant: MakeTenant, live_url: str
) -> None:
    tenant = await make_tenant(hours=[], referrals=REFERRALS)
    for locale, hours, description in [
        ("en", "Every day, day and night", "Free anonymous listening"),
        ("fr", "Tous les jours, jour et nuit", "Écoute anonyme et gratuite"),
    ]:
        response = await post_start(
            live_url, {"tenant": tenant.slug, "locale": locale, "consent": True}
        )
        assert response.status_code == 409
        assert response.headers["content-type"].startswith("application/problem+json")
        problem = response.json()
        assert problem["code"] == "tenant_closed"
        assert problem["next_opening"] is None
        # The hidden referral is not shown to visitors.
        assert problem["referrals"] == [
            {
                "key": "sos-amitie",
                "name": "SOS Amitié",
                "topics": ["loneliness"],
                "emergency": False,
                "hours": hours,
                "description": description,
                "phone": "09 72 39 40 50",
            }
        ]


async def test_a_line_whose_only_opening_is_a_dated_exception_names_it_as_the_next_opening(
    make_tenant: MakeTenant, live_url: str
) -> None:
    day = paris_today() + timedelta(days=3)
    tenant = await make_tenant(
        hours=[], exceptions=[{"date": day.isoformat(), "opens": "10:00", "closes": "12:00"}]
    )
    response = await post_start(live_url, {"tenant": tenant.slug, "locale": "fr", "consent": True})
    assert response.status_code == 409
    problem = response.json()
    assert problem["code"] == "tenant_closed"
    next_opening = datetime.fromisoformat(problem["next_opening"])
    assert next_opening == datetime.combine(day, time(10, 0), tzinfo=PARIS)
    assert next_opening.utcoffset() == datetime.combine(day, time(10, 0), PARIS).utcoffset()


async def test_a_topic_routes_to_a_team_that_lists_it_speaking_the_visitors_language_first(
    open_tenant: MakeTenant, start_visitor: StartVisitor, owner: Owner
) -> None:
    tenant = await open_tenant(
        teams=[
            {"slug": "general", "name": "General", "languages": ["fr"]},
            {"slug": "studies-en", "name": "Studies (en)", "languages": ["en"],
             "topics": ["studies"]},
            {"slug": "studies", "name": "Studies", "languages": ["fr"], "topics": ["studies"]},
            {"slug": "money", "name": "Money", "languages": ["en"], "topics": ["money"]},
        ]
    )  # fmt: skip
    _, about_studies = await start_visitor(tenant.slug, topic="studies")
    _, studies_in_english = await start_visitor(tenant.slug, locale="en", topic="studies")
    _, about_money = await start_visitor(tenant.slug, topic="money")
    _, about_else = await start_visitor(tenant.slug, topic="loneliness")
    assert about_studies["team"] == "studies"
    assert studies_in_english["team"] == "studies-en"
    # The topic wins over the language when no team speaking it lists the topic.
    assert about_money["team"] == "money"
    assert about_else["team"] == "general"
    stored = await row_of(owner, about_studies["conversation_id"])
    assert (stored["team"], stored["topic"]) == ("studies", "studies")


async def test_an_english_visitor_goes_to_the_english_speaking_team_while_it_is_open(
    open_tenant: MakeTenant, start_visitor: StartVisitor, owner: Owner
) -> None:
    tenant = await open_tenant(
        teams=[
            {"slug": "general", "name": "General", "languages": ["fr"]},
            {"slug": "english", "name": "English", "languages": ["en"]},
        ]
    )
    _, english = await start_visitor(tenant.slug, locale="en")
    _, french = await start_visitor(tenant.slug, locale="fr")
    assert (english["team"], french["team"]) == ("english", "general")
    assert (await row_of(owner, english["conversation_id"]))["team"] == "english"


async def test_when_the_routed_team_is_closed_the_visitor_gets_its_next_opening_and_referrals(
    make_tenant: MakeTenant, live_url: str, owner: Owner
) -> None:
    # The English team's only slot is two days ahead: closed today, whatever the time; the
    # line as a whole is open, but a team with hours of its own answers only then.
    day = paris_today() + timedelta(days=2)
    tenant = await make_tenant(
        teams=[
            {"slug": "general", "name": "General", "languages": ["fr"]},
            {"slug": "english", "name": "English", "languages": ["en"]},
        ],
        hours=[
            *ALWAYS_OPEN,
            {
                "days": [WEEKDAYS[day.weekday()]],
                "opens": "10:00",
                "closes": "11:00",
                "team": "english",
            },
        ],
        referrals=REFERRALS,
    )
    response = await post_start(live_url, {"tenant": tenant.slug, "locale": "en", "consent": True})
    assert response.status_code == 409
    problem = response.json()
    assert problem["code"] == "tenant_closed"
    assert datetime.fromisoformat(problem["next_opening"]) == datetime.combine(
        day, time(10, 0), tzinfo=PARIS
    )
    assert [r["key"] for r in problem["referrals"]] == ["sos-amitie"]
    count = await owner.fetchval(
        "SELECT count(*) FROM conversations c JOIN organisations o ON o.id = c.organisation_id "
        "WHERE o.slug = $1",
        tenant.slug,
    )
    assert count == 0
    # A French visitor goes to the general team, which follows the line's hours.
    french = await post_start(live_url, {"tenant": tenant.slug, "locale": "fr", "consent": True})
    assert (french.status_code, french.json()["team"]) == (201, "general")


# --- the queue --------------------------------------------------------------------------------


async def test_a_waiting_visitor_moves_up_when_someone_ahead_leaves(
    open_tenant: MakeTenant, start_visitor: StartVisitor
) -> None:
    tenant = await open_tenant()
    first, first_started = await start_visitor(tenant.slug)
    second, second_started = await start_visitor(tenant.slug)
    assert (first_started["position"], second_started["position"]) == (1, 2)
    assert (await second.of_type("queue"))["position"] == 2

    await first.send({"type": "end"})
    await first.of_type("state", state="abandoned")
    moved = await second.of_type("queue", conversation_id=second_started["conversation_id"])
    assert moved["position"] == 1


# --- the visitor ends -------------------------------------------------------------------------


async def test_a_visitor_who_leaves_the_queue_is_abandoned_and_drops_out_of_it(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    owner: Owner,
) -> None:
    tenant = await open_tenant()
    listener = await open_listener(tenant.slug)
    visitor, started = await start_visitor(tenant.slug)
    cid = started["conversation_id"]
    await listener.next(queue_snapshot(listing=cid))

    await visitor.send({"type": "end"})
    state = await visitor.of_type("state", conversation_id=cid)
    assert (state["state"], state["reason"]) == ("abandoned", "visitor")
    await listener.next(queue_snapshot(without=cid))
    row = await row_of(owner, cid)
    assert (row["state"], row["end_reason"], row["listener_id"]) == ("abandoned", "visitor", None)


async def test_a_visitor_who_ends_a_live_chat_ends_it_for_the_listener_too(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    owner: Owner,
) -> None:
    tenant = await open_tenant()
    visitor, listener, cid = await active_chat(tenant.slug, start_visitor, open_listener)

    await visitor.send({"type": "end"})
    assert (await visitor.of_type("state", state="ended"))["reason"] == "visitor"
    ended = await listener.next(
        lambda f: f["type"] == "state" and f["conversation_id"] == cid and f["state"] != "active"
    )
    assert ended["state"] == "ended"
    assert (await listener.of_type("unassigned", conversation_id=cid))["reason"] == "visitor"
    row = await row_of(owner, cid)
    assert (row["state"], row["end_reason"]) == ("ended", "visitor")
    assert row["ended_at"] is not None


async def test_a_quick_exit_tells_the_listener_the_visitor_left_in_a_hurry(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    owner: Owner,
) -> None:
    tenant = await open_tenant()
    visitor, listener, cid = await active_chat(tenant.slug, start_visitor, open_listener)

    await visitor.send({"type": "end", "quick_exit": True})
    assert (await visitor.of_type("state", state="ended"))["reason"] == "quick_exit"
    assert (await listener.of_type("unassigned", conversation_id=cid))["reason"] == "quick_exit"
    assert (await row_of(owner, cid))["end_reason"] == "quick_exit"


async def test_after_the_visitor_left_the_listener_still_records_the_wrapup_once(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    owner: Owner,
) -> None:
    tenant = await open_tenant()
    visitor, listener, cid = await active_chat(tenant.slug, start_visitor, open_listener)
    colleague = await open_listener(tenant.slug)
    await visitor.say("J'ai tout préparé pour ce soir")
    await visitor.send({"type": "end", "quick_exit": True})
    await listener.of_type("unassigned", conversation_id=cid)
    wrapup = {"topics": [], "risk_level": "imminent", "outcome": "emergency", "note": "Parti vite"}

    # Someone who never held it cannot write its wrap-up.
    await colleague.send({"type": "end", "conversation_id": cid, "wrapup": wrapup})
    assert (await colleague.of_type("error"))["code"] == "not_your_conversation"
    assert (await row_of(owner, cid))["wrapup"] is None

    await listener.send({"type": "end", "conversation_id": cid, "wrapup": wrapup})
    done = await listener.next(
        lambda f: f.get("conversation_id") == cid and f["type"] in ("unassigned", "error")
    )
    assert (done["type"], done.get("reason")) == ("unassigned", "listener")
    row = await row_of(owner, cid)
    assert (row["state"], row["end_reason"]) == ("ended", "quick_exit")  # the end is the visitor's
    stored = row["wrapup"] if isinstance(row["wrapup"], dict) else json.loads(row["wrapup"])
    assert (stored["risk_level"], stored["outcome"]) == ("imminent", "emergency")
    notes = await owner.fetchval(
        "SELECT count(*) FROM messages WHERE conversation_id = $1 AND kind = 'note'",
        uuid.UUID(cid),
    )
    assert notes == 1

    # Once only: a second wrap-up changes nothing.
    await listener.send(
        {"type": "end", "conversation_id": cid,
         "wrapup": {"topics": [], "risk_level": "none", "outcome": "other"}}
    )  # fmt: skip
    assert (await listener.of_type("error"))["code"] == "conversation_closed"
    again = await row_of(owner, cid)
    assert (
        json.loads(again["wrapup"]) if isinstance(again["wrapup"], str) else again["wrapup"]
    ) == stored


async def test_sending_after_the_end_is_refused_as_conversation_closed(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    owner: Owner,
) -> None:
    tenant = await open_tenant()
    visitor, _, cid = await active_chat(tenant.slug, start_visitor, open_listener)
    await visitor.say("Avant la fin")
    await visitor.send({"type": "end"})
    await visitor.of_type("state", state="ended")

    refused = await visitor.say("Après la fin")
    assert refused["type"] == "error"
    assert (refused["code"], refused["conversation_id"]) == ("conversation_closed", cid)
    assert (await row_of(owner, cid))["last_seq"] == 1
    stored = await owner.fetchval(
        "SELECT count(*) FROM messages WHERE conversation_id = $1", uuid.UUID(cid)
    )
    assert stored == 1


async def test_a_visitor_rates_once_from_one_to_five(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    owner: Owner,
) -> None:
    tenant = await open_tenant()
    visitor, _, cid = await active_chat(tenant.slug, start_visitor, open_listener)
    await visitor.send({"type": "end"})
    await visitor.of_type("state", state="ended")

    await visitor.send({"type": "rate", "rating": 6})
    assert (await visitor.of_type("error"))["code"] == "bad_frame"
    await visitor.send({"type": "rate", "rating": 0})
    assert (await visitor.of_type("error"))["code"] == "bad_frame"
    await round_trip(visitor)
    assert (await row_of(owner, cid))["rating"] is None

    await visitor.send({"type": "rate", "rating": 4})
    await round_trip(visitor)
    assert len(visitor.received("error")) == 2  # accepted: no answer but the pong
    assert (await row_of(owner, cid))["rating"] == 4

    await visitor.send({"type": "rate", "rating": 1})
    again = await visitor.of_type("error")
    assert (again["code"], again["conversation_id"]) == ("already_rated", cid)
    assert (await row_of(owner, cid))["rating"] == 4


# --- the listener ends ------------------------------------------------------------------------


async def test_the_listener_ends_with_a_wrapup_whose_note_stays_encrypted_and_staff_only(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    owner: Owner,
    settings: Settings,
) -> None:
    tenant = await open_tenant()
    visitor, listener, cid = await active_chat(tenant.slug, start_visitor, open_listener)
    await visitor.say("Je me sens seule ce soir")
    await listener.say(cid, "Je vous entends. Voici un numéro qui peut aider.")
    note = "Orientée vers SOS Amitié, rappeler demain"
    await listener.send(
        {
            "type": "end",
            "conversation_id": cid,
            "wrapup": {
                "topics": ["loneliness"],
                "risk_level": "elevated",
                "outcome": "referred",
                "note": note,
            },
        }
    )
    state = await visitor.of_type("state", state="ended")
    assert state["reason"] == "listener"
    assert (await listener.of_type("unassigned", conversation_id=cid))["reason"] == "listener"

    row = await row_of(owner, cid)
    assert (row["state"], row["end_reason"]) == ("ended", "listener")
    wrapup = row["wrapup"] if isinstance(row["wrapup"], dict) else json.loads(row["wrapup"])
    assert wrapup == {
        "topics": ["loneliness"],
        "risk_level": "elevated",
        "outcome": "referred",
        "by": str(await staff_id(owner, email_of(listener))),
    }
    assert note not in json.dumps(wrapup, ensure_ascii=False)

    stored = await owner.fetchrow(
        "SELECT seq, author_kind, key_id, body FROM messages "
        "WHERE conversation_id = $1 AND kind = 'note'",
        uuid.UUID(cid),
    )
    assert stored is not None
    assert (stored["seq"], stored["author_kind"]) == (3, "listener")
    body = bytes(stored["body"])
    assert note.encode() not in body
    assert b"SOS" not in body
    cipher = MessageCipher(settings.chat.message_keys)
    assert cipher.decrypt(uuid.UUID(cid), stored["key_id"], body) == note

    # The visitor's history, read again from the start, has the chat and never the note.
    live = len(visitor.received("message"))
    await visitor.send({"type": "sync", "last_seq": 0})
    await round_trip(visitor)
    assert [m["seq"] for m in visitor.received("message")[live:]] == [1, 2]
    assert all(note not in m["body"] and m["kind"] != "note" for m in visitor.received("message"))


async def test_a_note_written_during_the_chat_reaches_staff_on_sync_but_never_the_visitor(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
) -> None:
    tenant = await open_tenant()
    visitor, listener, cid = await active_chat(tenant.slug, start_visitor, open_listener)
    note = "Semble isolée, parle de son travail"
    await visitor.say("Bonsoir")
    await listener.send(
        {"type": "send", "conversation_id": cid, "client_id": str(uuid.uuid4()),
         "body": note, "kind": "note"}
    )  # fmt: skip
    assert (await listener.of_type("ack", conversation_id=cid))["seq"] == 2
    await listener.say(cid, "Bonsoir, je suis là")
    await visitor.of_type("message", seq=3)

    await listener.send({"type": "sync", "conversation_id": cid, "last_seq": 0})
    await round_trip(listener)
    synced = [m for m in listener.received("message") if m["conversation_id"] == cid][-3:]
    assert [(m["seq"], m["kind"]) for m in synced] == [(1, "text"), (2, "note"), (3, "text")]
    assert synced[1]["body"] == note

    await visitor.send({"type": "sync", "last_seq": 0})
    await round_trip(visitor)
    assert note not in [m["body"] for m in visitor.received("message")]
    assert {m["seq"] for m in visitor.received("message")} == {1, 3}


# --- transfers --------------------------------------------------------------------------------

# Both French: a new French chat goes to the first, "general".
GENERAL_AND_NIGHT = [
    {"slug": "general", "name": "General", "languages": ["fr"]},
    {"slug": "night", "name": "Night", "languages": ["fr"]},
]


async def test_a_transfer_to_a_colleague_hands_them_the_chat_with_its_whole_history(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    owner: Owner,
) -> None:
    tenant = await open_tenant()
    visitor, first, cid = await active_chat(tenant.slug, start_visitor, open_listener)
    colleague = await open_listener(tenant.slug)
    await set_presence(colleague, "available")
    colleague_id = await staff_id(owner, email_of(colleague))
    await visitor.say("Bonsoir")
    await first.say(cid, "Bonsoir, je suis là")
    await visitor.say("Je voudrais parler à quelqu'un d'autre")
    handover = "Préfère parler de ses études"

    await first.send(
        {"type": "transfer", "conversation_id": cid, "to_listener": str(colleague_id),
         "note": handover}
    )  # fmt: skip
    assert (await first.of_type("unassigned", conversation_id=cid))["reason"] == "transferred"
    handed = (await colleague.next(assigned(cid)))["conversation"]
    assert (handed["listener_id"], handed["state"]) == (str(colleague_id), "active")

    await colleague.send({"type": "sync", "conversation_id": cid, "last_seq": 0})
    await round_trip(colleague)
    assert messages(colleague, cid) == [
        (1, "visitor", "text", "Bonsoir"),
        (2, "listener", "text", "Bonsoir, je suis là"),
        (3, "visitor", "text", "Je voudrais parler à quelqu'un d'autre"),
        (4, "listener", "note", handover),
    ]

    # The colleague now holds the chat; the first listener no longer does.
    assert (await colleague.say(cid, "Bonsoir, je prends le relais"))["type"] == "ack"
    assert (await visitor.of_type("message", seq=5))["body"] == "Bonsoir, je prends le relais"
    assert handover not in [m["body"] for m in visitor.received("message")]
    refused = await first.say(cid, "Encore moi")
    assert refused["type"] == "error"
    assert refused["code"] in ("not_your_conversation", "conversation_not_found")
    row = await row_of(owner, cid)
    assert (row["state"], row["listener_id"], row["transfers"]) == ("active", colleague_id, 1)
    assert row["last_seq"] == 5


async def test_a_transfer_to_a_team_puts_the_chat_back_in_that_teams_queue(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    make_staff: MakeStaff,
    owner: Owner,
) -> None:
    tenant = await open_tenant(teams=GENERAL_AND_NIGHT)
    email = await make_staff(tenant.slug)
    await add_to_team(
        owner, staff_id=await staff_id(owner, email), organisation=tenant.slug, team="night"
    )
    visitor, first, cid = await active_chat(tenant.slug, start_visitor, open_listener)
    night = await open_listener(tenant.slug, email=email)
    assert cid not in {e["conversation_id"] for e in night.received("queue_snapshot")[0]["entries"]}

    await first.send({"type": "transfer", "conversation_id": cid, "to_team": "night"})
    assert (await first.of_type("unassigned", conversation_id=cid))["reason"] == "transferred"
    back = await visitor.of_type("state", state="queued")
    assert back["reason"] == "transferred"
    snapshot = await night.next(queue_snapshot(listing=cid))
    entry = next(e for e in snapshot["entries"] if e["conversation_id"] == cid)
    assert entry["team"] == "night"
    assert (await visitor.of_type("queue"))["position"] == 1
    row = await row_of(owner, cid)
    assert (row["state"], row["listener_id"], row["team"]) == ("queued", None, "night")

    # Someone of that team can take it again.
    await night.send({"type": "claim", "conversation_id": cid})
    assert (await night.next(assigned(cid)))["conversation"]["team"] == "night"
    await visitor.of_type("state", state="active")


async def test_transfers_to_both_to_neither_to_unknown_targets_or_to_oneself_are_invalid(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    owner: Owner,
) -> None:
    tenant = await open_tenant()
    _, listener, cid = await active_chat(tenant.slug, start_visitor, open_listener)
    colleague = await open_listener(tenant.slug)
    me = await staff_id(owner, email_of(listener))
    other = await staff_id(owner, email_of(colleague))
    for target in [
        {"to_listener": str(other), "to_team": "general"},
        {},
        {"to_team": "no-such-team"},
        {"to_listener": str(me)},
        {"to_listener": str(uuid.uuid4())},
    ]:
        await listener.send({"type": "transfer", "conversation_id": cid, **target})
        refused = await listener.of_type("error", conversation_id=cid)
        assert refused["code"] == "invalid_transfer", target
    row = await row_of(owner, cid)
    assert (row["state"], row["listener_id"], row["transfers"]) == ("active", me, 0)
    assert listener.received("unassigned") == []
    assert colleague.received("assigned") == []


async def test_a_transfer_to_a_colleague_away_full_or_of_another_team_is_refused(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    make_staff: MakeStaff,
    owner: Owner,
) -> None:
    """The colleague has the chat at once: as for a claim of theirs, they must be available,
    have room and answer for its team; otherwise nothing changes and the listener keeps it."""
    tenant = await open_tenant(teams=GENERAL_AND_NIGHT)
    visitor, listener, cid = await active_chat(tenant.slug, start_visitor, open_listener)
    assert (await row_of(owner, cid))["team"] == "general"
    me = await staff_id(owner, email_of(listener))

    away = await open_listener(tenant.slug)  # a console opens away
    full = await open_listener(tenant.slug)
    await set_presence(full, "available")
    full_id = await staff_id(owner, email_of(full))
    await owner.execute("UPDATE memberships SET capacity = 1 WHERE staff_id = $1", full_id)
    _, held = await start_visitor(tenant.slug)
    await full.next(queue_snapshot(listing=held["conversation_id"]))
    await full.send({"type": "claim", "conversation_id": held["conversation_id"]})
    await full.next(assigned(held["conversation_id"]))
    night_email = await make_staff(tenant.slug)
    night_id = await staff_id(owner, night_email)
    await add_to_team(owner, staff_id=night_id, organisation=tenant.slug, team="night")
    night = await open_listener(tenant.slug, email=night_email)
    await set_presence(night, "available")

    for colleague, code, details in [
        (away, "colleague_unavailable", None),
        (full, "colleague_full", {"capacity": 1}),
        (night, "colleague_other_team", None),
    ]:
        target = await staff_id(owner, email_of(colleague))
        await listener.send({"type": "transfer", "conversation_id": cid,
                             "to_listener": str(target), "note": "à suivre"})  # fmt: skip
        refused = await listener.of_type("error", conversation_id=cid)
        assert (refused["code"], refused.get("details")) == (code, details)
        assert refused["message"]  # the console shows the server's sentence

    row = await row_of(owner, cid)
    assert (row["state"], row["listener_id"], row["transfers"]) == ("active", me, 0)
    notes = await owner.fetchval(
        "SELECT count(*) FROM messages WHERE conversation_id = $1 AND kind = 'note'",
        uuid.UUID(cid),
    )
    assert notes == 0  # no hand-over note without the hand-over
    assert listener.received("unassigned") == []
    for colleague in (away, full, night):
        assert cid not in [
            f["conversation"]["conversation_id"] for f in colleague.received("assigned")
        ]
    # The listener still holds it: the visitor still gets their messages.
    assert (await listener.say(cid, "Je suis toujours là"))["type"] == "ack"
    assert (await visitor.of_type("message", body="Je suis toujours là"))["author"] == "listener"


async def someone_waits_for_an_advisory_lock(owner: Owner) -> bool:
    return bool(
        await owner.fetchval(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE wait_event = 'advisory' AND datname = current_database()"
        )
    )


async def test_a_transfer_waits_for_a_claim_under_way_for_that_colleague_and_sees_it(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    owner: Owner,
) -> None:
    """A claim and a transfer to the same person take turns: a transfer that comes while the
    colleague's claim holds their lock waits for it, then finds their last place taken."""
    tenant = await open_tenant()
    _, listener, cid = await active_chat(tenant.slug, start_visitor, open_listener)
    me = await staff_id(owner, email_of(listener))
    colleague = await open_listener(tenant.slug)
    await set_presence(colleague, "available")
    colleague_id = await staff_id(owner, email_of(colleague))
    await owner.execute("UPDATE memberships SET capacity = 1 WHERE staff_id = $1", colleague_id)
    _, other = await start_visitor(tenant.slug)

    async with owner.transaction():
        # The colleague's claim under way: its first step (ConversationService.lock_capacity)...
        await owner.execute("SELECT pg_advisory_xact_lock(hashtext($1))", str(colleague_id))
        await listener.send(
            {"type": "transfer", "conversation_id": cid, "to_listener": str(colleague_id)}
        )
        await eventually(lambda: someone_waits_for_an_advisory_lock(owner))
        # ...and its last: their one place is taken when it commits.
        await owner.execute(
            "UPDATE conversations SET state = 'active', listener_id = $2, assigned_at = now() "
            "WHERE id = $1",
            uuid.UUID(other["conversation_id"]),
            colleague_id,
        )
    refused = await listener.of_type("error", conversation_id=cid)
    assert (refused["code"], refused["details"]) == ("colleague_full", {"capacity": 1})
    row = await row_of(owner, cid)
    assert (row["state"], row["listener_id"], row["transfers"]) == ("active", me, 0)


# --- listener tools ---------------------------------------------------------------------------


async def test_extending_moves_the_session_limit_fifteen_minutes_later_once(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    owner: Owner,
) -> None:
    tenant = await open_tenant()
    _, listener, cid = await active_chat(tenant.slug, start_visitor, open_listener)
    before = await row_of(owner, cid)
    assert before["extended"] is False

    await listener.send({"type": "extend", "conversation_id": cid})
    await round_trip(listener)
    after = await row_of(owner, cid)
    assert after["session_ends_at"] - before["session_ends_at"] == timedelta(minutes=15)
    assert after["extended"] is True

    await listener.send({"type": "extend", "conversation_id": cid})
    assert (await listener.of_type("error", conversation_id=cid))["code"] == "cannot_extend"
    assert (await row_of(owner, cid))["session_ends_at"] == after["session_ends_at"]


async def test_a_listener_setting_the_risk_tells_staff_with_listener_among_the_reasons(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    owner: Owner,
) -> None:
    tenant = await open_tenant()
    visitor, listener, cid = await active_chat(tenant.slug, start_visitor, open_listener)

    await listener.send({"type": "set_risk", "conversation_id": cid, "level": "high"})
    risk = await listener.of_type("risk", conversation_id=cid)
    assert risk["level"] == "high"
    assert "listener" in risk["reasons"]
    row = await row_of(owner, cid)
    assert (row["risk_level"], row["risk_set_by"]) == (
        "high",
        await staff_id(owner, email_of(listener)),
    )

    # The visitor is not told: the next frame on the conversation reaches them, the risk not.
    await listener.say(cid, "Je reste avec vous")
    await visitor.of_type("message", seq=1)
    assert visitor.received("risk") == []


# --- reconnecting -----------------------------------------------------------------------------


async def test_a_reconnecting_visitor_gets_exactly_the_messages_after_its_last_seq_in_order(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    reopen_visitor: Callable[..., Any],
) -> None:
    tenant = await open_tenant()
    listener = await open_listener(tenant.slug)
    visitor, started = await start_visitor(tenant.slug)
    cid, token = started["conversation_id"], started["token"]
    await listener.next(queue_snapshot(listing=cid))
    await listener.send({"type": "claim", "conversation_id": cid})
    await listener.next(assigned(cid))
    await visitor.say("un")
    await listener.say(cid, "deux")
    await visitor.say("trois")
    await visitor.close()
    # Said while the visitor was away.
    await listener.say(cid, "quatre")
    await listener.say(cid, "cinq")

    again = await reopen_visitor(token, last_seq=2)
    assert again.received("welcome")[0]["last_seq"] == 5
    await again.of_type("message", seq=5)
    await round_trip(again)
    assert messages(again, cid) == [
        (3, "visitor", "text", "trois"),
        (4, "listener", "text", "quatre"),
        (5, "listener", "text", "cinq"),
    ]


async def test_a_reconnecting_console_is_assigned_its_live_chats_again(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    owner: Owner,
) -> None:
    tenant = await open_tenant()
    visitor, listener, cid = await active_chat(tenant.slug, start_visitor, open_listener)
    await visitor.say("Vous êtes toujours là ?")
    await listener.close()

    again = await open_listener(tenant.slug, email=email_of(listener))
    [held] = [f["conversation"] for f in again.received("assigned")]
    assert (held["conversation_id"], held["state"], held["last_seq"]) == (cid, "active", 1)
    assert (await row_of(owner, cid))["state"] == "active"

    assert (await again.say(cid, "Oui, je suis là"))["seq"] == 2
    assert (await visitor.of_type("message", seq=2))["body"] == "Oui, je suis là"


async def test_a_reconnecting_console_gets_each_message_once_even_one_sent_before_its_sync(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
) -> None:
    tenant = await open_tenant()
    visitor, listener, cid = await active_chat(tenant.slug, start_visitor, open_listener)
    await visitor.say("un")
    await listener.say(cid, "deux")
    await listener.close()
    await visitor.say("trois")  # while the console is away

    again = await open_listener(tenant.slug, email=email_of(listener))
    assert [f["conversation"]["last_seq"] for f in again.received("assigned")] == [3]
    # Before the console asks for what it missed, the visitor writes again (a live frame).
    await visitor.say("quatre")
    await again.of_type("message", seq=4)
    await again.send({"type": "sync", "conversation_id": cid, "last_seq": 2})
    await again.of_type("message", seq=3)
    await round_trip(again)
    seqs = sorted(f["seq"] for f in again.received("message"))
    assert seqs == [3, 4]


async def test_a_listener_raising_a_queued_visitors_risk_reorders_every_consoles_queue(
    open_tenant: MakeTenant, start_visitor: StartVisitor, open_listener: OpenListener
) -> None:
    tenant = await open_tenant()
    _, earlier = await start_visitor(tenant.slug)
    later_visitor, later = await start_visitor(tenant.slug)
    first, second = earlier["conversation_id"], later["conversation_id"]
    triage = await open_listener(tenant.slug)
    colleague = await open_listener(tenant.slug)
    assert [e["conversation_id"] for e in colleague.received("queue_snapshot")[0]["entries"]] == [
        first,
        second,
    ]

    await triage.send({"type": "set_risk", "conversation_id": second, "level": "high"})
    reordered = await colleague.next(
        lambda f: (
            f["type"] == "queue_snapshot"
            and [e["conversation_id"] for e in f["entries"]] == [second, first]
        )
    )
    assert reordered["entries"][0]["risk_level"] == "high"
    # The visitor whose risk went up is now first in line.
    assert (await later_visitor.of_type("queue", position=1))["conversation_id"] == second
