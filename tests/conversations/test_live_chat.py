"""A visitor and a listener talking: queue, claim, messages both ways, acknowledgements."""

from __future__ import annotations

import asyncio
import threading
import uuid
from typing import Any

import asyncpg
import httpx
import jwt
import pytest

from server.conversations.service import ConversationService
from tests.conftest import MakeTenant
from tests.conversations.clients import open_visitor
from tests.conversations.conftest import OpenListener, StartVisitor


async def test_visitor_queues_listener_claims_and_they_talk_both_ways(
    open_tenant: MakeTenant, start_visitor: StartVisitor, open_listener: OpenListener
) -> None:
    tenant = await open_tenant()
    listener = await open_listener(tenant.slug)
    visitor, started = await start_visitor(tenant.slug, topic=None)
    cid = started["conversation_id"]
    assert started["state"] == "queued"
    assert started["position"] == 1

    snapshot = await listener.next(
        lambda f: (
            f["type"] == "queue_snapshot" and any(e["conversation_id"] == cid for e in f["entries"])
        )
    )
    entry = next(e for e in snapshot["entries"] if e["conversation_id"] == cid)
    assert entry["tenant"] == tenant.slug
    assert set(entry) == {
        "conversation_id", "tenant", "tenant_name", "team", "topic", "locale", "risk_level",
        "waiting_seconds", "left",
    }  # fmt: skip
    assert entry["left"] is False  # the page is there

    await listener.send({"type": "claim", "conversation_id": cid})
    assigned = await listener.of_type("assigned")
    assert assigned["conversation"]["conversation_id"] == cid
    await visitor.of_type("state", state="active")

    ack = await visitor.say("Bonsoir, je ne vais pas bien")
    assert ack["type"] == "ack"
    assert ack["seq"] == 1
    heard = await listener.of_type("message", conversation_id=cid)
    assert heard["body"] == "Bonsoir, je ne vais pas bien"
    assert heard["author"] == "visitor"

    reply = await listener.say(cid, "Bonsoir, je suis là. Que se passe-t-il ?")
    assert reply["seq"] == 2
    answer = await visitor.of_type("message", author="listener")
    assert answer["body"] == "Bonsoir, je suis là. Que se passe-t-il ?"
    assert answer["seq"] == 2


async def test_sending_the_same_client_id_twice_gives_the_same_ack_and_one_message(
    open_tenant: MakeTenant, start_visitor: StartVisitor, open_listener: OpenListener
) -> None:
    tenant = await open_tenant()
    listener = await open_listener(tenant.slug)
    visitor, started = await start_visitor(tenant.slug)
    cid = started["conversation_id"]
    await listener.send({"type": "claim", "conversation_id": cid})
    await listener.of_type("assigned")

    client_id = str(uuid.uuid4())
    first = await visitor.say("Une fois", client_id)
    again = await visitor.say("Une fois", client_id)
    assert (first["seq"], first.get("duplicate", False)) == (1, False)
    assert (again["seq"], again["duplicate"]) == (1, True)
    follow_up = await visitor.say("Deux")
    assert follow_up["seq"] == 2
    await listener.of_type("message", seq=2)
    assert [m["seq"] for m in listener.received("message")] == [1, 2]


async def test_typing_and_read_marks_reach_the_other_side_and_are_not_stored(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    owner: asyncpg.Connection[asyncpg.Record],
) -> None:
    tenant = await open_tenant()
    listener = await open_listener(tenant.slug)
    visitor, started = await start_visitor(tenant.slug)
    cid = started["conversation_id"]
    await listener.send({"type": "claim", "conversation_id": cid})
    await listener.of_type("assigned")
    await visitor.say("Bonsoir")

    await visitor.send({"type": "typing"})
    assert (await listener.of_type("typing", conversation_id=cid))["author"] == "visitor"
    await listener.send({"type": "typing", "conversation_id": cid})
    assert (await visitor.of_type("typing"))["author"] == "listener"
    await listener.send({"type": "read", "conversation_id": cid, "seq": 1})
    mark = await visitor.of_type("read")
    assert (mark["author"], mark["seq"]) == ("listener", 1)
    await visitor.send({"type": "read", "seq": 1})
    assert (await listener.of_type("read", conversation_id=cid))["author"] == "visitor"

    stored = await owner.fetchval(
        "SELECT count(*) FROM messages WHERE conversation_id = $1", uuid.UUID(cid)
    )
    assert stored == 1


async def test_a_renewed_visitor_token_resumes_the_same_conversation(
    open_tenant: MakeTenant, start_visitor: StartVisitor, live_host: str
) -> None:
    tenant = await open_tenant()
    visitor, started = await start_visitor(tenant.slug)
    await visitor.say("Premier message")
    await visitor.send({"type": "renew"})
    renewed = await visitor.of_type("token")
    assert renewed["expires_in"] > 0

    def expiry(token: str) -> int:
        return int(jwt.decode(token, options={"verify_signature": False})["exp"])

    assert expiry(renewed["token"]) >= expiry(started["token"])

    again = await open_visitor(live_host, renewed["token"])
    try:
        assert again.conversation_id == started["conversation_id"]
        history = await again.of_type("message")
        assert history["body"] == "Premier message"
    finally:
        await again.close()


IMMINENT = "j'ai acheté des médicaments, je vais tout prendre ce soir"


@pytest.mark.parametrize("ended_as", ["abandoned", "ended"])
async def test_a_visitor_token_is_renewed_only_while_its_conversation_is_live(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    live_host: str,
    ended_as: str,
) -> None:
    tenant = await open_tenant()
    visitor, started = await start_visitor(tenant.slug)
    cid = started["conversation_id"]
    await visitor.send({"type": "renew"})
    await visitor.of_type("token")  # queued: renewed
    if ended_as == "ended":
        listener = await open_listener(tenant.slug)
        await listener.send({"type": "claim", "conversation_id": cid})
        await visitor.of_type("state", state="active")
        await visitor.send({"type": "renew"})
        await visitor.of_type("token")  # active: renewed
    assert (await visitor.say(IMMINENT))["type"] == "ack"
    await visitor.send({"type": "end"})
    await visitor.of_type("state", state=ended_as)

    # Once it has ended, no fresh token: the transcript is not kept within reach by renewing.
    renewals = len(visitor.received("token"))
    await visitor.send({"type": "renew"})
    refused = await visitor.of_type("error")
    assert (refused["code"], refused["conversation_id"]) == ("conversation_closed", cid)
    assert refused["message"] == "Cette conversation est terminée."
    assert len(visitor.received("token")) == renewals

    # The token in hand still reopens it until it expires: the end screen, crisis resources.
    again = await open_visitor(live_host, started["token"])
    try:
        welcome = again.received("welcome")[0]
        assert (welcome["state"], welcome["crisis_help"]) == (ended_as, True)
        assert (await again.of_type("message"))["body"] == IMMINENT
        await again.send({"type": "renew"})
        assert (await again.of_type("error"))["code"] == "conversation_closed"
    finally:
        await again.close()


async def test_a_claim_landing_while_the_visitor_socket_opens_still_reaches_the_visitor(
    open_tenant: MakeTenant,
    open_listener: OpenListener,
    live_url: str,
    live_host: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The claim commits after the socket has read the conversation as queued and before it
    sends its welcome: the visitor must still hear that a listener took the chat."""
    tenant = await open_tenant()
    listener = await open_listener(tenant.slug)
    async with httpx.AsyncClient(base_url=live_url) as http:
        response = await http.post(
            "/api/conversations", json={"tenant": tenant.slug, "locale": "fr", "consent": True}
        )
    started = response.json()
    cid = started["conversation_id"]
    read_done, claimed = threading.Event(), threading.Event()
    original = ConversationService.conversation

    async def read_then_wait_for_the_claim(self: Any, conn: Any, conversation_id: Any) -> Any:
        row = await original(self, conn, conversation_id)
        if str(conversation_id) == cid and not read_done.is_set():
            read_done.set()
            await asyncio.to_thread(claimed.wait, 10)  # the live server's own loop goes on
        return row

    monkeypatch.setattr(ConversationService, "conversation", read_then_wait_for_the_claim)
    opening = asyncio.create_task(open_visitor(live_host, started["token"]))
    assert await asyncio.to_thread(read_done.wait, 10)
    await listener.send({"type": "claim", "conversation_id": cid})
    await listener.of_type("assigned")
    claimed.set()
    visitor = await opening
    try:
        await visitor.of_type("state", state="active")
    finally:
        await visitor.close()
