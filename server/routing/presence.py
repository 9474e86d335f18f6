"""Staff presence in Redis: keys with a short lifetime, refreshed while the console lives, so a
console that crashes stops receiving chats (or alerts) within seconds.

Listeners: available or away, and when their shift began (the time they went available), for
the long-shift alert. Supervisors: which of a tenant's supervisors have a console open, so a
listener sees who was alerted when their visitor is at risk."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable
from typing import Literal
from uuid import UUID

from redis.exceptions import RedisError

from server.cache import RedisClient

Status = Literal["available", "away"]

_REFRESH = """
if redis.call('GET', KEYS[1]) == 'away' then return 0 end
redis.call('SET', KEYS[1], 'available', 'EX', ARGV[1])
redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[1], 'NX')
redis.call('EXPIRE', KEYS[2], ARGV[1])
return 1
"""


class PresenceStore:
    def __init__(self, client: RedisClient, ttl_seconds: int) -> None:
        self.client = client
        self.ttl = ttl_seconds

    def _key(self, staff_id: UUID) -> str:
        return self.client.key("presence", str(staff_id))

    def _shift_key(self, staff_id: UUID) -> str:
        return self.client.key("shift", str(staff_id))

    async def set(self, staff_id: UUID, status: Status) -> None:
        if status == "available":
            await self.client.redis.set(self._key(staff_id), status, ex=self.ttl)
            # The shift goes on while presence lives: NX keeps its first start.
            await self.client.redis.set(
                self._shift_key(staff_id), str(time.time()), ex=self.ttl, nx=True
            )
            await self.client.redis.expire(self._shift_key(staff_id), self.ttl)
        else:
            # "away" is kept (not deleted) for a while, so that another console of the same
            # listener, still believing them available, does not bring them back (refresh).
            await self.client.redis.set(self._key(staff_id), "away", ex=self.ttl)
            await self.client.redis.delete(self._shift_key(staff_id))

    async def refresh(self, staff_id: UUID) -> None:
        """A heartbeat of a console that is available. A key lost with a Redis restart comes
        back (the shift then counts from now); one set "away" by another console stays."""
        await self.client.redis.eval(
            _REFRESH,
            2,
            self._key(staff_id),
            self._shift_key(staff_id),
            self.ttl,
            str(time.time()),
        )

    async def clear(self, staff_id: UUID) -> None:
        """The console that set presence closed: away, as if said (and kept as "away", so a
        heartbeat of another console racing with this does not bring them back)."""
        with contextlib.suppress(RedisError):  # the keys expire by themselves anyway
            await self.set(staff_id, "away")

    async def available(self, staff_ids: Iterable[UUID]) -> frozenset[UUID]:
        ids = list(staff_ids)
        if not ids:
            return frozenset()
        values = await self.client.redis.mget([self._key(i) for i in ids])
        return frozenset(i for i, v in zip(ids, values, strict=True) if v == b"available")

    async def shift_starts(self, staff_ids: Iterable[UUID]) -> dict[UUID, float]:
        """When each available listener's shift began (epoch seconds)."""
        ids = list(staff_ids)
        if not ids:
            return {}
        values = await self.client.redis.mget([self._shift_key(i) for i in ids])
        return {i: float(v) for i, v in zip(ids, values, strict=True) if v is not None}


class SupervisorPresence:
    """Per tenant, a sorted set of supervisors scored by when their presence expires."""

    def __init__(self, client: RedisClient, ttl_seconds: int) -> None:
        self.client = client
        self.ttl = ttl_seconds

    def _key(self, tenant_id: UUID) -> str:
        return self.client.key("supervising", str(tenant_id))

    async def refresh(self, staff_id: UUID, tenant_ids: Iterable[UUID]) -> None:
        expires = time.time() + self.ttl
        for tenant_id in tenant_ids:
            await self.client.redis.zadd(self._key(tenant_id), {str(staff_id): expires})

    async def clear(self, staff_id: UUID, tenant_ids: Iterable[UUID]) -> None:
        with contextlib.suppress(RedisError):  # the scores expire by themselves anyway
            for tenant_id in tenant_ids:
                await self.client.redis.zrem(self._key(tenant_id), str(staff_id))

    async def online(self, tenant_id: UUID) -> set[UUID]:
        key = self._key(tenant_id)
        now = time.time()
        await self.client.redis.zremrangebyscore(key, "-inf", now)
        members = await self.client.redis.zrangebyscore(key, now, "+inf")
        return {UUID(m.decode() if isinstance(m, bytes) else str(m)) for m in members}
