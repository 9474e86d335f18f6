"""The Redis client shared by a worker, and the counters built on it."""

from __future__ import annotations

import hashlib

import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import RedisError

from server.settings import RedisSettings


class RedisClient:
    def __init__(self, settings: RedisSettings) -> None:
        self.prefix = settings.prefix
        # Short, capped backoff: after a Redis restart, chat delivery resumes within a second.
        self.redis: aioredis.Redis = aioredis.from_url(
            settings.url,
            socket_timeout=5,
            socket_connect_timeout=2,
            health_check_interval=30,
            retry=Retry(ExponentialBackoff(cap=0.5, base=0.05), retries=2),
        )

    def key(self, *parts: str) -> str:
        return self.prefix + ":".join(parts)

    async def ping(self) -> bool:
        try:
            return bool(await self.redis.ping())
        except (RedisError, OSError):
            return False

    async def close(self) -> None:
        await self.redis.aclose()


def opaque(value: str) -> str:
    """A stable key part that does not reveal what it names (an e-mail, an address)."""
    return hashlib.sha256(value.encode()).hexdigest()[:32]


class FailureCounter:
    """Counts failures per key in a sliding fixed window; reaching the limit locks the key."""

    def __init__(self, client: RedisClient, name: str, *, limit: int, window: int) -> None:
        self.client = client
        self.name = name
        self.limit = limit
        self.window = window

    def _key(self, subject: str) -> str:
        return self.client.key("fail", self.name, opaque(subject))

    async def is_locked(self, subject: str) -> bool:
        count = await self.client.redis.get(self._key(subject))
        return count is not None and int(count) >= self.limit

    async def record_failure(self, subject: str) -> None:
        key = self._key(subject)
        # SET NX EX starts the window; INCR keeps its expiry (works on Redis 6, the embedded one).
        async with self.client.redis.pipeline(transaction=True) as pipe:
            pipe.set(key, 0, ex=self.window, nx=True)
            pipe.incr(key)
            await pipe.execute()

    async def reset(self, subject: str) -> None:
        await self.client.redis.delete(self._key(subject))
