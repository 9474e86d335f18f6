"""Listener presence in Redis: a key with a short lifetime, refreshed while the console lives,
so a console that crashes stops receiving chats within seconds."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from typing import Literal
from uuid import UUID

from redis.exceptions import RedisError

from server.cache import RedisClient

Status = Literal["available", "away"]


class PresenceStore:
    def __init__(self, client: RedisClient, ttl_seconds: int) -> None:
        self.client = client
        self.ttl = ttl_seconds

    def _key(self, staff_id: UUID) -> str:
        return self.client.key("presence", str(staff_id))

    async def set(self, staff_id: UUID, status: Status) -> None:
        if status == "available":
            await self.client.redis.set(self._key(staff_id), status, ex=self.ttl)
        else:
            await self.client.redis.delete(self._key(staff_id))

    async def refresh(self, staff_id: UUID) -> None:
        # EXPIRE leaves a missing key missing; its XX option needs Redis 7 (embedded is 6.2).
        await self.client.redis.expire(self._key(staff_id), self.ttl)

    async def clear(self, staff_id: UUID) -> None:
        with contextlib.suppress(RedisError):  # the key expires by itself anyway
            await self.client.redis.delete(self._key(staff_id))

    async def available(self, staff_ids: Iterable[UUID]) -> frozenset[UUID]:
        ids = list(staff_ids)
        if not ids:
            return frozenset()
        values = await self.client.redis.mget([self._key(i) for i in ids])
        return frozenset(i for i, v in zip(ids, values, strict=True) if v == b"available")
