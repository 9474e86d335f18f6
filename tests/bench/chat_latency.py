"""Chat latency under load: C conversations (2 sockets each) on two workers.

    .venv/bin/python tests/bench/chat_latency.py [--conversations 1000] [--seconds 30]

Uses DATABASE_URL / REDIS_URL when both are set (a scratch database is created there),
otherwise embedded servers in a temporary folder. Prints one JSON object: `lost` counts every
message sent and never received by the other side (acknowledged or not), `lost_after_ack` those
of them the sender had an acknowledgement for, `unacked` every message whose acknowledgement
never came; `redis_floor_idle_ms` is a bare Redis publish -> subscribe round trip before the
load, `redis_floor_under_load_ms` the same round trip probed while the conversations run,
`disk_flush_floor_under_load_ms` what an 8 kB write and fdatasync() on the disk of PostgreSQL's
write-ahead log took meanwhile (a commit waits for one), and `cpu_seconds_stolen_during_load`
the CPU time the hypervisor gave elsewhere: when a run misses its target, these say whether the
machine did.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import gc
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
import msgspec
import redis.asyncio as aioredis
from websockets.asyncio.client import ClientConnection, connect

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from server.auth import Tokens, hash_password  # noqa: E402
from server.db import _init_connection  # noqa: E402
from server.embedded import embedded_servers  # noqa: E402
from server.migrate import migrate  # noqa: E402
from server.settings import AuthSettings  # noqa: E402
from server.tenants.files import apply_tenants  # noqa: E402
from server.tenants.structs import TenantFile  # noqa: E402
from tests.conftest import UNLIMITED  # noqa: E402
from tests.conversations.clients import havre_origin  # noqa: E402
from tests.conversations.workers import Worker  # noqa: E402

# After the load, how long the last messages and acknowledgements may take before the missing
# ones count as lost or unacked.
DRAIN_SECONDS = 10.0
# The issue's target for p99; messages slower than this are also counted per second of the
# load, which tells a few stalls (slow messages bunched in a second or two) from a machine
# that is slow throughout.
TARGET_P99_SECONDS = 0.025
# Conversations being opened at once before the load (one at a time took minutes at 1,000).
SETUP_CONCURRENCY = 20
# What the disk of PostgreSQL's write-ahead log takes to make 8 kB durable, probed by a process
# of its own every 50 ms during the load: a chat message's commit waits for one such flush.
# Flushes slower than SLOW_FLUSH_MS are counted per second of the load, like slow messages.
SLOW_FLUSH_MS = 10.0
DISK_PROBE = """
import os, sys, time
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT, 0o600)
page = b"x" * 8192
while True:
    began = time.perf_counter()
    os.pwrite(fd, page, 0)
    os.fdatasync(fd)
    print(began, round((time.perf_counter() - began) * 1000, 3), flush=True)
    time.sleep(0.05)
"""


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def summary(values: list[float], digits: int = 2) -> dict[str, float]:
    return {
        "p50": round(percentile(values, 0.5), digits),
        "p99": round(percentile(values, 0.99), digits),
        "max": round(max(values, default=float("nan")), digits),
    }


async def redis_round_trips(
    url: str, *, samples: int | None = None, stop: asyncio.Event | None = None, pause: float = 0
) -> dict[str, Any]:
    """Round trips of a bare publish -> subscriber on the same Redis, on a channel of its own:
    the floor for fan-out. Runs `samples` times back to back, or until `stop` is set with
    `pause` seconds between samples (the probe that runs during the load)."""
    client = aioredis.from_url(url)
    pubsub = client.pubsub(ignore_subscribe_messages=True)
    channel = f"bench-floor-{secrets.token_hex(4)}"
    await pubsub.subscribe(channel)
    times: list[float] = []
    missed = 0
    try:
        while not (stop is not None and stop.is_set()) and (
            samples is None or len(times) < samples
        ):
            payload = str(len(times) + missed).encode()
            start = time.perf_counter()
            await client.publish(channel, payload)
            deadline = start + 5
            while time.perf_counter() < deadline:
                message = await pubsub.get_message(timeout=deadline - time.perf_counter())
                if message is not None and message["data"] == payload:
                    times.append((time.perf_counter() - start) * 1000)
                    break
            else:
                missed += 1
            if pause:
                await asyncio.sleep(pause)
    finally:
        await pubsub.aclose()
        await client.aclose()
    return {**summary(times, 3), "samples": len(times), "missed": missed}


class Side:
    """One socket, recording what arrives."""

    def __init__(self, connection: ClientConnection, progress: asyncio.Event) -> None:
        self.connection = connection
        self.progress = progress  # set whenever a message or an acknowledgement arrives
        self.seqs: dict[str, list[int]] = {}
        self.sent: dict[str, float] = {}  # client_id -> send time
        self.received: dict[str, float] = {}  # client_id -> arrival time
        self.acked: set[str] = set()
        self.queue: set[str] = set()  # a console's last queue snapshot
        self.task = asyncio.create_task(self.read())
        self.waiters: dict[str, asyncio.Future[dict[str, Any]]] = {}

    async def read(self) -> None:
        with contextlib.suppress(Exception):
            async for raw in self.connection:
                frame = json.loads(raw)
                kind = frame["type"]
                if kind == "message":
                    self.seqs.setdefault(frame["conversation_id"], []).append(frame["seq"])
                    self.received.setdefault(frame["client_id"], time.perf_counter())
                    self.progress.set()
                elif kind == "queue_snapshot":
                    self.queue = {entry["conversation_id"] for entry in frame["entries"]}
                elif kind == "ack":
                    self.acked.add(frame["client_id"])
                    self.progress.set()
                for key in (kind, f"{kind}:{frame.get('conversation_id')}"):
                    waiter = self.waiters.pop(key, None)
                    if waiter and not waiter.done():
                        waiter.set_result(frame)

    async def wait_for(self, key: str, wait: float = 60) -> dict[str, Any]:
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.waiters[key] = future
        return await asyncio.wait_for(future, wait)


def process_ticks() -> dict[int, tuple[str, int, int]]:
    """Every process's (name, parent pid, user + system CPU ticks), from /proc."""
    found: dict[int, tuple[str, int, int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # ended meanwhile
            continue
        name = text[text.index("(") + 1 : text.rindex(")")]
        fields = text[text.rindex(")") + 2 :].split()
        found[int(stat.parent.name)] = (name, int(fields[1]), int(fields[11]) + int(fields[12]))
    return found


def cpu_by_part(
    before: dict[int, tuple[str, int, int]],
    after: dict[int, tuple[str, int, int]],
    workers: list[int],
) -> dict[str, Any]:
    """CPU seconds each part of the machine spent between two readings: each worker (with its
    children), this load generator, PostgreSQL, Redis, and everything else."""

    def root(pid: int) -> int | None:
        while pid > 1:
            if pid in workers:
                return pid
            pid = after.get(pid, before.get(pid, ("", 0, 0)))[1]
        return None

    parts: dict[str, float] = {"load_generator": 0.0, "postgres": 0.0, "redis": 0.0, "other": 0.0}
    per_worker = dict.fromkeys(workers, 0.0)
    hz = os.sysconf("SC_CLK_TCK")
    for pid, (name, _, ticks) in after.items():
        spent = (ticks - before[pid][2] if pid in before else ticks) / hz
        owner = root(pid)
        if owner is not None:
            per_worker[owner] += spent
        elif pid == os.getpid():
            parts["load_generator"] += spent
        elif name == "postgres":
            parts["postgres"] += spent
        elif name.startswith("redis-server"):
            parts["redis"] += spent
        else:
            parts["other"] += spent
    return {"workers": [round(per_worker[w], 2) for w in workers]} | {
        k: round(v, 2) for k, v in parts.items()
    }


def stolen_ticks() -> int:
    """CPU time the hypervisor gave to other machines while this one wanted it (/proc/stat)."""
    return int(Path("/proc/stat").read_text().split("\n", 1)[0].split()[8])


LOCAL_HOSTS = {None, "", "localhost", "127.0.0.1", "::1"}


class DiskProbe:
    """DISK_PROBE on the disk of PostgreSQL's write-ahead log, when that is this machine's and
    writable; otherwise `skipped` says why. As a context manager, the probe's process and file
    never outlive the run."""

    def __init__(self, database_url: str, data_directory: str | None) -> None:
        self.process: subprocess.Popen[str] | None = None
        self.path: str | None = None
        self.output: IO[str] | None = None  # a file, not a pipe: a pipe fills up and blocks
        self.folder, self.skipped = self._where(database_url, data_directory)

    @staticmethod
    def _where(database_url: str, data_directory: str | None) -> tuple[Path | None, str]:
        host = urlsplit(database_url).hostname
        if host not in LOCAL_HOSTS and not (host or "").startswith("/"):
            return None, "PostgreSQL runs on another machine"
        if data_directory is None:
            return None, "SHOW data_directory was refused (not a superuser)"
        folder = Path(data_directory).parent
        try:
            # os.stat follows a pg_wal that is a link to another disk.
            same_disk = os.stat(Path(data_directory) / "pg_wal").st_dev == os.stat(folder).st_dev
        except OSError:
            return None, "PostgreSQL's data directory cannot be read here"
        if not same_disk:
            return None, "the write-ahead log is on another disk than the data directory's folder"
        if not os.access(folder, os.W_OK):
            return None, "the data directory's folder is not writable"
        return folder, ""

    def __enter__(self) -> DiskProbe:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
        if self.output is not None:
            self.output.close()

    def start(self) -> None:
        if self.folder is None:
            return
        handle, self.path = tempfile.mkstemp(prefix="havre-bench-disk-", dir=self.folder)
        os.close(handle)
        # Read in stop() and closed by __exit__: it lives as long as the probe.
        self.output = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-c", DISK_PROBE, self.path], stdout=self.output, text=True
        )

    def close(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait()
        if self.path is not None:
            Path(self.path).unlink(missing_ok=True)
            self.path = None

    def stop(self, began: float) -> dict[str, Any]:
        """Flush times since `began` (time.perf_counter(), the same clock in every process)."""
        if self.process is None or self.output is None:
            return {"skipped": self.skipped}
        self.close()
        self.output.seek(0)
        times: list[float] = []
        slow_by_second: dict[int, int] = {}
        for line in self.output.read().splitlines():
            fields = line.split()
            if len(fields) != 2:  # the last line, cut short by terminate()
                continue
            at, took = float(fields[0]), float(fields[1])
            if at >= began:
                times.append(took)
                if took > SLOW_FLUSH_MS:
                    second = int(at - began)
                    slow_by_second[second] = slow_by_second.get(second, 0) + 1
        if not times:
            return {
                "skipped": f"the probe measured nothing (exit status {self.process.returncode})"
            }
        return {
            **summary(times, 3),
            "samples": len(times),
            f"over_{SLOW_FLUSH_MS:g}ms_by_second_of_load": slow_by_second,
        }


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


async def run(
    conversations: int, seconds: float, database_url: str, redis_url: str
) -> dict[str, Any]:
    name = f"havre_bench_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(database_url)
    await admin.execute(f'CREATE DATABASE "{name}"')
    data_directory: str | None = None
    with contextlib.suppress(asyncpg.PostgresError):  # only superusers may read it
        data_directory = await admin.fetchval("SHOW data_directory")
    await admin.close()
    parts = urlsplit(database_url)
    bench_url = urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))
    await migrate(bench_url)
    jwt_keys = f"bench:{secrets.token_urlsafe(40)}"
    env = {
        **os.environ,
        "DATABASE_URL": bench_url,
        "REDIS_URL": redis_url,
        "HAVRE_REDIS_PREFIX": f"bench-{secrets.token_hex(3)}:",
        "HAVRE_JWT_KEYS": jwt_keys,
        "HAVRE_CSRF_SECRET": secrets.token_urlsafe(40),
        "HAVRE_MESSAGE_KEYS": f"b:{base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()}",
        "HAVRE_DB_POOL_MAX": "20",
        # One load generator on one address: the rate limits are not what is measured here.
        **UNLIMITED,
        "HAVRE_DATA_DIR": tempfile.mkdtemp(prefix="havre-bench-"),
    }
    owner = await asyncpg.connect(bench_url)
    await _init_connection(owner)
    tenant = msgspec.convert(
        {"slug": "bench", "name": "Bench", "kind": "association",
         "admin_email": "admin@bench.example",
         "hours": [{"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                    "opens": "00:00", "closes": "00:00"}]},
        TenantFile,
    )  # fmt: skip
    await apply_tenants(owner, [tenant])
    org = await owner.fetchval("SELECT id FROM organisations WHERE slug = 'bench'")
    password_hash = hash_password(secrets.token_urlsafe(12))
    staff_ids = [uuid.uuid4() for _ in range(conversations)]
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
    for worker in workers:
        worker.start()
    try:
        with DiskProbe(database_url, data_directory) as disk:
            return await load(workers, conversations, seconds, staff_ids, tokens, redis_url, disk)
    finally:
        peak = [rss_mb(w.process.pid) for w in workers if w.process]
        for worker in workers:
            worker.stop()
        admin = await asyncpg.connect(database_url)
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
        run.peak_rss = peak  # type: ignore[attr-defined]


async def load(
    workers: list[Worker],
    conversations: int,
    seconds: float,
    staff_ids: list[uuid.UUID],
    tokens: Tokens,
    redis_url: str,
    disk: DiskProbe,
) -> dict[str, Any]:
    a, b = workers
    pairs: list[tuple[Side, Side, str]] = []
    progress = asyncio.Event()
    setup_began = time.perf_counter()
    opening = asyncio.Semaphore(SETUP_CONCURRENCY)

    async def open_pair(http: httpx.AsyncClient, index: int) -> None:
        async with opening:
            started = (await http.post(
                "/api/conversations", json={"tenant": "bench", "locale": "fr", "consent": True}
            )).json()  # fmt: skip
            cid = started["conversation_id"]
            # From Havre's own page, as the widget's chat is (the socket checks Origin).
            visitor = Side(
                await connect(
                    f"ws://{a.host}/ws/visitor", origin=havre_origin(a.host), max_queue=None
                ),
                progress,
            )
            await visitor.connection.send(json.dumps({"type": "hello", "token": started["token"]}))
            await visitor.wait_for("welcome")
            listener = Side(await connect(f"ws://{b.host}/ws/console", max_queue=None), progress)
            access = tokens.issue("access", str(staff_ids[index]), 3600)
            await listener.connection.send(json.dumps({"type": "hello", "token": access}))
            # A listener claims what their console shows.
            while cid not in listener.queue:
                await listener.wait_for("queue_snapshot")
            await listener.connection.send(json.dumps({"type": "claim", "conversation_id": cid}))
            await listener.wait_for("assigned")
            pairs.append((visitor, listener, cid))

    async with httpx.AsyncClient(base_url=f"http://{a.host}", timeout=60) as http:
        await asyncio.gather(*(open_pair(http, index) for index in range(conversations)))
    setup_seconds = time.perf_counter() - setup_began

    async def talk(side: Side, cid: str, who: str, offset: float) -> None:
        await asyncio.sleep(offset)
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            client_id = str(uuid.uuid4())
            frame: dict[str, Any] = {"type": "send", "client_id": client_id, "body": "bench " * 8}
            if who == "listener":
                frame["conversation_id"] = cid
            side.sent[client_id] = time.perf_counter()
            await side.connection.send(json.dumps(frame))
            await asyncio.sleep(2.0)

    def settled() -> bool:
        """Every message sent so far was acknowledged to its sender and reached the other side."""
        return all(
            sender.acked.issuperset(sender.sent) and receiver.received.keys() >= sender.sent.keys()
            for visitor, listener, _ in pairs
            for sender, receiver in ((visitor, listener), (listener, visitor))
        )

    idle_floor = await redis_round_trips(redis_url, samples=2000)
    load_over = asyncio.Event()
    # The same bare round trip, measured while the conversations run: the floor in the same
    # conditions as the chat latency (same Redis, same busy load generator, same cores).
    probe = asyncio.create_task(redis_round_trips(redis_url, stop=load_over, pause=0.01))
    # The load generator's own collector waits until the load is over: a full collection of
    # its 2,000 sockets' records took about 200 ms, which it would have measured as latency.
    gc.collect()
    gc.freeze()
    gc.disable()
    disk.start()
    begin = time.perf_counter()
    began_utc = datetime.now(UTC).isoformat(timespec="seconds")
    ticks_before = process_ticks()
    stolen_before = stolen_ticks()
    await asyncio.gather(
        *(talk(v, cid, "visitor", (i % 200) / 100) for i, (v, _, cid) in enumerate(pairs)),
        *(talk(li, cid, "listener", 1 + (i % 200) / 100) for i, (_, li, cid) in enumerate(pairs)),
    )
    load_over.set()
    cpu = cpu_by_part(ticks_before, process_ticks(), [w.process.pid for w in workers if w.process])
    stolen = (stolen_ticks() - stolen_before) / os.sysconf("SC_CLK_TCK")
    load_seconds = time.perf_counter() - begin
    disk_floor = disk.stop(begin)
    loaded_floor = await probe
    # Wait for the last messages and acknowledgements; whatever is still missing after the
    # drain deadline is counted below.
    drain_deadline = time.perf_counter() + DRAIN_SECONDS
    while not settled() and (remaining := drain_deadline - time.perf_counter()) > 0:
        progress.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(progress.wait(), remaining)
    elapsed = time.perf_counter() - begin
    gc.unfreeze()
    gc.enable()

    latencies_v2l: list[float] = []
    latencies_l2v: list[float] = []
    lost = lost_after_ack = unacked = duplicated = delivered = 0
    slow_by_second: dict[int, int] = {}
    for visitor, listener, cid in pairs:
        for side in (visitor, listener):
            got = side.seqs.get(cid, [])
            duplicated += len(got) - len(set(got))
        for sender, receiver, latencies in (
            (visitor, listener, latencies_v2l),
            (listener, visitor, latencies_l2v),
        ):
            for client_id, sent in sender.sent.items():
                acked = client_id in sender.acked
                unacked += not acked
                arrival = receiver.received.get(client_id)
                if arrival is None:
                    lost += 1
                    lost_after_ack += acked
                else:
                    delivered += 1
                    latencies.append((arrival - sent) * 1000)
                    if arrival - sent > TARGET_P99_SECONDS:
                        slow_by_second[int(sent - begin)] = (
                            slow_by_second.get(int(sent - begin), 0) + 1
                        )
    for visitor, listener, _ in pairs:
        await visitor.connection.close()
        await listener.connection.close()
    return {
        "conversations": conversations,
        "sockets": 2 * conversations,
        "seconds": seconds,
        "messages_sent": sum(len(v.sent) + len(li.sent) for v, li, _ in pairs),
        "delivered": delivered,
        # Every message sent and never received by the other side, acknowledged or not.
        "lost": lost,
        # Of those, the ones whose sender had the acknowledgement (the server's promise broken).
        "lost_after_ack": lost_after_ack,
        # Messages whose sender never got the acknowledgement (delivered or not).
        "unacked": unacked,
        "duplicated": duplicated,
        "visitor_to_listener_ms": summary(latencies_v2l),
        "listener_to_visitor_ms": summary(latencies_l2v),
        "messages_per_second": round(delivered / elapsed, 1),
        "redis_floor_idle_ms": idle_floor,
        "redis_floor_under_load_ms": loaded_floor,
        # A commit waits for the disk: 8 kB written and flushed on the disk of PostgreSQL's
        # write-ahead log every 50 ms of the load. A slow flush here and slow messages in the
        # same second are the disk.
        "disk_flush_floor_under_load_ms": disk_floor,
        "mean_v2l_ms": round(statistics.fmean(latencies_v2l), 2) if latencies_v2l else None,
        "over_25ms_by_second_of_load": dict(sorted(slow_by_second.items())),
        "setup_seconds": round(setup_seconds, 1),
        # To line the per-second counts up with PostgreSQL's log (checkpoints, autovacuum).
        "load_began_utc": began_utc,
        # CPU seconds spent by each part of the machine while the conversations talked, and
        # how many of the machine's cores that kept busy: above ~1.6 of 2, queues form.
        "cpu_seconds_during_load": cpu,
        "cores_busy_during_load": round(
            (sum(cpu["workers"]) + sum(v for k, v in cpu.items() if k != "workers")) / load_seconds,
            2,
        ),
        # CPU the hypervisor gave to other machines while this one's wanted it: a slow run with
        # seconds here was short of cores it thought it had.
        "cpu_seconds_stolen_during_load": round(stolen, 2),
    }


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--conversations", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    database_url, redis_url = os.environ.get("DATABASE_URL"), os.environ.get("REDIS_URL")
    if database_url and redis_url:
        result = await run(args.conversations, args.seconds, database_url, redis_url)
    else:
        with embedded_servers(Path(tempfile.mkdtemp(prefix="havre-bench-"))) as servers:
            result = await run(args.conversations, args.seconds, servers.database_url,
                               servers.redis_url)  # fmt: skip
    result["peak_rss_mb_per_worker"] = getattr(run, "peak_rss", None)
    print(json.dumps(result))


if __name__ == "__main__":
    try:
        import uvloop  # the load generator must not be the bottleneck it measures

        uvloop.install()
    except ImportError:
        pass
    asyncio.run(main())
