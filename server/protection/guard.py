"""Every check an anonymous start passes before a conversation exists, in order: the
instance's rate limits (before the database is asked anything, even whether the line exists),
then the line's own rules once its settings are read: the challenge, blocks, its stricter rate
limits and fair use. Each refusal is counted for the line's dashboard (refusals.py) and says
what the visitor can do instead: the widget shows the emergency numbers and the line's
referrals."""

from __future__ import annotations

import asyncio
import math
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Annotated, Any
from uuid import UUID, uuid4

import msgspec
from msgspec import Meta
from redis.exceptions import RedisError

from server.cache import RedisClient
from server.db import Connection, Database
from server.errors import Forbidden, TooManyRequests
from server.limits import REDIS_WAIT, Limit, RateLimiter, VisitorLimits
from server.protection.blocks import Blocks, VisitorKeys
from server.protection.challenge import Challenges, Solution
from server.protection.refusals import Reason, RefusedStarts
from server.settings import ChatSettings
from server.tenants.structs import FairUse, Protection

# The widget's anonymous device token: random, made by the browser, kept in its storage.
DeviceToken = Annotated[str, Meta(pattern=r"^[A-Za-z0-9_-]{16,64}\Z")]
KNOWN_LINES = 10_000
REFUSED_CLIENTS = 100_000
REFUSAL_REASONS: dict[str, Reason] = {
    "too_many_starts": "too_many_starts",
    "fair_use_reached": "fair_use",
    "visitor_blocked": "blocked",
    "challenge_required": "challenge",
}


class Client(msgspec.Struct, frozen=True):
    """Who is starting, as far as Havre knows: an address, maybe a device token, maybe a
    solved challenge. Never stored as such."""

    address: str
    device: str | None = None
    solution: Solution | None = None


class ChallengeRequired(Forbidden):
    code = "challenge_required"


class VisitorBlocked(Forbidden):
    code = "visitor_blocked"


def _refusal(error: Any, details: dict[str, Any]) -> Any:
    error.details.update(details)
    return error


class StartGuard:
    def __init__(
        self, client: RedisClient, db: Database, secret: str, settings: ChatSettings
    ) -> None:
        self.client = client
        self.limits = VisitorLimits(client, secret, settings)
        self.blocks = Blocks(client, secret)
        self.challenges = Challenges(client, secret, settings.challenge_bits)
        self.refused = RefusedStarts(client, db)
        self._line_starts = RateLimiter(client, "line-starts")
        # Lines this worker has looked up (slug -> id), for counting what the instance's
        # limits refuse without asking the database (a flood, or a made-up slug, must not).
        self._lines: OrderedDict[str, UUID] = OrderedDict()
        # Clients refused by their own limit (keyed hash -> until when, on which line).
        self._refused_clients: dict[str, tuple[float, UUID | None]] = {}

    def known_line(self, slug: str, tenant_id: UUID) -> None:
        self._lines[slug] = tenant_id
        self._lines.move_to_end(slug)
        if len(self._lines) > KNOWN_LINES:
            self._lines.popitem(last=False)

    def still_refused(self, address: str) -> int | None:
        """Seconds until a client this worker refused may start again (its own limit), or
        None: a flood is answered from memory, before its body is read and without Redis."""
        key = self.limits.keys.of(address)
        held = self._refused_clients.get(key)
        if held is None:
            return None
        until, tenant_id = held
        left = until - time.monotonic()
        if left <= 0:
            del self._refused_clients[key]
            return None
        if tenant_id is not None:
            self.refused.count_later(tenant_id, "too_many_starts")
        return max(1, math.ceil(left))

    async def before_reading(self, slug: str, address: str) -> None:
        """The instance's limits on starts, in Redis only: a refused start costs the database
        nothing. It is counted for the line's dashboard once this worker knows the line (from
        a start it let through), which a flood's first admitted starts bring at once."""
        refusal = await self.limits.start(address, slug)
        if refusal is None:
            return
        tenant_id = self._lines.get(slug)
        if refusal.by_client:
            if len(self._refused_clients) >= REFUSED_CLIENTS:
                now = time.monotonic()
                for key in [k for k, (until, _) in self._refused_clients.items() if until <= now]:
                    del self._refused_clients[key]
                if len(self._refused_clients) >= REFUSED_CLIENTS:
                    self._refused_clients.clear()
            until = time.monotonic() + refusal.wait
            self._refused_clients[self.limits.keys.of(address)] = (until, tenant_id)
        if tenant_id is not None:
            self.refused.count_later(tenant_id, "too_many_starts")
        raise TooManyRequests(code="too_many_starts", retry_after=refusal.wait)

    async def admit(
        self,
        conn: Connection,
        tenant_id: UUID,
        protection: Protection,
        client: Client,
        *,
        is_open: bool,
        referrals: Callable[[], list[Any]],
    ) -> VisitorKeys:
        """The line's own rules, inside the start's transaction. Returns the visitor's keys
        (for blocks); raises the refusal (count it with count_refusal once the transaction is
        over). A closed line refuses on its own afterwards: the fair-use and line limits
        are only counted while it is open."""
        if protection.challenge and not await self.challenges.accept(tenant_id, client.solution):
            puzzle = self.challenges.issue(tenant_id)
            raise _refusal(ChallengeRequired(), {"challenge": msgspec.to_builtins(puzzle)})
        keys = self.blocks.keys_of(tenant_id, client.device, client.address)
        if await Blocks.active(conn, keys) is not None:
            raise _refusal(VisitorBlocked(), {"referrals": referrals()})
        if not is_open:
            return keys
        wait = await self._line_limits(tenant_id, protection, client.address)
        if wait is not None:
            raise TooManyRequests(code="too_many_starts", retry_after=wait)
        if protection.fair_use and keys.device:
            wait = await self._fair_use_wait(tenant_id, keys.device, protection.fair_use)
            if wait is not None:
                rule = protection.fair_use
                raise _refusal(
                    TooManyRequests(code="fair_use_reached", retry_after=wait),
                    {
                        "referrals": referrals(),
                        "conversations": rule.conversations,
                        "hours": rule.hours,
                    },
                )
        return keys

    async def admitted(
        self, conversation_id: UUID, tenant_id: UUID, protection: Protection, keys: VisitorKeys
    ) -> None:
        """After the conversation exists: it counts for fair use, and its visitor's keys are
        kept (a day) so that a listener can block them."""
        await self.blocks.remember(conversation_id, keys)
        if protection.fair_use and keys.device:
            await self._fair_use_add(tenant_id, keys.device, protection.fair_use)

    async def count_refusal(self, tenant_id: UUID, code: str) -> None:
        """After the start's transaction (which the refusal rolled back)."""
        reason = REFUSAL_REASONS.get(code)
        if reason is not None:
            await self.refused.count(tenant_id, reason)

    async def _line_limits(
        self, tenant_id: UUID, protection: Protection, address: str
    ) -> int | None:
        limits = []
        if protection.starts_per_client_hour is not None:
            limits.append(
                (
                    "client:" + self.limits.keys.of(address),
                    Limit(protection.starts_per_client_hour, 3600),
                )
            )
        if protection.starts_per_line_minute is not None:
            limits.append(("line", Limit(protection.starts_per_line_minute, 60)))
        wait: int | None = None
        for subject, limit in limits:
            found = await self._line_starts.hit(f"{tenant_id}:{subject}", limit)
            if found is not None:
                wait = max(wait or 0, found)
        return wait

    def _fair_use_key(self, tenant_id: UUID, device: str) -> str:
        return self.client.key("fair-use", str(tenant_id), device)

    async def _fair_use_wait(self, tenant_id: UUID, device: str, rule: FairUse) -> int | None:
        """Seconds until this device may start again, or None. A sliding window: the oldest
        start of the window must leave it first."""
        window = rule.hours * 3600
        now = time.time()
        key = self._fair_use_key(tenant_id, device)
        try:
            async with self.client.redis.pipeline(transaction=False) as pipe:
                pipe.zremrangebyscore(key, 0, now - window)
                pipe.zrange(key, 0, -1, withscores=True)
                replies: list[Any] = await asyncio.wait_for(pipe.execute(), REDIS_WAIT)
        except (RedisError, OSError, TimeoutError):
            return None
        starts: list[float] = sorted(float(score) for _, score in replies[1])
        if len(starts) < rule.conversations:
            return None
        return max(1, math.ceil(starts[-rule.conversations] + window - now))

    async def _fair_use_add(self, tenant_id: UUID, device: str, rule: FairUse) -> None:
        key = self._fair_use_key(tenant_id, device)
        try:
            async with self.client.redis.pipeline(transaction=False) as pipe:
                pipe.zadd(key, {uuid4().hex: time.time()})
                pipe.expire(key, rule.hours * 3600)
                await asyncio.wait_for(pipe.execute(), REDIS_WAIT)
        except (RedisError, OSError, TimeoutError):
            pass
