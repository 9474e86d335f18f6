"""Rate limits that track nobody. A client is counted under a keyed hash of its address whose
key changes every day (UTC): no address reaches Redis, and one day's counters cannot be linked
to the next day's. Counters are fixed windows that Redis expires by itself.

Behind a reverse proxy the address is the one uvicorn takes from X-Forwarded-For when the
proxy is listed in FORWARDED_ALLOW_IPS (docs/configuration.md)."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import math
import time
from datetime import UTC, date, datetime
from typing import Any, NamedTuple
from uuid import UUID

import msgspec
from redis.exceptions import RedisError

from server.cache import RedisClient
from server.settings import ChatSettings

log = logging.getLogger("havre.limits")
# How long a limit may wait for Redis before letting the request through uncounted: long
# enough that a worker slowed by a flood (its own event loop late) does not count as Redis
# away, short enough that an outage costs a visitor little.
REDIS_WAIT = 1.5
_last_warning = 0.0


def _warn_unchecked(name: str) -> None:
    """Once a minute at most: an outage would otherwise write a line per message."""
    global _last_warning
    now = time.monotonic()
    if now - _last_warning >= 60:
        _last_warning = now
        log.warning("Redis unavailable: %s limits not checked", name)


class ClientKeys:
    """The day's opaque name of a client address (HMAC-SHA256 under a key derived from a
    server secret and the date)."""

    def __init__(self, secret: str) -> None:
        self._secret = secret.encode()

    def of(self, address: str, today: date | None = None) -> str:
        day = (today or datetime.now(UTC).date()).isoformat()
        salt = hmac.new(self._secret, b"havre-client-day:" + day.encode(), hashlib.sha256)
        return hmac.new(salt.digest(), address.encode(), hashlib.sha256).hexdigest()[:32]


class Limit(msgspec.Struct, frozen=True):
    """At most `count` in any window of `seconds` (fixed windows)."""

    count: int
    seconds: int


class RateLimiter:
    def __init__(self, client: RedisClient, name: str) -> None:
        self.client = client
        self.name = name

    async def hit(self, subject: str, *limits: Limit) -> int | None:
        """Counts one more for `subject` under every limit. Returns the seconds to wait when
        one of them is exceeded (the request is then refused, and still counted: a client
        that keeps hammering stays refused), or None.

        Without Redis (down, or not answering within REDIS_WAIT) nothing is counted and
        everything passes: during an outage a person in crisis can still start and write
        (messages go to PostgreSQL), which matters more than the limit."""
        keys = [self.client.key("rate", self.name, str(li.seconds), subject) for li in limits]
        try:
            replies = await asyncio.wait_for(self._count(keys, limits), REDIS_WAIT)
        except (RedisError, OSError, TimeoutError):
            _warn_unchecked(self.name)
            return None
        wait: int | None = None
        for i, limit in enumerate(limits):
            count, ttl = int(replies[3 * i + 1]), int(replies[3 * i + 2])
            if count > limit.count:
                wait = max(wait or 0, ttl if ttl > 0 else limit.seconds)
        return wait

    async def _count(self, keys: list[str], limits: tuple[Limit, ...]) -> list[Any]:
        async with self.client.redis.pipeline(transaction=False) as pipe:
            for key, limit in zip(keys, limits, strict=True):
                pipe.set(key, 0, ex=limit.seconds, nx=True)
                pipe.incr(key)
                pipe.ttl(key)
            replies: list[Any] = await pipe.execute()
        return replies


class StartRefusal(NamedTuple):
    wait: int
    by_client: bool


class VisitorLimits:
    """What an anonymous client may start and send (server/settings.py ChatSettings)."""

    def __init__(self, client: RedisClient, secret: str, settings: ChatSettings) -> None:
        self.keys = ClientKeys(secret)
        self.settings = settings
        self._starts = RateLimiter(client, "starts")
        self._messages = RateLimiter(client, "messages")

    async def start(self, address: str, tenant: str) -> StartRefusal | None:
        """A conversation start from `address` on line `tenant`: the refusal (the seconds to
        wait, and whether the client's own limit or the line's refused it), or None. A
        client refused does not use up the line's budget."""
        s = self.settings
        wait = await self._starts.hit(
            "client:" + self.keys.of(address),
            Limit(s.starts_per_client_burst, 60),
            Limit(s.starts_per_client_hour, 3600),
        )
        if wait is not None:
            return StartRefusal(wait, by_client=True)
        wait = await self._starts.hit("line:" + tenant, Limit(s.starts_per_line_minute, 60))
        return StartRefusal(wait, by_client=False) if wait is not None else None

    async def message(self, conversation_id: UUID, line_limit: int | None = None) -> int | None:
        """A visitor's message: the seconds to wait, or None. `line_limit` is the line's own
        sustained limit (messages in 10 minutes), which can only lower the instance's."""
        s = self.settings
        sustained = min(s.messages_per_10_minutes, line_limit or s.messages_per_10_minutes)
        return await self._messages.hit(
            str(conversation_id),
            Limit(s.messages_burst, 10),
            Limit(sustained, 600),
        )


class FrameBudget:
    """Frames one socket may send per window, counted in the worker (a socket lives in one)."""

    def __init__(self, per_window: int, seconds: float = 10.0) -> None:
        self.per_window = per_window
        self.seconds = seconds
        self._window_start = 0.0
        self._count = 0

    def spend(self, now: float | None = None) -> int | None:
        """One more frame: None when within the budget, else the seconds until it renews."""
        now = time.monotonic() if now is None else now
        if now - self._window_start >= self.seconds:
            self._window_start, self._count = now, 0
        self._count += 1
        if self._count <= self.per_window:
            return None
        return max(1, math.ceil(self._window_start + self.seconds - now))

    def flooding(self) -> bool:
        """Twice the budget in one window: no client of Havre's sends that, a script does."""
        return self._count > 2 * self.per_window
