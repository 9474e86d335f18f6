"""Session families that were signed out or revoked: their access tokens are refused at once,
not when they expire.

Redis holds one key per revoked family, kept as long as an access token of that family can
live, and is the truth every worker shares. Each worker keeps a copy in memory, loaded at start
and kept current through a pub/sub channel (loaded again whenever that channel was lost), so
checking a token costs no round trip and works where verification is synchronous (the guards,
the console socket's hello). Another worker learns of a revocation as fast as Redis delivers a
message: a millisecond or so.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Iterable
from uuid import UUID

from redis.exceptions import RedisError

from server.cache import RedisClient
from server.realtime import RESYNC, Realtime, stop_task

log = logging.getLogger("havre.revocations")

# Margin over the access token lifetime, for clocks that differ between machines.
CLOCK_MARGIN_SECONDS = 30


class RevokedFamilies:
    def __init__(self, client: RedisClient, realtime: Realtime, access_ttl_seconds: int) -> None:
        self.client = client
        self.realtime = realtime
        self.ttl = access_ttl_seconds + CLOCK_MARGIN_SECONDS
        self.channel = realtime.channel("revoked-families")
        # family id -> time.monotonic() after which its access tokens have all expired
        self._until: dict[str, float] = {}
        self._loaded = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def _key(self, family: str) -> str:
        return self.client.key("revoked-family", family)

    async def start(self, wait_seconds: float = 5.0) -> None:
        """Follows the channel, then loads what Redis holds; returns once loaded (or after
        `wait_seconds` with Redis away: the copy is loaded as soon as it is back)."""
        self._task = asyncio.create_task(self._follow(), name="revoked-families")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._loaded.wait(), wait_seconds)

    async def stop(self) -> None:
        await stop_task(self._task)

    def is_revoked(self, family: str) -> bool:
        until = self._until.get(family)
        if until is None:
            return False
        if until <= time.monotonic():
            self._until.pop(family, None)
            return False
        return True

    async def revoke(self, families: Iterable[UUID | str]) -> None:
        """Refuses the families' access tokens on every worker. This worker refuses them at
        once even when Redis is away (the others then learn of it from their own checks of
        the refresh token, at worst when the access token expires)."""
        names = sorted({str(family) for family in families})
        if not names:
            return
        self._remember(names, self.ttl)
        try:
            async with self.client.redis.pipeline(transaction=False) as pipe:
                for name in names:
                    pipe.set(self._key(name), 1, ex=self.ttl)
                pipe.publish(self.channel, ",".join(names))
                await pipe.execute()
        except (RedisError, OSError) as exc:
            log.warning("revoked session families not shared (%s)", type(exc).__name__)

    def _remember(self, names: Iterable[str], seconds: float) -> None:
        now = time.monotonic()
        for family, until in list(self._until.items()):
            if until <= now:
                del self._until[family]
        for name in names:
            self._until[name] = max(self._until.get(name, 0.0), now + seconds)

    async def _load(self) -> None:
        keys = [key async for key in self.client.redis.scan_iter(match=self._key("*"), count=500)]
        if keys:
            async with self.client.redis.pipeline(transaction=False) as pipe:
                for key in keys:
                    pipe.pttl(key)
                ttls = await pipe.execute()
            prefix = len(self._key(""))
            for key, ttl in zip(keys, ttls, strict=True):
                if int(ttl) > 0:
                    name = (key.decode() if isinstance(key, bytes) else key)[prefix:]
                    self._remember([name], int(ttl) / 1000)
        self._loaded.set()

    async def _load_until_done(self) -> None:
        delay = 0.1
        while True:
            try:
                await self._load()
                return
            except (RedisError, OSError) as exc:
                log.warning("revoked families not loaded (%s); retrying", type(exc).__name__)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 2.0)

    async def _follow(self) -> None:
        # Subscribed before loading: a revocation made in between arrives as a message.
        async with self.realtime.subscription([self.channel]) as subscription:
            await self._load_until_done()
            while True:
                _, payload = await subscription.get()
                if payload == RESYNC:
                    await self._load_until_done()
                else:
                    self._remember(payload.decode().split(","), self.ttl)
