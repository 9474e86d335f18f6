"""What the sockets refuse and what they protect: hello first, tokens, malformed frames, bodies
encrypted at rest, tenants kept apart, one winner per claim, capacity."""

from __future__ import annotations

import asyncio
import base64
import json
import secrets
import time
import uuid
from collections.abc import Iterator
from typing import Any, TypeAlias

import asyncpg
import httpx
import msgspec
import pytest
from websockets.asyncio.client import connect

from server.auth import Tokens
from server.crypto import MessageCipher, UndecryptableMessage
from server.settings import AuthSettings, Settings
from server.staff.accounts import create_staff
from tests.conftest import MakeStaff, MakeTenant, serve_in_thread
from tests.conversations.clients import (
    Client,
    Console,
    Frame,
    havre_origin,
    open_console,
    open_visitor,
)
from tests.conversations.conftest import OpenListener, StartVisitor, access_token

Owner: TypeAlias = "asyncpg.Connection[asyncpg.Record]"


async def raw_socket(host: str, path: str, **headers: str) -> Client:
    """A socket that has said nothing yet (the visitor's from Havre's own page, as the widget)."""
    if path == "/ws/visitor":
        headers.setdefault("Origin", havre_origin(host))
    return Client(await connect(f"ws://{host}{path}", additional_headers=headers))


async def start_conversation(live_url: str, tenant: str) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=live_url) as http:
        response = await http.post(
            "/api/conversations", json={"tenant": tenant, "locale": "fr", "consent": True}
        )
    assert response.status_code == 201, response.text
    started: dict[str, Any] = response.json()
    return started


def tenant_of(settings: Settings, visitor_token: str) -> str:
    return str(Tokens(settings.auth).verify(visitor_token, "visitor")["tid"])


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unsigned(header: dict[str, Any], payload: dict[str, Any]) -> str:
    """An `alg: none` JWT: header and payload, and an empty signature."""
    return f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(payload).encode())}."


def foreign_tokens(kid: str) -> Tokens:
    return Tokens(AuthSettings(jwt_keys=((kid, secrets.token_urlsafe(40)),), csrf_secret="x" * 40))


# --- hello first ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/ws/visitor", "/ws/console"])
@pytest.mark.parametrize(
    "first",
    [
        json.dumps({"type": "ping"}),
        json.dumps({"type": "hello", "token": 42}),
        "certainly not json",
        "",
    ],
    ids=["another_frame", "hello_with_wrong_field_type", "garbage", "empty"],
)
async def test_a_first_frame_that_is_not_a_valid_hello_closes_with_4400(
    live_host: str, path: str, first: str
) -> None:
    client = await raw_socket(live_host, path)
    await client.connection.send(first)
    code, _ = await client.closed()
    assert code == 4400


@pytest.mark.parametrize("last_seq", [2**31, 2**63])
async def test_a_hello_with_a_sequence_number_past_the_column_closes_with_4400(
    open_tenant: MakeTenant, start_visitor: StartVisitor, live_host: str, last_seq: int
) -> None:
    tenant = await open_tenant()
    _, started = await start_visitor(tenant.slug)
    client = await raw_socket(live_host, "/ws/visitor")
    await client.send({"type": "hello", "token": started["token"], "last_seq": last_seq})
    code, _ = await client.closed()
    assert code == 4400
    assert client.received("welcome") == []


@pytest.fixture(scope="module")
def impatient_host(settings: Settings) -> Iterator[str]:
    """A live Havre that waits half a second for hello."""
    chat = msgspec.structs.replace(settings.chat, hello_timeout_seconds=0.5)
    with serve_in_thread(msgspec.structs.replace(settings, chat=chat)) as host:
        yield host


@pytest.mark.parametrize("path", ["/ws/visitor", "/ws/console"])
async def test_no_hello_within_the_hello_timeout_closes_with_4408(
    impatient_host: str, path: str
) -> None:
    client = await raw_socket(impatient_host, path)
    code, reason = await client.closed()
    assert (code, reason) == (4408, "hello expected")


# --- visitor tokens ---------------------------------------------------------------------------


def bad_visitor_token(kind: str, settings: Settings, cid: str, tid: str) -> str:
    signing_kid = settings.auth.jwt_keys[0][0]
    claims = {"sub": cid, "typ": "visitor", "tid": tid, "exp": int(time.time()) + 600}
    if kind == "expired":
        return Tokens(settings.auth).issue("visitor", cid, -60, tid=tid)
    if kind == "another_key":
        return foreign_tokens(signing_kid).issue("visitor", cid, 600, tid=tid)
    if kind == "unknown_kid":
        return foreign_tokens("nobody").issue("visitor", cid, 600, tid=tid)
    if kind == "alg_none":
        return unsigned({"alg": "none", "typ": "JWT"}, claims)
    if kind == "alg_none_with_a_known_kid":
        return unsigned({"alg": "none", "typ": "JWT", "kid": signing_kid}, claims)
    if kind == "staff_access_token":
        return Tokens(settings.auth).issue("access", cid, 600, tid=tid)
    if kind == "no_tenant_claim":
        return Tokens(settings.auth).issue("visitor", cid, 600)
    return {"garbage": "garbage", "empty": ""}[kind]


@pytest.mark.parametrize(
    "kind",
    [
        "expired",
        "another_key",
        "unknown_kid",
        "alg_none",
        "alg_none_with_a_known_kid",
        "staff_access_token",
        "no_tenant_claim",
        "garbage",
        "empty",
    ],
)
async def test_a_bad_visitor_token_closes_with_4401(
    open_tenant: MakeTenant, live_url: str, live_host: str, settings: Settings, kind: str
) -> None:
    tenant = await open_tenant()
    started = await start_conversation(live_url, tenant.slug)
    token = bad_visitor_token(
        kind, settings, started["conversation_id"], tenant_of(settings, started["token"])
    )
    client = await raw_socket(live_host, "/ws/visitor")
    await client.send({"type": "hello", "token": token})
    code, reason = await client.closed()
    assert (code, reason) == (4401, "invalid_token")
    assert client.received("welcome") == []


async def test_a_genuine_token_naming_another_tenant_finds_no_conversation_4404(
    open_tenant: MakeTenant, live_url: str, live_host: str, settings: Settings
) -> None:
    tenant_a, tenant_b = await open_tenant(), await open_tenant()
    in_a = await start_conversation(live_url, tenant_a.slug)
    in_b = await start_conversation(live_url, tenant_b.slug)
    tokens = Tokens(settings.auth)
    cid = in_a["conversation_id"]

    forged = tokens.issue("visitor", cid, 60, tid=tenant_of(settings, in_b["token"]))
    client = await raw_socket(live_host, "/ws/visitor")
    await client.send({"type": "hello", "token": forged})
    assert await client.closed() == (4404, "conversation_not_found")

    # The same token with the right tenant is accepted: only the tenant made the difference.
    genuine = tokens.issue("visitor", cid, 60, tid=tenant_of(settings, in_a["token"]))
    visitor = await open_visitor(live_host, genuine)
    assert visitor.conversation_id == cid
    await visitor.close()


async def test_a_token_for_one_conversation_never_gives_another_ones_messages(
    open_tenant: MakeTenant, start_visitor: StartVisitor, live_host: str
) -> None:
    tenant = await open_tenant()
    x, started_x = await start_visitor(tenant.slug)
    y, started_y = await start_visitor(tenant.slug)
    cid_x, cid_y = started_x["conversation_id"], started_y["conversation_id"]
    assert (await y.say("Seulement pour Y"))["type"] == "ack"
    assert (await x.say("Seulement pour X"))["type"] == "ack"

    # Naming Y in a frame does not make X's socket read Y.
    await x.send({"type": "sync", "last_seq": 0, "conversation_id": cid_y})
    await x.send({"type": "read", "seq": 1, "conversation_id": cid_y})
    await x.send({"type": "ping"})
    await x.of_type("pong")
    # Nor does reconnecting with X's token.
    again = await open_visitor(live_host, started_x["token"])
    await again.send({"type": "ping"})
    await again.of_type("pong")
    await again.close()

    for client in (x, again):
        messages = client.received("message")
        assert messages, "the conversation's own message was delivered"
        assert {m["conversation_id"] for m in messages} == {cid_x}
        assert "Seulement pour Y" not in json.dumps(client.frames)
    assert "Seulement pour X" not in json.dumps(y.frames)


# --- console authentication -------------------------------------------------------------------


@pytest.mark.parametrize("own_origin", [False, True], ids=["no_origin", "havre_origin"])
async def test_a_console_hello_without_token_or_cookie_closes_with_4401(
    live_host: str, own_origin: bool
) -> None:
    headers = {"Origin": f"http://{live_host}"} if own_origin else {}
    client = await raw_socket(live_host, "/ws/console", **headers)
    await client.send({"type": "hello"})
    assert await client.closed() == (4401, "invalid_token")


async def test_a_session_cookie_is_refused_from_a_foreign_origin_and_accepted_from_havres(
    open_tenant: MakeTenant, make_staff: MakeStaff, live_url: str, live_host: str
) -> None:
    tenant = await open_tenant()
    cookie = f"havre_access={await access_token(live_url, await make_staff(tenant.slug))}"

    foreign = await raw_socket(
        live_host, "/ws/console", Cookie=cookie, Origin="https://evil.example"
    )
    await foreign.send({"type": "hello"})
    assert await foreign.closed() == (4401, "invalid_token")

    own = await raw_socket(live_host, "/ws/console", Cookie=cookie, Origin=f"http://{live_host}")
    await own.send({"type": "hello"})
    await own.of_type("queue_snapshot")
    await own.close()


async def test_a_visitor_token_does_not_open_the_console(
    open_tenant: MakeTenant, live_url: str, live_host: str
) -> None:
    tenant = await open_tenant()
    started = await start_conversation(live_url, tenant.slug)
    client = await raw_socket(live_host, "/ws/console")
    await client.send({"type": "hello", "token": started["token"]})
    assert await client.closed() == (4401, "invalid_token")


async def test_an_admin_only_account_may_listen_because_roles_are_hierarchical(
    open_tenant: MakeTenant, start_visitor: StartVisitor, open_listener: OpenListener
) -> None:
    tenant = await open_tenant()
    _, started = await start_visitor(tenant.slug)
    admin = await open_listener(tenant.slug, "admin")
    snapshot = admin.received("queue_snapshot")[0]
    assert [e["conversation_id"] for e in snapshot["entries"]] == [started["conversation_id"]]
    await admin.send({"type": "claim", "conversation_id": started["conversation_id"]})
    assigned = await admin.of_type("assigned")
    assert assigned["conversation"]["conversation_id"] == started["conversation_id"]


async def test_an_account_with_no_active_membership_anywhere_closes_with_4403(
    open_tenant: MakeTenant, make_staff: MakeStaff, owner: Owner, live_url: str, live_host: str
) -> None:
    tenant = await open_tenant()
    email = await make_staff(tenant.slug, "supervisor")
    token = await access_token(live_url, email)
    await owner.execute(
        "UPDATE memberships SET is_active = false "
        "WHERE staff_id = (SELECT id FROM staff_users WHERE email = $1)",
        email,
    )
    client = await raw_socket(live_host, "/ws/console")
    await client.send({"type": "hello", "token": token})
    assert await client.closed() == (4403, "no line to serve")


# --- malformed frames after hello -------------------------------------------------------------

MALFORMED_VISITOR_FRAMES: dict[str, str | bytes] = {
    "not_json": '{"type": "send", "body": ',
    "unknown_type": json.dumps({"type": "shout", "body": "hé"}),
    "missing_type": json.dumps({"client_id": str(uuid.uuid4()), "body": "hé"}),
    "wrong_field_type": json.dumps({"type": "send", "client_id": str(uuid.uuid4()), "body": 42}),
    "unknown_field": json.dumps(
        {"type": "send", "client_id": str(uuid.uuid4()), "body": "hé", "colour": "blue"}
    ),
    "missing_field": json.dumps({"type": "send", "body": "hé"}),
    "empty_body": json.dumps({"type": "send", "client_id": str(uuid.uuid4()), "body": ""}),
    "body_over_the_frame_limit": json.dumps(
        {"type": "send", "client_id": str(uuid.uuid4()), "body": "a" * 20001}
    ),
    "bad_uuid": json.dumps({"type": "send", "client_id": "not-a-uuid", "body": "hé"}),
    "rating_out_of_range": json.dumps({"type": "rate", "rating": 6}),
    "negative_seq": json.dumps({"type": "sync", "last_seq": -1}),
    "seq_past_the_column": json.dumps({"type": "sync", "last_seq": 2**31}),
    "read_seq_of_64_bits": json.dumps({"type": "read", "seq": 2**63}),
    # Nested past the interpreter's stack, before the tag is even read.
    "deeply_nested": '{"zz": ' + "[" * 5000 + "]" * 5000 + ', "type": "ping"}',
    "invalid_utf8": b'{"type": "ping", "x": "\xff"}',  # as a binary frame
}


@pytest.mark.parametrize("raw", MALFORMED_VISITOR_FRAMES.values(), ids=MALFORMED_VISITOR_FRAMES)
async def test_a_malformed_visitor_frame_is_answered_bad_frame_and_the_socket_stays_usable(
    open_tenant: MakeTenant, start_visitor: StartVisitor, owner: Owner, raw: str | bytes
) -> None:
    tenant = await open_tenant()
    visitor, started = await start_visitor(tenant.slug)
    await visitor.connection.send(raw)
    error = await visitor.of_type("error")
    assert error["code"] == "bad_frame"
    stored = await owner.fetchval(
        "SELECT count(*) FROM messages WHERE conversation_id = $1",
        uuid.UUID(started["conversation_id"]),
    )
    assert stored == 0
    ack = await visitor.say("Toujours là")
    assert (ack["type"], ack["seq"]) == ("ack", 1)


async def test_a_body_over_the_configured_maximum_is_refused_and_nothing_is_stored(
    open_tenant: MakeTenant, start_visitor: StartVisitor, owner: Owner, settings: Settings
) -> None:
    tenant = await open_tenant()
    visitor, started = await start_visitor(tenant.slug)
    limit = settings.chat.max_message_chars
    client_id = str(uuid.uuid4())

    refused = await visitor.say("é" * (limit + 1), client_id)
    assert refused["type"] == "error"
    assert refused["code"] == "message_too_long"
    assert refused["conversation_id"] == started["conversation_id"]
    assert refused["details"] == {"max_chars": limit}  # the widget can say how long
    assert not await owner.fetchval(
        "SELECT count(*) FROM messages WHERE client_id = $1", uuid.UUID(client_id)
    )
    at_limit = await visitor.say("é" * limit)
    assert (at_limit["type"], at_limit["seq"]) == ("ack", 1)


MALFORMED_CONSOLE_FRAMES: dict[str, str] = {
    "not_json": "[[[",
    "unknown_type": json.dumps({"type": "dance"}),
    "bad_uuid": json.dumps({"type": "claim", "conversation_id": "42"}),
    "unknown_field": json.dumps({"type": "ping", "extra": True}),
    "whisper_is_not_a_console_kind": json.dumps(
        {
            "type": "send",
            "conversation_id": str(uuid.uuid4()),
            "client_id": str(uuid.uuid4()),
            "body": "psst",
            "kind": "whisper",
        }
    ),
    "unknown_risk_level": json.dumps(
        {"type": "set_risk", "conversation_id": str(uuid.uuid4()), "level": "apocalyptic"}
    ),
    "deeply_nested": '{"zz": ' + "[" * 5000 + "]" * 5000 + ', "type": "ping"}',
}


async def test_malformed_console_frames_are_answered_bad_frame_and_the_socket_stays_usable(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
) -> None:
    tenant = await open_tenant()
    listener = await open_listener(tenant.slug)
    _, started = await start_visitor(tenant.slug)
    cid = started["conversation_id"]
    # Frames are answered in order, so each error belongs to the frame just sent.
    for name, raw in MALFORMED_CONSOLE_FRAMES.items():
        await listener.connection.send(raw)
        assert (await listener.of_type("error"))["code"] == "bad_frame", name

    await listener.send({"type": "claim", "conversation_id": cid})
    await listener.of_type("assigned")
    ack = await listener.say(cid, "Bonsoir")
    assert (ack["type"], ack["seq"]) == ("ack", 1)


async def test_a_nul_in_a_console_text_stored_in_clear_is_refused_and_changes_nothing(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    owner: Owner,
) -> None:
    tenant = await open_tenant()
    listener = await open_listener(tenant.slug)
    _, started = await start_visitor(tenant.slug)
    cid = started["conversation_id"]
    await listener.send({"type": "claim", "conversation_id": cid})
    await listener.of_type("assigned")
    wrapup = {"topics": ["a\u0000b"], "risk_level": "none", "outcome": "supported"}
    for frame in (
        {"type": "transfer", "conversation_id": cid, "to_team": "a\u0000b"},
        {"type": "end", "conversation_id": cid, "wrapup": wrapup},
    ):
        await listener.send(frame)  # the NUL travels as \\u0000 in the JSON
        assert (await listener.of_type("error"))["code"] == "invalid_text"
    row = await owner.fetchrow(
        "SELECT state, wrapup, transfers FROM conversations WHERE id = $1", uuid.UUID(cid)
    )
    assert (row["state"], row["wrapup"], row["transfers"]) == ("active", None, 0)
    assert (await listener.say(cid, "Toujours là"))["type"] == "ack"


# --- encryption at rest -----------------------------------------------------------------------


async def sent_row(owner: Owner, cid: str, seq: int) -> asyncpg.Record:
    row = await owner.fetchrow(
        "SELECT key_id, body FROM messages WHERE conversation_id = $1 AND seq = $2",
        uuid.UUID(cid),
        seq,
    )
    assert row is not None
    return row


async def test_message_bodies_are_encrypted_at_rest_with_the_first_key(
    open_tenant: MakeTenant, start_visitor: StartVisitor, owner: Owner, settings: Settings
) -> None:
    tenant = await open_tenant()
    visitor, started = await start_visitor(tenant.slug)
    cid = started["conversation_id"]
    text = "Je m'appelle Camille et personne ne le sait"
    await visitor.say(text)

    row = await sent_row(owner, cid, 1)
    body = bytes(row["body"])
    for clear in (text.encode(), b"Camille", text.encode("utf-16-le"), base64.b64encode(b"Cam")):
        assert clear not in body
    assert row["key_id"] == settings.chat.message_keys[0][0]
    cipher = MessageCipher(settings.chat.message_keys)
    assert cipher.decrypt(uuid.UUID(cid), row["key_id"], body) == text


async def test_a_body_cannot_be_read_with_another_key_nor_under_another_conversation(
    open_tenant: MakeTenant, start_visitor: StartVisitor, owner: Owner, settings: Settings
) -> None:
    tenant = await open_tenant()
    visitor, started = await start_visitor(tenant.slug)
    cid = uuid.UUID(started["conversation_id"])
    await visitor.say("Un secret")
    row = await sent_row(owner, str(cid), 1)
    kid = row["key_id"]

    impostor = MessageCipher(((kid, secrets.token_bytes(32)),))
    with pytest.raises(UndecryptableMessage):
        impostor.decrypt(cid, kid, bytes(row["body"]))
    genuine = MessageCipher(settings.chat.message_keys)
    with pytest.raises(UndecryptableMessage):
        genuine.decrypt(uuid.uuid4(), kid, bytes(row["body"]))  # moved to another conversation
    with pytest.raises(UndecryptableMessage):
        genuine.decrypt(cid, "retired", bytes(row["body"]))


async def test_after_key_rotation_old_rows_still_decrypt_and_new_ones_use_the_new_key(
    open_tenant: MakeTenant, start_visitor: StartVisitor, owner: Owner, settings: Settings
) -> None:
    tenant = await open_tenant()
    visitor, started = await start_visitor(tenant.slug)
    cid = started["conversation_id"]
    await visitor.say("Écrit avant la rotation")
    old = await sent_row(owner, cid, 1)
    await visitor.close()  # the session's server cannot read what the rotated one writes

    rotated_keys = (("m-new", secrets.token_bytes(32)), *settings.chat.message_keys)
    rotated = MessageCipher(rotated_keys)
    assert rotated.decrypt(uuid.UUID(cid), old["key_id"], bytes(old["body"])) == (
        "Écrit avant la rotation"
    )

    # A live server with the rotated keys replays the old message and seals new ones anew.
    chat = msgspec.structs.replace(settings.chat, message_keys=rotated_keys)
    with serve_in_thread(msgspec.structs.replace(settings, chat=chat)) as host:
        again = await open_visitor(host, started["token"])
        replayed = await again.of_type("message", seq=1)
        assert replayed["body"] == "Écrit avant la rotation"
        assert (await again.say("Écrit après la rotation"))["seq"] == 2
        await again.close()
    new = await sent_row(owner, cid, 2)
    assert new["key_id"] == "m-new"
    assert rotated.decrypt(uuid.UUID(cid), "m-new", bytes(new["body"])) == (
        "Écrit après la rotation"
    )


# --- tenants apart; queue entries carry no text -----------------------------------------------


async def test_a_listener_never_receives_another_tenants_queue_entries_or_messages(
    open_tenant: MakeTenant, start_visitor: StartVisitor, open_listener: OpenListener
) -> None:
    ours, theirs = await open_tenant(), await open_tenant()
    listener = await open_listener(ours.slug)
    colleague = await open_listener(theirs.slug)

    their_visitor, their_started = await start_visitor(theirs.slug)
    their_cid = their_started["conversation_id"]
    await colleague.send({"type": "claim", "conversation_id": their_cid})
    await colleague.of_type("assigned")
    await their_visitor.say("Ceci ne concerne que leur ligne")
    await colleague.of_type("message", conversation_id=their_cid, seq=1)
    await colleague.say(their_cid, "Réponse de leur écoutant")

    our_visitor, our_started = await start_visitor(ours.slug)
    our_cid = our_started["conversation_id"]
    await listener.next(
        lambda f: (
            f["type"] == "queue_snapshot"
            and any(e["conversation_id"] == our_cid for e in f["entries"])
        )
    )
    await listener.send({"type": "claim", "conversation_id": our_cid})
    await listener.of_type("assigned")
    await our_visitor.say("Chez nous")
    await listener.of_type("message", conversation_id=our_cid, seq=1)
    # Their listener's view is the mirror image.
    await their_visitor.say("Encore chez eux")
    await colleague.of_type("message", conversation_id=their_cid, seq=3)

    entries = [e for s in listener.received("queue_snapshot") for e in s["entries"]]
    assert {e["tenant"] for e in entries} == {ours.slug}
    assert {m["conversation_id"] for m in listener.received("message")} == {our_cid}
    assert their_cid not in json.dumps(listener.frames)
    assert our_cid not in json.dumps(colleague.frames)


QUEUE_ENTRY_KEYS = {
    "conversation_id", "tenant", "tenant_name", "team", "topic", "locale", "risk_level",
    "waiting_seconds", "left",
}  # fmt: skip


async def test_queue_entries_carry_no_text_of_the_conversation(
    open_tenant: MakeTenant, start_visitor: StartVisitor, open_listener: OpenListener
) -> None:
    tenant = await open_tenant()
    listener = await open_listener(tenant.slug)
    visitor, started = await start_visitor(tenant.slug)
    cid = started["conversation_id"]
    # A risky message while queued re-orders the queue, and so sends a new snapshot.
    await visitor.say("Je m'appelle Camille et je veux mourir")
    snapshot = await listener.next(
        lambda f: (
            f["type"] == "queue_snapshot"
            and any(e["conversation_id"] == cid and e["risk_level"] == "high" for e in f["entries"])
        )
    )
    for entry in snapshot["entries"]:
        assert set(entry) == QUEUE_ENTRY_KEYS
    for frame in listener.frames:
        assert "Camille" not in json.dumps(frame)
        assert "mourir" not in json.dumps(frame)


# --- claims: one winner, capacity -------------------------------------------------------------


def claim_answer(cid: str) -> Any:
    def matches(f: Frame) -> bool:
        if f["type"] == "assigned":
            return bool(f["conversation"]["conversation_id"] == cid)
        return f["type"] == "error" and f.get("conversation_id") == cid

    return matches


async def test_fifty_simultaneous_claims_have_exactly_one_winner(
    open_tenant: MakeTenant, owner: Owner, settings: Settings, live_url: str, live_host: str
) -> None:
    tenant = await open_tenant()
    tokens = Tokens(settings.auth)
    staff_ids = [
        await create_staff(
            owner,
            email=f"claimant-{n}-{secrets.token_hex(3)}@{tenant.slug}.example",
            organisation=tenant.slug,
            role="listener",
            password=None,
        )
        for n in range(50)
    ]
    consoles: list[Console] = list(
        await asyncio.gather(
            *(open_console(live_host, tokens.issue("access", str(s), 600)) for s in staff_ids)
        )
    )
    try:
        cid = (await start_conversation(live_url, tenant.slug))["conversation_id"]
        await asyncio.gather(
            *(
                c.next(
                    lambda f: (
                        f["type"] == "queue_snapshot"
                        and any(e["conversation_id"] == cid for e in f["entries"])
                    )
                )
                for c in consoles
            )
        )
        await asyncio.gather(*(c.send({"type": "claim", "conversation_id": cid}) for c in consoles))
        answers = await asyncio.gather(*(c.next(claim_answer(cid)) for c in consoles))

        winners = [i for i, a in enumerate(answers) if a["type"] == "assigned"]
        assert len(winners) == 1
        assert (
            sorted(a.get("code", "") for a in answers if a["type"] == "error")
            == ["already_taken"] * 49
        )
        rows = await owner.fetch(
            "SELECT state, listener_id FROM conversations WHERE id = $1", uuid.UUID(cid)
        )
        assert [(r["state"], r["listener_id"]) for r in rows] == [("active", staff_ids[winners[0]])]
    finally:
        await asyncio.gather(*(c.close() for c in consoles))


async def test_a_listener_at_membership_capacity_gets_over_capacity_on_the_next_claim(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    make_staff: MakeStaff,
    owner: Owner,
) -> None:
    tenant = await open_tenant()
    email = await make_staff(tenant.slug)
    await owner.execute(
        "UPDATE memberships SET capacity = 1 "
        "WHERE staff_id = (SELECT id FROM staff_users WHERE email = $1)",
        email,
    )
    listener = await open_listener(tenant.slug, email=email)
    _, first = await start_visitor(tenant.slug)
    _, second = await start_visitor(tenant.slug)

    await listener.send({"type": "claim", "conversation_id": first["conversation_id"]})
    await listener.of_type("assigned")
    await listener.send({"type": "claim", "conversation_id": second["conversation_id"]})
    refused = await listener.next(claim_answer(second["conversation_id"]))
    assert (refused["type"], refused["code"]) == ("error", "over_capacity")
    state = await owner.fetchval(
        "SELECT state FROM conversations WHERE id = $1", uuid.UUID(second["conversation_id"])
    )
    assert state == "queued"


async def test_a_wrapup_that_leaves_out_the_risk_or_the_outcome_is_refused_and_the_chat_goes_on(
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
    await visitor.of_type("state", state="active")
    complete = {"topics": [], "risk_level": "none", "outcome": "supported"}
    for missing in ("risk_level", "outcome", "topics"):
        wrapup = {k: v for k, v in complete.items() if k != missing}
        await listener.send({"type": "end", "conversation_id": cid, "wrapup": wrapup})
        refused = await listener.next(
            lambda f: f["type"] == "error" and f["code"] == "bad_frame", wait=5
        )
        assert f"`{missing}`" in refused["message"]
    row = await owner.fetchrow(
        "SELECT state, wrapup FROM conversations WHERE id = $1", uuid.UUID(cid)
    )
    assert (row["state"], row["wrapup"]) == ("active", None)
    assert (await visitor.say("Vous êtes là ?"))["type"] == "ack"
