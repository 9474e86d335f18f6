"""The Redis client shared by a worker."""

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
    """A stable key part that does not reveal what it names, for random values (a token): an
    address or an e-mail is too easy to guess, and gets a keyed hash (server/limits.py)."""
    return hashlib.sha256(value.encode()).hexdigest()[:32]
