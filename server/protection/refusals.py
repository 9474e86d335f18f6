"""Counting the starts a line refused before a conversation existed (rate limits, fair use,
blocks, challenge), for its dashboard: only a number per day and reason.

A flood is refused thousands of times a minute, so a refusal is counted in Redis and the counts
are moved to PostgreSQL (table refused_starts) at most once per tenant every few seconds, and
whenever the dashboard reads them. Without Redis the count goes straight to PostgreSQL."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal
from uuid import UUID

from redis.exceptions import RedisError

from server.cache import RedisClient
from server.db import Database
from server.limits import REDIS_WAIT
from server.sql import load_queries

Q = load_queries(Path(__file__).with_name("queries.sql"))
log = logging.getLogger("havre.protection")

Reason = Literal["too_many_starts", "fair_use", "blocked", "challenge"]
REASONS: tuple[Reason, ...] = ("too_many_starts", "fair_use", "blocked", "challenge")
FLUSH_EVERY_SECONDS = 5
# Counts not yet moved expire in Redis after this long (a tenant that is never read again).
KEEP_SECONDS = 7 * 86400


class RefusedStarts:
    def __init__(self, client: RedisClient, db: Database) -> None:
        self.client = client
        self.db = db
        # Refusals of this worker not yet in Redis, and the task that will take them there.
        self._pending: dict[tuple[UUID, date, Reason], int] = {}
        self._flushing: asyncio.Task[None] | None = None

    def count_later(self, tenant_id: UUID, reason: Reason) -> None:
        """One more refusal, kept in memory and added to Redis within FLUSH_EVERY_SECONDS:
        a flood answered thousands of times a second costs no round trip per refusal."""
        key = (tenant_id, datetime.now(UTC).date(), reason)
        self._pending[key] = self._pending.get(key, 0) + 1
        if self._flushing is None or self._flushing.done():
            self._flushing = asyncio.get_running_loop().create_task(self._flush_soon())

    async def _flush_soon(self) -> None:
        await asyncio.sleep(FLUSH_EVERY_SECONDS)
        await self.flush()

    async def flush(self) -> None:
        """What this worker counted in memory, into Redis (into PostgreSQL without Redis)."""
        pending, self._pending = self._pending, {}
        if not pending:
            return
        try:
            async with self.client.redis.pipeline(transaction=False) as pipe:
                for (tenant_id, day, reason), n in pending.items():
                    pipe.hincrby(self._key(tenant_id), f"{day.isoformat()}|{reason}", n)
                    pipe.expire(self._key(tenant_id), KEEP_SECONDS)
                await asyncio.wait_for(pipe.execute(), REDIS_WAIT)
        except (RedisError, OSError, TimeoutError):
            tenants = {tenant_id for tenant_id, _, _ in pending}
            for tenant in tenants:
                await self._store(
                    tenant, {(d, r): n for (t, d, r), n in pending.items() if t == tenant}
                )

    async def close(self) -> None:
        if self._flushing is not None:
            self._flushing.cancel()
        await self.flush()

    def _key(self, tenant_id: UUID) -> str:
        return self.client.key("refused-starts", str(tenant_id))

    async def count(self, tenant_id: UUID, reason: Reason, today: date | None = None) -> None:
        day = today or datetime.now(UTC).date()
        try:
            await asyncio.wait_for(self._count(tenant_id, reason, day), REDIS_WAIT)
        except (RedisError, OSError, TimeoutError):
            await self._store(tenant_id, {(day, reason): 1})

    async def _count(self, tenant_id: UUID, reason: Reason, day: date) -> None:
        key = self._key(tenant_id)
        async with self.client.redis.pipeline(transaction=False) as pipe:
            pipe.hincrby(key, f"{day.isoformat()}|{reason}", 1)
            pipe.expire(key, KEEP_SECONDS)
            pipe.set(self._key(tenant_id) + ":moved", 1, ex=FLUSH_EVERY_SECONDS, nx=True)
            replies: list[Any] = await pipe.execute()
        if replies[2]:
            await self.move(tenant_id)

    async def move(self, tenant_id: UUID) -> None:
        """Moves the counts this worker holds, then those Redis holds for this tenant, to
        PostgreSQL."""
        await self.flush()
        key = self._key(tenant_id)
        try:
            async with self.client.redis.pipeline(transaction=True) as pipe:
                pipe.hgetall(key)
                pipe.delete(key)
                held, _ = await asyncio.wait_for(pipe.execute(), REDIS_WAIT)
        except (RedisError, OSError, TimeoutError):
            return
        counts: dict[tuple[date, Reason], int] = {}
        for field, value in held.items():
            day_text, _, reason = field.decode().partition("|")
            if reason in REASONS:
                counts[(date.fromisoformat(day_text), reason)] = int(value)
        if counts:
            await self._store(tenant_id, counts)

    async def _store(self, tenant_id: UUID, counts: dict[tuple[date, Reason], int]) -> None:
        try:
            async with self.db.tenant_transaction(tenant_id) as conn:
                await conn.executemany(
                    Q["count_refused_starts"],
                    [(day, reason, n) for (day, reason), n in sorted(counts.items())],
                )
        except Exception as exc:  # a count never stands between a visitor and an answer
            log.warning("refused starts not counted: %s", type(exc).__name__)

    async def between(self, tenant_id: UUID, first: date, last: date) -> dict[str, int]:
        """Refused starts per reason over these days (UTC), every reason present."""
        await self.move(tenant_id)
        async with self.db.tenant_transaction(tenant_id) as conn:
            rows = await conn.fetch(Q["refused_starts_between"], first, last)
        found = {r["reason"]: r["starts"] for r in rows}
        return {reason: found.get(reason, 0) for reason in REASONS}
