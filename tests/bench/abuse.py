"""Abuse flood: genuine conversations' latency, quiet and while their line is flooded.

    .venv/bin/python tests/bench/abuse.py [--conversations 200] [--seconds 15]

Two workers with the rate limits as configured (HAVRE_STARTS_*, HAVRE_MESSAGES_*,
HAVRE_VISITOR_FRAMES_PER_10S from the environment, else their defaults). C genuine
conversations, each visitor on a loopback address of its own (127.1.x.y), exchange a message
per side every 2 s: first for `--seconds` with nothing else (quiet), then while a flood runs,
for as long as it lasts. A genuine visitor's 5 messages per 10 s stay inside the message limits
(for some minutes: HAVRE_MESSAGES_PER_10_MINUTES); `genuine_refused` counts any refusal anyway.

The flood, as fast as the server answers: `--flood-starts` conversation starts on the same line
from `--flood-clients` addresses (127.2.0.x, 4 keep-alive connections each), and
`--flood-messages` `send` frames over `--flood-sockets` visitor sockets, two on each of the
attacker's conversations (the message limit is the conversation's, however many sockets).
Meanwhile a newcomer starts a conversation every 2 s from a fresh address (127.3.x.y): the line
must stay open to them. The limiter counts the TCP peer's address, so distinct source addresses
are distinct clients to it, as behind a proxy that sets X-Forwarded-For (none is sent here).

Uses DATABASE_URL / REDIS_URL when both are set (a scratch database is created there and
dropped after; Redis keys get a prefix of their own), otherwise embedded servers in a temporary
folder. Prints one JSON object: `flood_starts` and `flood_messages` say what the flood got
through and whether that is within what the limits allow over the flood's duration (`held`);
`genuine_ms` compares the genuine conversations' latency quiet and under the flood (target:
p99 under the flood at most twice the quiet one), with the p99 of each 5 s of the flood;
`database_transactions` what each flood start cost PostgreSQL; `cpu_seconds` who spent the
machine's CPU in each phase; `worker_log` the workers' warnings and errors.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import gc
import json
import math
import os
import re
import secrets
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Awaitable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import msgspec
import redis.asyncio as aioredis
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from server.auth import Tokens, hash_password  # noqa: E402
from server.db import _init_connection  # noqa: E402
from server.embedded import embedded_servers  # noqa: E402
from server.migrate import migrate  # noqa: E402
from server.settings import AuthSettings, ChatSettings, load_settings  # noqa: E402
from server.tenants.files import apply_tenants  # noqa: E402
from server.tenants.structs import TenantFile  # noqa: E402
from tests.bench.chat_latency import (  # noqa: E402
    cpu_by_part,
    process_ticks,
    stolen_ticks,
    summary,
)
from tests.conversations.clients import havre_origin  # noqa: E402
from tests.conversations.workers import Worker  # noqa: E402

LINE = "bench"
START_BODY = json.dumps({"tenant": LINE, "locale": "fr", "consent": True}).encode()
# After each phase, how long the last genuine messages and acknowledgements may take.
DRAIN_SECONDS = 10.0
# After the last flood frame is sent, how long its sockets may take to answer everything.
FLOOD_ANSWER_SECONDS = 60.0
SETUP_CONCURRENCY = 20
# Keep-alive connections per flooding client, each with one request in flight.
CONNECTIONS_PER_CLIENT = 4
# A newcomer every 2 s stays well inside the line's minute (30 of its 120 by default).
NEWCOMER_INTERVAL = 2.0
TARGET_RATIO = 2.0
STATS_DELAY = 11.0
# Worker log lines worth reporting: warnings, errors and tracebacks.
NOTEWORTHY = re.compile(r"WARNING|ERROR|CRITICAL|Traceback|Exception")


def genuine_address(index: int) -> str:
    return f"127.1.{index // 200}.{index % 200 + 1}"


def flood_address(index: int) -> str:
    return f"127.2.0.{index + 1}"


def attacker_address(index: int) -> str:
    """Where the flooding sockets' conversations were started from."""
    return f"127.2.1.{index + 1}"


def newcomer_address(index: int) -> str:
    return f"127.3.{index // 200}.{index % 200 + 1}"


class HttpConnection:
    """One keep-alive HTTP/1.1 connection from a given source address: lighter than an HTTP
    library, so the flood goes as fast as the server answers, not as fast as requests are
    built here."""

    def __init__(self, host: str, source: str) -> None:
        self.address, port = host.rsplit(":", 1)
        self.port = int(port)
        self.host = host
        self.source = source
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, body: bytes) -> tuple[int, dict[str, str], bytes]:
        """(status, headers, body); status 0 when the connection failed. A kept-alive
        connection the server has closed meanwhile is reopened once."""
        reused = self.writer is not None
        status, headers, content = await self._post(path, body)
        if status == 0 and reused:
            status, headers, content = await self._post(path, body)
        return status, headers, content

    async def _post(self, path: str, body: bytes) -> tuple[int, dict[str, str], bytes]:
        try:
            if self.reader is None or self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(
                    self.address, self.port, local_addr=(self.source, 0)
                )
            self.writer.write(
                f"POST {path} HTTP/1.1\r\nHost: {self.host}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
            head = await self.reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            status = int(lines[0].split(" ", 2)[1])
            headers = {
                name.strip().lower(): value.strip()
                for name, _, value in (line.partition(":") for line in lines[1:] if line)
            }
            content = await self.reader.readexactly(int(headers.get("content-length", "0")))
            if headers.get("connection", "").lower() == "close":
                await self.close()
            return status, headers, content
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
            await self.close()
            return 0, {}, b""

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None


class Side:
    """One genuine socket, recording what arrives (as chat_latency.py's, and any refusal)."""

    def __init__(self, connection: ClientConnection, progress: asyncio.Event) -> None:
        self.connection = connection
        self.progress = progress
        self.sent: dict[str, float] = {}
        self.received: dict[str, float] = {}
        self.acked: set[str] = set()
        self.refused: Counter[str] = Counter()  # error frames about this side's messages
        self.queue: set[str] = set()
        self.waiters: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self.task = asyncio.create_task(self.read())

    async def read(self) -> None:
        with contextlib.suppress(Exception):
            async for raw in self.connection:
                frame = json.loads(raw)
                kind = frame["type"]
                if kind == "message":
                    self.received.setdefault(frame["client_id"], time.perf_counter())
                    self.progress.set()
                elif kind == "ack":
                    self.acked.add(frame["client_id"])
                    self.progress.set()
                elif kind == "error":
                    self.refused[frame["code"]] += 1
                    self.progress.set()
                elif kind == "queue_snapshot":
                    self.queue = {entry["conversation_id"] for entry in frame["entries"]}
                waiter = self.waiters.pop(kind, None)
                if waiter and not waiter.done():
                    waiter.set_result(frame)

    async def wait_for(self, kind: str, wait: float = 120) -> dict[str, Any]:
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.waiters[kind] = future
        return await asyncio.wait_for(future, wait)


class FloodSocket:
    """A visitor socket sending `send` frames as fast as it can, counting the answers."""

    def __init__(self, connection: ClientConnection, frames: int) -> None:
        self.connection = connection
        self.frames = frames
        self.sent = 0
        self.acknowledged = 0
        self.refused: Counter[str] = Counter()
        self.close_code: int | None = None
        self.answered = asyncio.Event()

    async def read(self) -> None:
        try:
            async for raw in self.connection:
                frame = json.loads(raw)
                if frame["type"] == "ack":
                    self.acknowledged += 1
                elif frame["type"] == "error":
                    self.refused[frame["code"]] += 1
                else:
                    continue
                if self.acknowledged + self.refused.total() >= self.frames:
                    break
        except ConnectionClosed:
            pass
        finally:
            self.close_code = self.connection.close_code
            self.answered.set()

    async def flood(self) -> None:
        if self.frames == 0:
            return
        reader = asyncio.create_task(self.read())
        with contextlib.suppress(ConnectionClosed):
            for _ in range(self.frames):
                frame = {"type": "send", "client_id": str(uuid.uuid4()), "body": "flood"}
                await self.connection.send(json.dumps(frame))
                self.sent += 1
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.answered.wait(), FLOOD_ANSWER_SECONDS)
        reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await reader


def p99_by_slice(
    pairs: list[tuple[Side, Side, str]], began: float, ended: float, width: float
) -> list[float]:
    """p99 of the genuine messages sent in each `width` seconds from `began`, both ways."""
    slices: list[list[float]] = [[] for _ in range(max(1, math.ceil((ended - began) / width)))]
    for visitor, listener, _ in pairs:
        for sender, receiver in ((visitor, listener), (listener, visitor)):
            for client_id, sent in sender.sent.items():
                arrival = receiver.received.get(client_id)
                if began <= sent < ended and arrival is not None:
                    slices[int((sent - began) // width)].append((arrival - sent) * 1000)
    return [summary(times)["p99"] for times in slices]


def windows(seconds: float, window: int) -> int:
    """Fixed windows that can overlap a stretch of `seconds`: each opens at a first hit and
    lasts `window`, so at most floor(seconds / window) + 1 of them."""
    return int(seconds // window) + 1


def latencies(pairs: list[tuple[Side, Side, str]], began: float, ended: float) -> dict[str, Any]:
    """Send-to-receipt times of the genuine messages sent in [began, ended), both ways."""
    v2l: list[float] = []
    l2v: list[float] = []
    lost = unacked = 0
    for visitor, listener, _ in pairs:
        for sender, receiver, into in ((visitor, listener, v2l), (listener, visitor, l2v)):
            for client_id, sent in sender.sent.items():
                if not began <= sent < ended:
                    continue
                unacked += client_id not in sender.acked
                arrival = receiver.received.get(client_id)
                if arrival is None:
                    lost += 1
                else:
                    into.append((arrival - sent) * 1000)
    return {
        "visitor_to_listener": summary(v2l),
        "listener_to_visitor": summary(l2v),
        "p99_both_ways": summary(v2l + l2v)["p99"],
        "messages": len(v2l) + len(l2v),
        "lost": lost,
        "unacked": unacked,
    }


async def run(args: argparse.Namespace, database_url: str, redis_url: str) -> dict[str, Any]:
    name = f"havre_bench_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(database_url)
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    parts = urlsplit(database_url)
    bench_url = urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))
    await migrate(bench_url)
    jwt_keys = f"bench:{secrets.token_urlsafe(40)}"
    prefix = f"bench-{secrets.token_hex(3)}:"
    env = {
        **os.environ,
        "DATABASE_URL": bench_url,
        "REDIS_URL": redis_url,
        "HAVRE_REDIS_PREFIX": prefix,
        "HAVRE_JWT_KEYS": jwt_keys,
        "HAVRE_CSRF_SECRET": secrets.token_urlsafe(40),
        "HAVRE_MESSAGE_KEYS": f"b:{base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()}",
        "HAVRE_DB_POOL_MAX": "20",
        "HAVRE_DATA_DIR": tempfile.mkdtemp(prefix="havre-bench-"),
    }
    # The limits the workers run with: the environment's, else the defaults.
    limits = load_settings(env).chat
    owner = await asyncpg.connect(bench_url)
    await _init_connection(owner)
    tenant = msgspec.convert(
        {"slug": LINE, "name": "Bench", "kind": "association",
         "admin_email": "admin@bench.example",
         "hours": [{"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                    "opens": "00:00", "closes": "00:00"}]},
        TenantFile,
    )  # fmt: skip
    await apply_tenants(owner, [tenant])
    org = await owner.fetchval("SELECT id FROM organisations WHERE slug = $1", LINE)
    password_hash = hash_password(secrets.token_urlsafe(12))
    staff_ids = [uuid.uuid4() for _ in range(args.conversations)]
    await owner.executemany(
        "INSERT INTO staff_users (id, email, password_hash) VALUES ($1, $2, $3)",
        [(sid, f"l{i}@bench.example", password_hash) for i, sid in enumerate(staff_ids)],
    )
    await owner.executemany(
        "INSERT INTO memberships (organisation_id, staff_id, role, capacity) "
        "VALUES ($1, $2, 'listener', 1)",
        [(org, sid) for sid in staff_ids],
    )
    await owner.close()
    tokens = Tokens(
        AuthSettings(jwt_keys=(tuple(jwt_keys.split(":", 1)),), csrf_secret="x")  # type: ignore[arg-type]
    )
    workers = [Worker(env), Worker(env)]
    try:
        for worker in workers:
            worker.start()
            await listening(worker.host)
        result = await load(args, workers, staff_ids, tokens, limits, redis_url, prefix, bench_url)
        logged = [line.rstrip() for w in workers for line in w.output if NOTEWORTHY.search(line)]
        result["worker_log"] = {"noteworthy_lines": len(logged), "first": logged[:10]}
        return result
    finally:
        for worker in workers:
            worker.stop()
        admin = await asyncpg.connect(database_url)
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def listening(host: str, wait: float = 30) -> None:
    """Until the worker accepts connections: it logs its startup before it listens."""
    address, port = host.rsplit(":", 1)
    deadline = time.perf_counter() + wait
    while True:
        try:
            _, writer = await asyncio.open_connection(address, int(port))
        except OSError:
            if time.perf_counter() > deadline:
                raise
            await asyncio.sleep(0.05)
        else:
            writer.close()
            return


async def start_conversation(host: str, source: str) -> dict[str, Any]:
    """A genuine visitor's start, waiting out a refusal as the widget lets its visitor do."""
    http = HttpConnection(host, source)
    try:
        while True:
            status, headers, body = await http.post("/api/conversations", START_BODY)
            if status == 201:
                started: dict[str, Any] = json.loads(body)
                return started
            if status != 429:
                raise RuntimeError(f"start answered {status}: {body[:200]!r}")
            await asyncio.sleep(float(headers.get("retry-after", "1")) + 0.1)
    finally:
        await http.close()


async def open_visitor(host: str, token: str, source: str) -> ClientConnection:
    """A visitor socket from Havre's own page (the socket checks Origin), hello sent."""
    connection = await connect(
        f"ws://{host}/ws/visitor",
        origin=havre_origin(host),
        max_queue=None,
        local_addr=(source, 0),
    )
    await connection.send(json.dumps({"type": "hello", "token": token}))
    return connection


async def load(
    args: argparse.Namespace,
    workers: list[Worker],
    staff_ids: list[uuid.UUID],
    tokens: Tokens,
    limits: ChatSettings,
    redis_url: str,
    prefix: str,
    bench_url: str,
) -> dict[str, Any]:
    a, b = workers
    pairs: list[tuple[Side, Side, str]] = []
    progress = asyncio.Event()
    setup_began = time.perf_counter()
    opening = asyncio.Semaphore(SETUP_CONCURRENCY)

    async def open_pair(index: int) -> None:
        async with opening:
            started = await start_conversation(a.host, genuine_address(index))
            cid = started["conversation_id"]
            visitor = Side(
                await open_visitor(a.host, started["token"], genuine_address(index)), progress
            )
            await visitor.wait_for("welcome")
            listener = Side(await connect(f"ws://{b.host}/ws/console", max_queue=None), progress)
            access = tokens.issue("access", str(staff_ids[index]), 3600)
            await listener.connection.send(json.dumps({"type": "hello", "token": access}))
            while cid not in listener.queue:
                await listener.wait_for("queue_snapshot")
            await listener.connection.send(json.dumps({"type": "claim", "conversation_id": cid}))
            await listener.wait_for("assigned")
            pairs.append((visitor, listener, cid))

    await asyncio.gather(*(open_pair(index) for index in range(args.conversations)))

    # The attacker's own conversations, and two sockets on each, greeted before the flood.
    flood_sockets: list[FloodSocket] = []
    per_socket = [
        args.flood_messages // args.flood_sockets + (i < args.flood_messages % args.flood_sockets)
        for i in range(args.flood_sockets)
    ]
    attacker_conversations = (args.flood_sockets + 1) // 2
    for k in range(attacker_conversations):
        started = await start_conversation(a.host, attacker_address(k))
        for j in range(2 * k, min(2 * k + 2, args.flood_sockets)):
            host = workers[j % 2].host
            connection = await open_visitor(host, started["token"], flood_address(j))
            while json.loads(await connection.recv())["type"] != "welcome":
                pass
            flood_sockets.append(FloodSocket(connection, per_socket[j]))

    # When the setup's starts used much of the line's minute (more than 60 conversations by
    # default), the quiet phase and the flood begin once it is over, with the budget whole.
    rate = aioredis.from_url(redis_url)
    line_key = f"{prefix}rate:starts:60:line:{LINE}"  # server/limits.py's
    used, line_ttl = int(await rate.get(line_key) or 0), await rate.ttl(line_key)
    await rate.aclose()
    if used > limits.starts_per_line_minute // 2 and line_ttl > 0:
        await asyncio.sleep(line_ttl + 0.5)
    setup_seconds = time.perf_counter() - setup_began

    async def talk(side: Side, cid: str, who: str, offset: float, stop: asyncio.Event) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), offset)
        while not stop.is_set():
            client_id = str(uuid.uuid4())
            frame: dict[str, Any] = {"type": "send", "client_id": client_id, "body": "bench " * 8}
            if who == "listener":
                frame["conversation_id"] = cid
            side.sent[client_id] = time.perf_counter()
            await side.connection.send(json.dumps(frame))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 2.0)

    def settled() -> bool:
        return all(
            sender.acked.issuperset(sender.sent) and receiver.received.keys() >= sender.sent.keys()
            for visitor, listener, _ in pairs
            for sender, receiver in ((visitor, listener), (listener, visitor))
        )

    async def drain() -> None:
        deadline = time.perf_counter() + DRAIN_SECONDS
        while not settled() and (remaining := deadline - time.perf_counter()) > 0:
            progress.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(progress.wait(), remaining)

    async def conversations_talk(stop: asyncio.Event) -> None:
        # Spread over the 2 s between messages, the listeners a second after their visitors.
        await asyncio.gather(
            *(
                talk(v, cid, "visitor", (i % 200) / 100, stop)
                for i, (v, _, cid) in enumerate(pairs)
            ),
            *(
                talk(li, cid, "listener", 1 + (i % 200) / 100, stop)
                for i, (_, li, cid) in enumerate(pairs)
            ),
        )

    stats = await asyncpg.connect(bench_url)

    async def transactions() -> tuple[int, float]:
        """Transactions the scratch database has seen, and when. A worker's connection reports
        its own after 1 s busy or 10 s idle (PostgreSQL 15): the count is read 11 s after a
        phase, and the timer passes' transactions meanwhile are measured first (idle)."""
        await asyncio.sleep(STATS_DELAY)
        count = await stats.fetchval(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database "
            "WHERE datname = current_database()"
        )
        await stats.execute("SELECT pg_stat_clear_snapshot()")
        return int(count), time.perf_counter()

    transactions_idle = await transactions()
    transactions_before = await transactions()
    gc.collect()
    gc.freeze()
    gc.disable()
    pids = [w.process.pid for w in workers if w.process]

    # Quiet: the genuine conversations alone.
    quiet_stop = asyncio.Event()
    quiet_began = time.perf_counter()
    ticks, stolen = process_ticks(), stolen_ticks()
    asyncio.get_running_loop().call_later(args.seconds, quiet_stop.set)
    await conversations_talk(quiet_stop)
    quiet_ended = time.perf_counter()
    quiet_cpu = cpu_by_part(ticks, process_ticks(), pids)
    quiet_stolen = stolen_ticks() - stolen
    await drain()
    transactions_quiet = await transactions()

    # The flood, with the genuine conversations talking until it is over.
    start_status: list[Counter[int]] = [Counter() for _ in range(args.flood_clients)]
    remaining = [args.flood_starts]

    async def flood_starts_from(client: int, connection_index: int) -> None:
        http = HttpConnection(workers[(client + connection_index) % 2].host, flood_address(client))
        while remaining[0] > 0:
            remaining[0] -= 1
            status, _, _ = await http.post("/api/conversations", START_BODY)
            start_status[client][status] += 1
        await http.close()

    newcomers: Counter[int] = Counter()
    flood_stop = asyncio.Event()

    async def newcomers_start() -> None:
        index = 0
        while not flood_stop.is_set():
            http = HttpConnection(workers[index % 2].host, newcomer_address(index))
            status, _, _ = await http.post("/api/conversations", START_BODY)
            await http.close()
            newcomers[status] += 1
            index += 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(flood_stop.wait(), NEWCOMER_INTERVAL)

    finished: dict[str, float] = {}

    async def timed(part: str, *tasks: Awaitable[None]) -> None:
        await asyncio.gather(*tasks)
        finished[part] = round(time.perf_counter() - flood_began, 2)

    async def flood() -> None:
        await asyncio.gather(
            timed("starts", *(flood_starts_from(c, j)
                              for c in range(args.flood_clients)
                              for j in range(CONNECTIONS_PER_CLIENT))),
            timed("messages", *(s.flood() for s in flood_sockets)),
        )  # fmt: skip
        flood_stop.set()

    flood_began = time.perf_counter()
    ticks, stolen = process_ticks(), stolen_ticks()
    await asyncio.gather(flood(), newcomers_start(), conversations_talk(flood_stop))
    flood_ended = time.perf_counter()
    flood_cpu = cpu_by_part(ticks, process_ticks(), pids)
    flood_stolen = stolen_ticks() - stolen
    await drain()
    transactions_flood = await transactions()
    await stats.close()
    gc.unfreeze()
    gc.enable()

    flood_seconds = flood_ended - flood_began
    quiet = latencies(pairs, quiet_began, quiet_ended)
    flooded = latencies(pairs, flood_began, flood_ended)
    genuine_refused: Counter[str] = Counter()
    for visitor, listener, _ in pairs:
        genuine_refused += visitor.refused + listener.refused

    # What the limits allow over the flood's duration.
    per_client = min(
        limits.starts_per_client_burst * windows(flood_seconds, 60),
        limits.starts_per_client_hour * windows(flood_seconds, 3600),
    )
    line_allows = limits.starts_per_line_minute * windows(flood_seconds, 60)
    admitted = [counts[201] for counts in start_status]
    starts_total: Counter[int] = sum(start_status, Counter())
    per_conversation = min(
        limits.messages_burst * windows(flood_seconds, 10),
        limits.messages_per_10_minutes * windows(flood_seconds, 600),
    )
    per_socket_frames = limits.visitor_frames_per_10s * windows(flood_seconds, 10)
    conversation_acks = [
        sum(s.acknowledged for s in flood_sockets[2 * k : 2 * k + 2])
        for k in range(attacker_conversations)
    ]
    frames_let_through = [s.refused.total() - s.refused["too_many_frames"] + s.acknowledged
                          for s in flood_sockets]  # fmt: skip
    refused_messages: Counter[str] = sum((s.refused for s in flood_sockets), Counter())
    for visitor, listener, _ in pairs:
        await visitor.connection.close()
        await listener.connection.close()
    for s in flood_sockets:
        await s.connection.close()

    quiet_p99, flooded_p99 = quiet["p99_both_ways"], flooded["p99_both_ways"]
    # Transactions beyond the idle ones, and what the flood added beyond its genuine messages.
    idle_rate = (transactions_before[0] - transactions_idle[0]) / (
        transactions_before[1] - transactions_idle[1]
    )
    in_quiet: float = transactions_quiet[0] - transactions_before[0]
    in_quiet -= idle_rate * (transactions_quiet[1] - transactions_before[1])
    in_flood: float = transactions_flood[0] - transactions_quiet[0]
    in_flood -= idle_rate * (transactions_flood[1] - transactions_quiet[1])
    per_flood_start = (
        (in_flood - in_quiet / quiet["messages"] * flooded["messages"]) / starts_total.total()
        if quiet["messages"] and starts_total.total()
        else None
    )
    ratio = round(flooded_p99 / quiet_p99, 2) if quiet_p99 else None
    return {
        "conversations": args.conversations,
        "limits": {
            "HAVRE_STARTS_PER_CLIENT_MINUTE": limits.starts_per_client_burst,
            "HAVRE_STARTS_PER_CLIENT_HOUR": limits.starts_per_client_hour,
            "HAVRE_STARTS_PER_LINE_MINUTE": limits.starts_per_line_minute,
            "HAVRE_MESSAGES_BURST": limits.messages_burst,
            "HAVRE_MESSAGES_PER_10_MINUTES": limits.messages_per_10_minutes,
            "HAVRE_VISITOR_FRAMES_PER_10S": limits.visitor_frames_per_10s,
        },
        # Until every flood request and frame was answered: starts, messages, both.
        "flood_seconds": {**finished, "both": round(flood_seconds, 2)},
        "flood_starts": {
            "sent": sum(starts_total.values()),
            "clients": args.flood_clients,
            "per_second": round(sum(starts_total.values()) / flood_seconds, 1),
            "created_201": starts_total[201],
            "refused_429": starts_total[429],
            # Anything else (0: the connection failed) is a finding.
            "other": {str(k): v for k, v in starts_total.items() if k not in (201, 429)},
            "created_per_client": admitted,
            "limits_allow_per_client": per_client,
            "held": all(n <= per_client for n in admitted)
            and starts_total[201] + newcomers[201] <= line_allows,
        },
        "flood_messages": {
            "sent": sum(s.sent for s in flood_sockets),
            "sockets": len(flood_sockets),
            "conversations": attacker_conversations,
            "acknowledged": sum(s.acknowledged for s in flood_sockets),
            "refused": dict(refused_messages),
            "unanswered": sum(s.sent - s.acknowledged - s.refused.total() for s in flood_sockets),
            "closed": dict(Counter(str(s.close_code) for s in flood_sockets if s.close_code)),
            "acknowledged_per_conversation": conversation_acks,
            "limits_allow_per_conversation": per_conversation,
            "frames_past_frame_limit_per_socket": frames_let_through,
            "limits_allow_frames_per_socket": per_socket_frames,
            "held": all(n <= per_conversation for n in conversation_acks)
            and all(n <= per_socket_frames for n in frames_let_through),
        },
        # Fresh visitors starting on the flooded line, one every 2 s from its own address.
        "newcomer_starts_during_flood": {str(k): v for k, v in sorted(newcomers.items())},
        "genuine_ms": {
            "quiet": quiet,
            "under_flood": flooded,
            # Which part of the flood hurt: its frames are usually answered within seconds.
            "under_flood_p99_by_5s": p99_by_slice(pairs, flood_began, flood_ended, 5.0),
            "p99_ratio": ratio,
            "target_ratio": TARGET_RATIO,
            "met": ratio is not None and ratio <= TARGET_RATIO,
        },
        # Error frames the genuine conversations' own sockets received (should be none).
        "genuine_refused": dict(genuine_refused),
        "cpu_seconds": {"quiet": quiet_cpu, "under_flood": flood_cpu},
        # In the scratch database, beyond the timer passes' (idle_per_second).
        "database_transactions": {
            "idle_per_second": round(idle_rate, 1),
            "quiet": round(in_quiet),
            "under_flood": round(in_flood),
            # Estimated: the flood phase's, less its genuine messages' at the quiet rate, per
            # flood start (a refused frame is refused before the database).
            "per_flood_start": None if per_flood_start is None else round(per_flood_start, 2),
        },
        "cores_busy": {
            "quiet": round(sum_cpu(quiet_cpu) / (quiet_ended - quiet_began), 2),
            "under_flood": round(sum_cpu(flood_cpu) / flood_seconds, 2),
        },
        "cpu_seconds_stolen": {
            "quiet": round(quiet_stolen / os.sysconf("SC_CLK_TCK"), 2),
            "under_flood": round(flood_stolen / os.sysconf("SC_CLK_TCK"), 2),
        },
        "setup_seconds": round(setup_seconds, 1),
    }


def sum_cpu(parts: dict[str, Any]) -> float:
    return float(sum(parts["workers"]) + sum(v for k, v in parts.items() if k != "workers"))


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--conversations", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=15, help="the quiet phase")
    parser.add_argument("--flood-starts", type=int, default=10_000)
    parser.add_argument("--flood-messages", type=int, default=10_000)
    parser.add_argument("--flood-clients", type=int, default=4)
    parser.add_argument("--flood-sockets", type=int, default=4)
    args = parser.parse_args()
    database_url, redis_url = os.environ.get("DATABASE_URL"), os.environ.get("REDIS_URL")
    if database_url and redis_url:
        result = await run(args, database_url, redis_url)
    else:
        with embedded_servers(Path(tempfile.mkdtemp(prefix="havre-bench-"))) as servers:
            result = await run(args, servers.database_url, servers.redis_url)
    print(json.dumps(result))


if __name__ == "__main__":
    try:
        import uvloop  # the load generator must not be the bottleneck it measures

        uvloop.install()
    except ImportError:
        pass
    asyncio.run(main())
