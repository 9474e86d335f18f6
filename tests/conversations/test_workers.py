"""Two server processes, a crash and a Redis restart: nothing lost, nothing duplicated."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import MakeStaff, MakeTenant, Servers, settings_env
from tests.conversations.clients import Console, Visitor, open_console, open_visitor
from tests.conversations.conftest import ALWAYS_OPEN, access_token
from tests.conversations.workers import RedisProcess, Worker, two_workers


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
