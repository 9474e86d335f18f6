"""Two server processes, a crash and a Redis restart: nothing lost, nothing duplicated."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any, TypeAlias

import asyncpg
import httpx
import pytest

from server.cache import RedisClient
from server.routing.presence import PresenceStore
from server.settings import RedisSettings
from tests.conftest import MakeStaff, MakeTenant, Servers, settings_env
from tests.conversations.clients import Console, Visitor, open_console, open_visitor
from tests.conversations.conftest import ALWAYS_OPEN, access_token
from tests.conversations.workers import RedisProcess, Worker, two_workers

Owner: TypeAlias = "asyncpg.Connection[asyncpg.Record]"


@pytest.fixture
def redis_process(tmp_path: Path) -> Iterator[RedisProcess]:
    redis = RedisProcess(tmp_path)
    redis.start()
    yield redis
    redis.stop()


@pytest.fixture
def workers(
    servers: Servers, redis_process: RedisProcess, tmp_path: Path
) -> Iterator[tuple[Worker, Worker]]:
    env = {
        **os.environ,
        **settings_env(servers, REDIS_URL=redis_process.url, HAVRE_TIMER_INTERVAL="1"),
        "HAVRE_DATA_DIR": str(tmp_path),
        "HAVRE_ENV": "development",
        "HAVRE_COOKIE_SECURE": "false",
    }
    with two_workers(env) as pair:
        yield pair
        for worker in pair:  # shown by pytest when the test fails
            print(f"--- worker {worker.host}\n" + "".join(worker.output))


async def start_conversation(worker: Worker, tenant: str) -> tuple[str, str]:
    async with httpx.AsyncClient(base_url=f"http://{worker.host}") as http:
        response = await http.post(
            "/api/conversations", json={"tenant": tenant, "locale": "fr", "consent": True}
        )
    assert response.status_code == 201, response.text
    return response.json()["conversation_id"], response.json()["token"]


async def talking_pair(
    workers: tuple[Worker, Worker], make_tenant: MakeTenant, make_staff: MakeStaff
) -> tuple[Visitor, Console, str, str]:
    first, second = workers
    tenant = await make_tenant(hours=ALWAYS_OPEN)
    email = await make_staff(tenant.slug, "listener")
    listener = await open_console(second.host, await access_token(f"http://{second.host}", email))
    cid, token = await start_conversation(first, tenant.slug)
    visitor = await open_visitor(first.host, token)
    await listener.send({"type": "claim", "conversation_id": cid})
    await listener.of_type("assigned")
    await visitor.of_type("state", state="active")
    return visitor, listener, cid, token


def bodies(frames: list[dict[str, object]], author: str) -> list[object]:
    return [f["body"] for f in frames if f["type"] == "message" and f["author"] == author]


def seqs(frames: list[dict[str, object]]) -> list[object]:
    return [f["seq"] for f in frames if f["type"] == "message"]


async def test_visitor_on_one_worker_and_listener_on_another_talk_both_ways(
    workers: tuple[Worker, Worker], make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    visitor, listener, cid, _ = await talking_pair(workers, make_tenant, make_staff)
    assert (await visitor.say("Il y a quelqu'un ?"))["seq"] == 1
    assert (await listener.of_type("message", seq=1))["body"] == "Il y a quelqu'un ?"
    assert (await listener.say(cid, "Oui, je suis là."))["seq"] == 2
    assert (await visitor.of_type("message", seq=2))["body"] == "Oui, je suis là."
    await visitor.close()
    await listener.close()


async def test_killing_the_visitors_worker_loses_and_duplicates_nothing(
    workers: tuple[Worker, Worker], make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    first, second = workers
    visitor, listener, cid, token = await talking_pair(workers, make_tenant, make_staff)
    for n in range(1, 4):
        await visitor.say(f"visiteur {n}")
        await listener.of_type("message", body=f"visiteur {n}")
        await listener.say(cid, f"écoutant {n}")
        await visitor.of_type("message", body=f"écoutant {n}")
    last_seen = max(seqs(visitor.frames))

    first.kill()
    await visitor.closed()
    # While the visitor is away, the listener keeps writing.
    for n in range(4, 6):
        assert (await listener.say(cid, f"écoutant {n}"))["type"] == "ack"

    back = await open_visitor(second.host, token, last_seq=last_seen)
    for n in range(4, 6):
        await back.of_type("message", body=f"écoutant {n}")
    await back.say("visiteur 6")
    await listener.of_type("message", body="visiteur 6")

    visitor_seqs = seqs(visitor.frames) + seqs(back.frames)
    assert visitor_seqs == list(range(1, len(visitor_seqs) + 1)), visitor_seqs
    assert seqs(listener.frames) == list(range(1, 10))
    assert bodies(listener.frames, "visitor") == [f"visiteur {n}" for n in (1, 2, 3, 6)]
    await back.close()
    await listener.close()


async def test_after_a_redis_restart_delivery_resumes_and_nothing_is_lost(
    workers: tuple[Worker, Worker],
    redis_process: RedisProcess,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
) -> None:
    visitor, listener, cid, _ = await talking_pair(workers, make_tenant, make_staff)
    await visitor.say("avant")
    await listener.of_type("message", body="avant")

    redis_process.stop()
    # Messages are committed to PostgreSQL and acknowledged even with Redis away.
    assert (await visitor.say("pendant, visiteur"))["type"] == "ack"
    assert (await listener.say(cid, "pendant, écoutant"))["type"] == "ack"
    redis_process.start()

    await listener.of_type("message", body="pendant, visiteur")
    await visitor.of_type("message", body="pendant, écoutant")
    await visitor.say("après")
    await listener.of_type("message", body="après")
    await visitor.of_type("message", body="après")  # its own, as every other tab would see it
    assert seqs(listener.frames) == [1, 2, 3, 4]
    assert seqs(visitor.frames) == [1, 2, 3, 4]
    await visitor.close()
    await listener.close()


# --- a crashed console frees its capacity -----------------------------------------------------

PRESENCE_TTL = 3  # seconds: the smallest HAVRE_PRESENCE_TTL accepted
MARGIN = 2.0  # seconds allowed past the TTL for Redis to expire the key and the test to see it


def worker_env(servers: Servers, redis_url: str, tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        **settings_env(servers, REDIS_URL=redis_url, HAVRE_TIMER_INTERVAL="1", **extra),
        "HAVRE_DATA_DIR": str(tmp_path),
        "HAVRE_ENV": "development",
        "HAVRE_COOKIE_SECURE": "false",
    }


@pytest.fixture
async def short_presence_workers(
    servers: Servers, redis_process: RedisProcess, tmp_path: Path
) -> AsyncIterator[tuple[Worker, Worker, PresenceStore]]:
    """Two workers whose presence lasts PRESENCE_TTL seconds, and that presence as the workers
    read it in their Redis."""
    env = worker_env(servers, redis_process.url, tmp_path, HAVRE_PRESENCE_TTL=str(PRESENCE_TTL))
    redis = RedisClient(RedisSettings(url=redis_process.url, prefix=env["HAVRE_REDIS_PREFIX"]))
    try:
        with two_workers(env) as (first, second):
            yield first, second, PresenceStore(redis, PRESENCE_TTL)
            for worker in (first, second):
                print(f"--- worker {worker.host}\n" + "".join(worker.output))
    finally:
        await redis.close()


async def staff_id(owner: Owner, email: str) -> uuid.UUID:
    found: uuid.UUID = await owner.fetchval("SELECT id FROM staff_users WHERE email = $1", email)
    return found


async def test_a_crashed_console_stops_being_available_within_the_presence_ttl(
    short_presence_workers: tuple[Worker, Worker, PresenceStore],
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
    owner: Owner,
) -> None:
    first, second, presence = short_presence_workers
    tenant = await make_tenant(hours=ALWAYS_OPEN, routing={"mode": "auto"})
    email = await make_staff(tenant.slug, "listener")
    listener = await staff_id(owner, email)
    console = await open_console(first.host, await access_token(f"http://{first.host}", email))
    await console.send({"type": "presence", "status": "available"})
    await console.of_type("presence", status="available")
    assert await presence.available([listener]) == {listener}

    # While the console lives, its heartbeats keep the listener available past the TTL.
    alive_until = time.monotonic() + 2 * PRESENCE_TTL
    while time.monotonic() < alive_until:
        assert await presence.available([listener]) == {listener}
        await asyncio.sleep(0.2)
    # In auto mode an available listener under capacity (2) is given the next visitor.
    given, _ = await start_conversation(second, tenant.slug)
    await console.next(lambda f: f["type"] == "assigned"
                       and f["conversation"]["conversation_id"] == given)  # fmt: skip

    first.kill()  # the console's worker dies: nobody tells Redis the listener left
    crashed_at = time.monotonic()
    while await presence.available([listener]):
        assert time.monotonic() - crashed_at < PRESENCE_TTL + MARGIN, "still available"
        await asyncio.sleep(0.1)

    # One chat of two held, but gone: the next visitor waits instead of going to them (the
    # start answers after auto mode has tried to assign it).
    waiting, _ = await start_conversation(second, tenant.slug)
    row = await owner.fetchrow(
        "SELECT state, listener_id FROM conversations WHERE id = $1", uuid.UUID(waiting)
    )
    assert row is not None
    assert (row["state"], row["listener_id"]) == ("queued", None)


# --- a message in flight when the visitor's worker dies ---------------------------------------


def send_frame(client_id: str, body: str) -> dict[str, object]:
    return {"type": "send", "client_id": client_id, "body": body}


def with_client_id(frames: list[dict[str, object]], kind: str, client_id: str) -> list[Any]:
    return [f for f in frames if f["type"] == kind and f.get("client_id") == client_id]


async def stored_seq(owner: Owner, cid: str, client_id: str) -> int | None:
    rows = await owner.fetch(
        "SELECT seq FROM messages WHERE conversation_id = $1 AND client_id = $2",
        uuid.UUID(cid),
        uuid.UUID(client_id),
    )
    assert len(rows) <= 1  # the database itself refuses two (unique key): a sanity check
    return rows[0]["seq"] if rows else None


async def committed(owner: Owner, cid: str, client_id: str) -> int:
    deadline = time.monotonic() + 10
    while (seq := await stored_seq(owner, cid, client_id)) is None:
        assert time.monotonic() < deadline, "the message was never committed"
        await asyncio.sleep(0.01)
    return seq


async def resend_on_the_other_worker(
    worker: Worker,
    token: str,
    visitor: Visitor,
    listener: Console,
    owner: Owner,
    cid: str,
    client_id: str,
    body: str,
) -> tuple[Visitor, dict[str, Any]]:
    """As the widget does: reconnect with the last seq it has, resend what was not acknowledged;
    then check the listener got it exactly once and the visitor one ack."""
    await visitor.closed()
    had = [seq for seq in seqs(visitor.frames) if isinstance(seq, int)]
    back = await open_visitor(worker.host, token, last_seq=max(had, default=0))
    await back.send(send_frame(client_id, body))
    ack = await back.next(
        lambda f: f.get("client_id") == client_id and f["type"] in ("ack", "error")
    )
    assert ack["type"] == "ack", ack
    assert ack["seq"] == await stored_seq(owner, cid, client_id)

    await listener.of_type("message", client_id=client_id)
    # Everything arrives in order: once a later message is in, an echo of the first would be too.
    await back.say("et maintenant ?")
    await listener.of_type("message", body="et maintenant ?")
    assert [f["body"] for f in with_client_id(listener.frames, "message", client_id)] == [body]
    assert len(with_client_id(back.frames, "ack", client_id)) == 1
    on_visitor_side = with_client_id(visitor.frames + back.frames, "message", client_id)
    assert len(on_visitor_side) == 1, on_visitor_side
    assert seqs(listener.frames) == list(range(1, len(seqs(listener.frames)) + 1))
    return back, ack


@pytest.mark.parametrize("kill", ["before_the_worker_reads_it", "at_once", "once_committed"])
async def test_a_message_in_flight_when_the_visitors_worker_dies_reaches_the_listener_once(
    workers: tuple[Worker, Worker],
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
    owner: Owner,
    kill: str,
) -> None:
    first, second = workers
    visitor, listener, cid, token = await talking_pair(workers, make_tenant, make_staff)
    await visitor.say("avant")
    await listener.of_type("message", body="avant")
    client_id, body = str(uuid.uuid4()), "je suis encore là"

    assert first.process is not None
    if kill == "before_the_worker_reads_it":
        os.killpg(first.process.pid, signal.SIGSTOP)  # the frame waits, unread, in its socket
    await visitor.send(send_frame(client_id, body))
    if kill == "once_committed":
        await committed(owner, cid, client_id)
    first.kill()
    was_committed = await stored_seq(owner, cid, client_id) is not None
    if kill == "before_the_worker_reads_it":
        assert not was_committed
    if kill == "once_committed":
        assert was_committed

    back, ack = await resend_on_the_other_worker(
        second, token, visitor, listener, owner, cid, client_id, body
    )
    if kill != "at_once":  # at once, the worker may or may not have committed it
        assert ack.get("duplicate", False) is was_committed
    await back.close()
    await listener.close()


class RedisGate:
    """A TCP relay between one worker and Redis. Once `hold()` is called, what the worker sends
    is swallowed: its next PUBLISH never reaches Redis, while the other worker's Redis, and so
    its subscriptions, carry on as if nothing happened."""

    def __init__(self, redis_port: int) -> None:
        self.redis_port = redis_port
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.server.getsockname()[1])
        self.held = threading.Event()
        self.sockets: list[socket.socket] = [self.server]
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def hold(self) -> None:
        self.held.set()

    def _accept(self) -> None:
        while True:
            try:
                worker_side, _ = self.server.accept()
            except OSError:
                return
            redis_side = socket.create_connection(("127.0.0.1", self.redis_port))
            self.sockets += [worker_side, redis_side]
            for source, target, gated in [(worker_side, redis_side, True),
                                          (redis_side, worker_side, False)]:  # fmt: skip
                threading.Thread(
                    target=self._relay, args=(source, target, gated), daemon=True
                ).start()

    def _relay(self, source: socket.socket, target: socket.socket, gated: bool) -> None:
        try:
            while data := source.recv(65536):
                if not (gated and self.held.is_set()):
                    target.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, target):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.server.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread (Linux)
        for each in list(self.sockets):
            with contextlib.suppress(OSError):
                each.close()


@pytest.fixture
def gated_workers(
    servers: Servers, redis_process: RedisProcess, tmp_path: Path
) -> Iterator[tuple[Worker, Worker, RedisGate]]:
    """Two workers sharing one Redis; the first reaches it through a gate the test can hold."""
    gate = RedisGate(redis_process.port)
    env = worker_env(servers, redis_process.url, tmp_path)
    first, second = Worker({**env, "REDIS_URL": gate.url}), Worker(env)
    try:
        first.start()
        second.start()
        yield first, second, gate
        for worker in (first, second):
            print(f"--- worker {worker.host}\n" + "".join(worker.output))
    finally:
        first.stop()
        second.stop()
        gate.close()


async def test_a_message_committed_but_never_announced_before_the_crash_reaches_the_listener(
    gated_workers: tuple[Worker, Worker, RedisGate],
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
    owner: Owner,
) -> None:
    """The worker dies between the commit and the publish: the resend on the other worker,
    answered as a duplicate, must still get the message to the listener."""
    first, second, gate = gated_workers
    visitor, listener, cid, token = await talking_pair((first, second), make_tenant, make_staff)
    await visitor.say("avant")
    await listener.of_type("message", body="avant")
    client_id, body = str(uuid.uuid4()), "je suis encore là"

    gate.hold()
    await visitor.send(send_frame(client_id, body))
    await committed(owner, cid, client_id)  # committed; its PUBLISH is stuck in the gate
    first.kill()

    _, ack = await resend_on_the_other_worker(
        second, token, visitor, listener, owner, cid, client_id, body
    )
    assert ack.get("duplicate") is True
