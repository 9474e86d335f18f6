"""Fan-out between workers over Redis pub/sub, and the registry of this worker's listeners.

Every chat event is already committed to PostgreSQL when it is published, so Redis only
carries "something happened" quickly. When the Redis connection drops, every local listener
receives RESYNC once it is back, and catches up from PostgreSQL.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable
from typing import Any, Final

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from server.cache import RedisClient

log = logging.getLogger("havre.realtime")

RESYNC: Final = b"\x00resync"
Inbox = asyncio.Queue[tuple[str, bytes]]


class _PubSub(aioredis.client.PubSub):
    """redis-py reconnects a pub/sub connection silently, and what was published meanwhile is
    gone; this one says so, so listeners can catch up from PostgreSQL."""

    reconnected = False

    async def on_connect(self, connection: Any) -> None:
        await super().on_connect(connection)
        self.reconnected = True


class Realtime:
    def __init__(self, client: RedisClient) -> None:
        self.client = client
        self._inboxes: dict[str, set[Inbox]] = defaultdict(set)
        self._pubsub: aioredis.client.PubSub | None = None
        self._changed = asyncio.Event()
        # Futures resolved when Redis confirms a channel's SUBSCRIBE: until then a message
        # published on it could be missed, so subscribers wait before reading history.
        self._confirmations: dict[str, list[asyncio.Future[None]]] = defaultdict(list)
        self._task: asyncio.Task[None] | None = None
        self.connected = asyncio.Event()

    def channel(self, *parts: str) -> str:
        return self.client.key("rt", *parts)

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="realtime-reader")

    async def stop(self) -> None:
        await stop_task(self._task)
        if self._pubsub is not None:
            with contextlib.suppress(RedisError, OSError):
                await self._pubsub.aclose()  # type: ignore[no-untyped-call,unused-ignore]

    async def publish(self, channel: str, payload: bytes) -> bool:
        """Best effort: False when Redis is away (receivers catch up from PostgreSQL)."""
        try:
            await self.client.redis.publish(channel, payload)
            return True
        except (RedisError, OSError):
            log.warning("publish failed; receivers will resync from PostgreSQL")
            return False

    @contextlib.asynccontextmanager
    async def subscription(self, channels: Iterable[str]) -> AsyncIterator[Subscription]:
        inbox: Inbox = asyncio.Queue()
        subscription = Subscription(self, inbox)
        await subscription.add(channels)
        try:
            yield subscription
        finally:
            await subscription.close()

    def _attach(self, channel: str, inbox: Inbox) -> asyncio.Future[None] | None:
        new = channel not in self._inboxes
        self._inboxes[channel].add(inbox)
        if not new:
            return None
        confirmed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._confirmations[channel].append(confirmed)
        self._changed.set()
        return confirmed

    def _confirm(self, channel: str) -> None:
        for future in self._confirmations.pop(channel, []):
            if not future.done():
                future.set_result(None)

    def _detach(self, channel: str, inbox: Inbox) -> None:
        inboxes = self._inboxes.get(channel)
        if inboxes is None:
            return
        inboxes.discard(inbox)
        if not inboxes:
            del self._inboxes[channel]
            self._changed.set()

    async def _sync_subscriptions(self, pubsub: aioredis.client.PubSub, current: set[str]) -> None:
        wanted = set(self._inboxes)
        if added := wanted - current:
            await pubsub.subscribe(*added)
        if removed := current - wanted:
            await pubsub.unsubscribe(*removed)
        current.clear()
        current.update(wanted)

    async def _run(self) -> None:
        delay = 0.1
        first = True
        while True:
            pubsub = _PubSub(self.client.redis.connection_pool)
            self._pubsub = pubsub
            subscribed: set[str] = set()
            try:
                # A channel is needed to enter subscribed mode; this one carries nothing.
                await pubsub.subscribe(self.channel("worker"))
                await self._sync_subscriptions(pubsub, subscribed)
                subscribed.add(self.channel("worker"))
                self.connected.set()
                if not first:
                    self._broadcast_resync()
                first = False
                delay = 0.1
                while True:
                    if self._changed.is_set():
                        self._changed.clear()
                        subscribed.discard(self.channel("worker"))
                        await self._sync_subscriptions(pubsub, subscribed)
                        subscribed.add(self.channel("worker"))
                    message = await pubsub.get_message(timeout=0.05)
                    if message is None:
                        continue
                    channel = message["channel"].decode()
                    if message["type"] == "subscribe":
                        self._confirm(channel)
                        if pubsub.reconnected:
                            # Subscribed again: whatever was published meanwhile is in
                            # PostgreSQL only.
                            pubsub.reconnected = False
                            self._broadcast_resync()
                    if message["type"] != "message":
                        continue
                    for inbox in tuple(self._inboxes.get(channel, ())):
                        inbox.put_nowait((channel, message["data"]))
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError) as exc:
                self.connected.clear()
                log.warning("Redis pub/sub lost (%s); reconnecting", type(exc).__name__)
                with contextlib.suppress(RedisError, OSError):
                    await pubsub.aclose()  # type: ignore[no-untyped-call,unused-ignore]
                await asyncio.sleep(delay)
                delay = min(delay * 2, 1.0)

    def _broadcast_resync(self) -> None:
        inboxes = {inbox for group in self._inboxes.values() for inbox in group}
        for inbox in inboxes:
            inbox.put_nowait(("", RESYNC))


class Subscription:
    """One socket's view: the channels it follows, delivered into one queue."""

    def __init__(self, hub: Realtime, inbox: Inbox) -> None:
        self.hub = hub
        self.inbox = inbox
        self.channels: set[str] = set()

    async def add(self, channels: Iterable[str], *, wait_seconds: float = 3.0) -> bool:
        """Follow channels; returns once Redis confirmed them (False if it is away: the
        subscriber then gets RESYNC when Redis is back)."""
        pending = []
        for channel in channels:
            if channel not in self.channels:
                self.channels.add(channel)
                confirmed = self.hub._attach(channel, self.inbox)
                if confirmed is not None:
                    pending.append(confirmed)
                elif channel in self.hub._confirmations:
                    pending.extend(self.hub._confirmations[channel])
        if not pending:
            return True
        try:
            await asyncio.wait_for(asyncio.gather(*map(asyncio.shield, pending)), wait_seconds)
        except TimeoutError:
            return False
        return True

    async def remove(self, channels: Iterable[str]) -> None:
        for channel in channels:
            if channel in self.channels:
                self.channels.discard(channel)
                self.hub._detach(channel, self.inbox)

    async def close(self) -> None:
        await self.remove(tuple(self.channels))

    async def get(self) -> tuple[str, bytes]:
        return await self.inbox.get()


async def stop_task(task: asyncio.Task[None] | None) -> None:
    """Cancel and wait; again if the cancellation was swallowed (redis-py commands can)."""
    while task is not None and not task.done():
        task.cancel()
        await asyncio.wait({task}, timeout=0.1)
    if task is not None and not task.cancelled() and task.exception() is not None:
        log.warning("background task ended with %s", type(task.exception()).__name__)
