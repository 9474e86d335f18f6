"""What the console is told back: the new session limit after `extend` (frame `extended`),
and the supervisor's name on a whisper (`author_name`, live and on sync)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import TypeAlias

import asyncpg

from tests.conftest import MakeTenant
from tests.conversations.clients import Console, Visitor
from tests.conversations.conftest import OpenListener, StartVisitor

Owner: TypeAlias = "asyncpg.Connection[asyncpg.Record]"
WHISPER = "Demande-lui s'il est en sécurité ce soir."


async def active_chat(
    tenant: str, start_visitor: StartVisitor, open_listener: OpenListener
) -> tuple[Visitor, Console, str]:
    listener = await open_listener(tenant)
    visitor, started = await start_visitor(tenant)
    cid = started["conversation_id"]
    await listener.next(
        lambda f: (
            f["type"] == "queue_snapshot" and any(e["conversation_id"] == cid for e in f["entries"])
        )
    )
    await listener.send({"type": "claim", "conversation_id": cid})
    await listener.next(
        lambda f: f["type"] == "assigned" and f["conversation"]["conversation_id"] == cid
    )
    return visitor, listener, cid


async def test_a_successful_extend_is_answered_with_the_servers_new_limit(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    owner: Owner,
) -> None:
    tenant = await open_tenant()
    _, listener, cid = await active_chat(tenant.slug, start_visitor, open_listener)
    before = await owner.fetchval(
        "SELECT session_ends_at FROM conversations WHERE id = $1", uuid.UUID(cid)
    )

    await listener.send({"type": "extend", "conversation_id": cid})
    answer = await listener.of_type("extended", conversation_id=cid)
    after = await owner.fetchval(
        "SELECT session_ends_at FROM conversations WHERE id = $1", uuid.UUID(cid)
    )
    assert datetime.fromisoformat(answer["session_ends_at"]) == after
    assert after - before == timedelta(minutes=15)

    await listener.send({"type": "extend", "conversation_id": cid})
    refused = await listener.next(
        lambda f: f.get("conversation_id") == cid and f["type"] in ("extended", "error")
    )
    assert (refused["type"], refused["code"]) == ("error", "cannot_extend")


async def test_a_whisper_carries_its_supervisors_name_live_and_on_sync_never_to_the_visitor(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    owner: Owner,
) -> None:
    tenant = await open_tenant()
    visitor, listener, cid = await active_chat(tenant.slug, start_visitor, open_listener)
    supervisor = await open_listener(tenant.slug, "supervisor")
    await owner.execute(
        "UPDATE staff_users SET display_name = 'Dominique' WHERE email = $1",
        supervisor.email,  # type: ignore[attr-defined]
    )
    client_id = str(uuid.uuid4())
    await supervisor.send(
        {"type": "whisper", "conversation_id": cid, "client_id": client_id, "body": WHISPER}
    )
    await supervisor.of_type("ack", client_id=client_id)

    live = await listener.of_type("message", client_id=client_id)
    assert (live["kind"], live["author"], live["author_name"]) == (
        "whisper",
        "supervisor",
        "Dominique",
    )
    # A console opened again reads it from the history, name included.
    reopened = await open_listener(tenant.slug, email=listener.email)  # type: ignore[attr-defined]
    await reopened.send({"type": "sync", "conversation_id": cid, "last_seq": 0})
    again = await reopened.of_type("message", client_id=client_id)
    assert again["author_name"] == "Dominique"

    # The listener's own messages carry no name; the visitor gets neither whisper nor name.
    await listener.say(cid, "Je suis là.")
    await listener.of_type("message", body="Je suis là.")
    await visitor.say("merci")
    await visitor.send({"type": "sync", "last_seq": 0})
    await visitor.send({"type": "ping"})
    await visitor.of_type("pong")
    assert all(m["kind"] != "whisper" for m in visitor.received("message"))
    assert all("author_name" not in m for m in visitor.received("message"))
    own = [m for m in listener.received("message") if m["author"] == "listener"]
    assert own
    assert all("author_name" not in m for m in own)
