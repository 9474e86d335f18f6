"""Fan-out over Redis pub/sub: Litestar's channels plugin against redis-py as Havre uses it.

    .venv/bin/python tests/bench/fanout.py [--redis-url URL] [--subscribers 1000]
        [--messages 5000] [--burst 20000] [--publishers 50] [--rounds 2]

Compared on the same Redis, in turn (the order alternates from round to round):

- `litestar_channels`: `ChannelsPlugin` with `RedisChannelsPubSubBackend`; one subscriber per
  channel from `start_subscription()`, read with `iter_events()`; published with
  `wait_published()` (the awaited form, like `Realtime.publish`).
- `redis_py_realtime`: `server.realtime.Realtime` itself (redis-py's asyncio `PubSub`, one
  reader per worker), one `subscription()` per channel, read with `get()`.

Each side runs as two "workers" in this process, each with its own Redis client: one publishes,
the other holds the subscribers, one per channel as one socket per conversation. Phases:

- subscribe: the time until every subscriber received a warm-up message (Redis confirmed
  every subscription);
- latency: `--messages` messages one at a time, round robin over the channels, from the publish
  call to the arrival in the subscriber (p50/p99/max);
- burst: `--burst` messages from `--publishers` concurrent publishers, round robin over the
  channels: messages per second from the first publish to the last arrival, each message's
  latency, and this process's CPU time per message (both sides run in it).

Uses `--redis-url`, else REDIS_URL, else an embedded Redis in a temporary folder (as
chat_latency.py does without REDIS_URL). Channel names are random, so a shared Redis is fine.
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import secrets
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from functools import partial
from pathlib import Path
from typing import Any, Protocol

import redis.asyncio as aioredis
from litestar.channels import ChannelsPlugin
from litestar.channels.backends.redis import RedisChannelsPubSubBackend

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from server.cache import RedisClient  # noqa: E402
from server.embedded import embedded_redis  # noqa: E402
from server.realtime import RESYNC, Realtime, Subscription  # noqa: E402
from server.settings import RedisSettings  # noqa: E402

# How long missing messages are waited for before they count as lost.
DRAIN_SECONDS = 30.0


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "p50": round(percentile(values, 0.5), 3),
        "p99": round(percentile(values, 0.99), 3),
        "max": round(max(values, default=float("nan")), 3),
    }


class Arrivals:
    """What the subscribers received: arrival time by message number (negative: warm-ups)."""

    def __init__(self) -> None:
        self.times: dict[int, float] = {}
        self.received = 0  # messages, warm-ups excluded
        self.warmed = 0  # warm-ups
        self.duplicated = 0
        self.resyncs = 0
        self.changed = asyncio.Event()

    def record(self, payload: bytes) -> None:
        now = time.perf_counter()
        number = int(payload)
        if number in self.times:
            self.duplicated += number >= 0  # a warm-up may be sent more than once
            return
        self.times[number] = now
        self.received += number >= 0
        self.warmed += number < 0
        self.changed.set()

    async def until(self, condition: Callable[[], bool], seconds: float) -> bool:
        deadline = time.perf_counter() + seconds
        while not condition():
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                return False
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), remaining)
        return True


class Fanout(Protocol):
    name: str

    async def start(self) -> None: ...

    async def subscribe(self, channel: int, arrivals: Arrivals) -> None: ...

    async def publish(self, channel: int, payload: bytes) -> None: ...

    async def stop(self) -> None: ...


class ChannelsFanout:
    name = "litestar_channels"

    def __init__(self, url: str) -> None:
        self.tag = secrets.token_hex(4)
        self.clients = [aioredis.from_url(url), aioredis.from_url(url)]
        self.publisher, self.subscriber = (
            ChannelsPlugin(
                RedisChannelsPubSubBackend(redis=client), arbitrary_channels_allowed=True
            )
            for client in self.clients
        )
        self.stack = contextlib.AsyncExitStack()
        self.readers: list[asyncio.Task[None]] = []

    def channel(self, channel: int) -> str:
        return f"bench-fanout-{self.tag}:{channel}"

    async def start(self) -> None:
        for client in self.clients:
            self.stack.push_async_callback(client.aclose)
        await self.stack.enter_async_context(self.publisher)
        await self.stack.enter_async_context(self.subscriber)

    async def subscribe(self, channel: int, arrivals: Arrivals) -> None:
        subscriber = await self.stack.enter_async_context(
            self.subscriber.start_subscription(self.channel(channel))
        )

        async def read() -> None:
            async for payload in subscriber.iter_events():
                arrivals.record(payload)

        self.readers.append(asyncio.create_task(read()))

    async def publish(self, channel: int, payload: bytes) -> None:
        await self.publisher.wait_published(payload, self.channel(channel))

    async def stop(self) -> None:
        await self.stack.aclose()  # unsubscribing ends each reader
        await stop_readers(self.readers)


class RealtimeFanout:
    name = "redis_py_realtime"

    def __init__(self, url: str) -> None:
        settings = RedisSettings(url=url, prefix=f"bench-fanout-{secrets.token_hex(4)}:")
        self.publisher, self.subscriber = (
            Realtime(RedisClient(settings)),
            Realtime(RedisClient(settings)),
        )
        self.stack = contextlib.AsyncExitStack()
        self.readers: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        for hub in (self.publisher, self.subscriber):
            self.stack.push_async_callback(hub.client.close)
            self.stack.push_async_callback(hub.stop)
            await hub.start()
            await asyncio.wait_for(hub.connected.wait(), 10)

    async def subscribe(self, channel: int, arrivals: Arrivals) -> None:
        subscription: Subscription = await self.stack.enter_async_context(
            self.subscriber.subscription([self.subscriber.channel("conv", str(channel))])
        )

        async def read() -> None:
            while True:
                _, payload = await subscription.get()
                if payload == RESYNC:
                    arrivals.resyncs += 1
                else:
                    arrivals.record(payload)

        self.readers.append(asyncio.create_task(read()))

    async def publish(self, channel: int, payload: bytes) -> None:
        if not await self.publisher.publish(self.publisher.channel("conv", str(channel)), payload):
            raise RuntimeError("publish failed")

    async def stop(self) -> None:
        await stop_readers(self.readers)
        await self.stack.aclose()


async def stop_readers(readers: list[asyncio.Task[None]]) -> None:
    for reader in readers:
        reader.cancel()
    await asyncio.gather(*readers, return_exceptions=True)


@contextlib.asynccontextmanager
async def subscribed(fanout: Fanout, subscribers: int) -> AsyncIterator[tuple[Arrivals, float]]:
    """Start the two workers and the subscribers; yields once every subscriber received a
    warm-up, with the time that took in ms."""
    arrivals = Arrivals()
    try:
        await fanout.start()
        begin = time.perf_counter()
        # The first alone: redis-py's PubSub opens its connection on the first SUBSCRIBE, and
        # two first subscribes at once could each open one.
        await fanout.subscribe(0, arrivals)
        await asyncio.gather(*(fanout.subscribe(k, arrivals) for k in range(1, subscribers)))
        missing = set(range(subscribers))
        deadline = time.perf_counter() + DRAIN_SECONDS
        while missing:
            if time.perf_counter() > deadline:
                raise RuntimeError(f"{fanout.name}: {len(missing)} subscriptions never ready")
            for k in missing:
                await fanout.publish(k, str(-1 - k).encode())
            await arrivals.until(lambda: arrivals.warmed >= subscribers, 0.25)
            missing = {k for k in missing if -1 - k not in arrivals.times}
        yield arrivals, (time.perf_counter() - begin) * 1000
    finally:
        await fanout.stop()


async def one_at_a_time(
    fanout: Fanout, arrivals: Arrivals, messages: int, channels: int
) -> list[float]:
    latencies: list[float] = []
    for number in range(messages):
        sent = time.perf_counter()
        await fanout.publish(number % channels, str(number).encode())
        if await arrivals.until(partial(arrivals.times.__contains__, number), DRAIN_SECONDS):
            latencies.append((arrivals.times[number] - sent) * 1000)
    return latencies


async def burst(
    fanout: Fanout, arrivals: Arrivals, messages: int, channels: int, publishers: int, first: int
) -> dict[str, Any]:
    """`messages` numbered from `first`, sent by `publishers` concurrent tasks."""
    sent: dict[int, float] = {}

    async def publisher(index: int) -> None:
        for number in range(first + index, first + messages, publishers):
            sent[number] = time.perf_counter()
            await fanout.publish(number % channels, str(number).encode())

    expected = arrivals.received + messages
    cpu = time.process_time()
    begin = time.perf_counter()
    await asyncio.gather(*(publisher(i) for i in range(publishers)))
    await arrivals.until(lambda: arrivals.received >= expected, DRAIN_SECONDS)
    numbers = range(first, first + messages)
    received = [n for n in numbers if n in arrivals.times]
    last = max((arrivals.times[n] for n in received), default=time.perf_counter())
    cpu_used = time.process_time() - cpu
    return {
        "messages_per_second": round(len(received) / (last - begin), 1),
        "latencies": [(arrivals.times[n] - sent[n]) * 1000 for n in received],
        "lost": messages - len(received),
        "cpu_us_per_message": round(cpu_used / messages * 1e6, 1),
    }


async def measure(fanout: Fanout, args: argparse.Namespace) -> dict[str, Any]:
    async with subscribed(fanout, args.subscribers) as (arrivals, subscribe_ms):
        latencies = await one_at_a_time(fanout, arrivals, args.messages, args.subscribers)
        loaded = await burst(
            fanout, arrivals, args.burst, args.subscribers, args.publishers, args.messages
        )
    return {
        "subscribe_ms": round(subscribe_ms, 1),
        "latencies": latencies,
        "lost": args.messages - len(latencies) + loaded["lost"],
        "duplicated": arrivals.duplicated,
        "resyncs": arrivals.resyncs,
        "burst": loaded,
    }


async def run(url: str, args: argparse.Namespace) -> dict[str, Any]:
    client = aioredis.from_url(url)
    version = (await client.info("server"))["redis_version"]
    await client.aclose()
    kinds: list[type[ChannelsFanout] | type[RealtimeFanout]] = [ChannelsFanout, RealtimeFanout]
    rounds: dict[str, list[dict[str, Any]]] = {kind.name: [] for kind in kinds}
    for round_number in range(args.rounds):
        for kind in kinds if round_number % 2 == 0 else kinds[::-1]:
            fanout: Fanout = kind(url)
            rounds[fanout.name].append(await measure(fanout, args))
    result: dict[str, Any] = {
        "redis_version": version,
        "subscribers": args.subscribers,
        "messages": args.messages,
        "burst_messages": args.burst,
        "publishers": args.publishers,
        "rounds": args.rounds,
        "event_loop": type(asyncio.get_running_loop()).__module__.split(".")[0],
    }
    for name, results in rounds.items():
        result[name] = {
            "subscribe_ms": [r["subscribe_ms"] for r in results],
            "latency_ms": summary([x for r in results for x in r["latencies"]]),
            "burst_messages_per_second": [r["burst"]["messages_per_second"] for r in results],
            "burst_latency_ms": summary([x for r in results for x in r["burst"]["latencies"]]),
            "burst_cpu_us_per_message": [r["burst"]["cpu_us_per_message"] for r in results],
            "lost": sum(r["lost"] for r in results),
            "duplicated": sum(r["duplicated"] for r in results),
            "resyncs": sum(r["resyncs"] for r in results),
        }
    return result


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL"))
    parser.add_argument("--subscribers", type=int, default=1000, help="subscribers = channels")
    parser.add_argument("--messages", type=int, default=5000, help="sent one at a time")
    parser.add_argument("--burst", type=int, default=20000, help="sent concurrently")
    parser.add_argument("--publishers", type=int, default=50, help="concurrent publishers")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    if args.redis_url:
        result = await run(args.redis_url, args)
    else:
        with embedded_redis(Path(tempfile.mkdtemp(prefix="havre-bench-")) / "redis") as url:
            result = await run(url, args)
    print(json.dumps(result))


if __name__ == "__main__":
    try:
        import uvloop  # the same event loop as chat_latency.py's load generator

        uvloop.install()
    except ImportError:
        pass
    asyncio.run(main())
