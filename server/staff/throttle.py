"""Failed sign-ins, counted so that guessing is slow and nobody can lock a listener out.

Three counts, each under a keyed hash (no address or e-mail reaches Redis):

- per account and client pair: a few free failures, then a wait that doubles (1 s, 2 s, 4 s…)
  up to a cap. Only that pair waits, one attempt at a time, and its success clears the count.
- per client, across accounts: at the ceiling the client is refused for the rest of the window
  (one address trying many accounts), except on the accounts it signed in to before.
- per account, from every client: a ceiling no single client gets near. Past it, clients that
  never signed in to the account are refused; a known client (one that signed in to it in the
  last 30 days) is still let in with the right password. The owner is told.

An attempt counts as a failure from its start, so concurrent attempts cannot slip past a
ceiling, and is taken back when the password is right. A refused attempt costs no password
hash and is not counted.

A client is its address under the day's keyed hash (server/limits.py): one day's counts cannot
be linked to the next day's. The known-client marker must outlive the day, so it is a keyed
hash of the account and the address together, under a key that does not rotate: it names no
address, and links nothing across accounts, for anyone without the server secret.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from server.cache import RedisClient
from server.errors import TooManyRequests
from server.limits import ClientKeys
from server.settings import AuthSettings

# One attempt per pair at a time; a worker that died mid-attempt frees its pair after this.
BUSY_SECONDS = 60

# KEYS: pair wait, pair busy, known marker, client count, account count.
# ARGV: client ceiling, client window, account ceiling, account window, busy seconds.
_BEGIN = """
local wait = redis.call('PTTL', KEYS[1])
if wait > 0 then return {'delayed', wait} end
local known = redis.call('EXISTS', KEYS[3])
if known == 0 then
  if tonumber(redis.call('GET', KEYS[4]) or '0') >= tonumber(ARGV[1]) then
    return {'client', redis.call('PTTL', KEYS[4])}
  end
  if tonumber(redis.call('GET', KEYS[5]) or '0') >= tonumber(ARGV[3]) then
    return {'account', redis.call('PTTL', KEYS[5])}
  end
end
if not redis.call('SET', KEYS[2], 1, 'NX', 'EX', ARGV[5]) then return {'delayed', 1000} end
redis.call('SET', KEYS[4], 0, 'NX', 'EX', ARGV[2])
redis.call('INCR', KEYS[4])
redis.call('SET', KEYS[5], 0, 'NX', 'EX', ARGV[4])
return {'go', known, redis.call('INCR', KEYS[5])}
"""

# KEYS: client count, account count, pair busy. Counters Redis already expired stay gone.
_TAKE_BACK = """
for i = 1, 2 do
  if redis.call('EXISTS', KEYS[i]) == 1 then redis.call('DECR', KEYS[i]) end
end
redis.call('DEL', KEYS[3])
return 0
"""

REFUSALS = {
    b"delayed": "sign_in_delayed",
    b"client": "sign_in_refused",
    b"account": "account_protected",
}


@dataclass(slots=True)
class Attempt:
    """One attempt's keys in Redis, and what was known when it began."""

    pair: str
    client: str
    account: str
    known: str
    is_known: bool
    account_failures: int
    settled: bool = False


class SignInThrottle:
    def __init__(self, redis: RedisClient, settings: AuthSettings) -> None:
        self.redis = redis
        self.settings = settings
        self._daily = ClientKeys(settings.csrf_secret)
        # Derived, so the CSRF secret itself never keys anything else.
        self._stable = hmac.new(
            settings.csrf_secret.encode(), b"havre-sign-in-stable", hashlib.sha256
        ).digest()
        self._begin = redis.redis.register_script(_BEGIN)
        self._take_back = redis.redis.register_script(_TAKE_BACK)

    def _stable_hash(self, *parts: str) -> str:
        joined = "\n".join(parts).encode()
        return hmac.new(self._stable, joined, hashlib.sha256).hexdigest()[:32]

    def _key(self, *parts: str) -> str:
        return self.redis.key("signin", *parts)

    @asynccontextmanager
    async def attempt(self, email: str, address: str) -> AsyncIterator[Attempt]:
        """An attempt for the block to settle (failed or succeeded); one it leaves unsettled,
        by returning early or raising, is released."""
        attempt = await self.begin(email, address)
        try:
            yield attempt
        finally:
            if not attempt.settled:
                await self.release(attempt)

    async def begin(self, email: str, address: str) -> Attempt:
        """Raises TooManyRequests (with Retry-After) when this attempt must not be tried."""
        s = self.settings
        pair = self._key("pair", self._daily.of(f"{address}\n{email}"))
        client = self._key("client", self._daily.of(address))
        account = self._key("account", self._stable_hash("account", email))
        known = self._key("known", self._stable_hash("known", email, address))
        reply = await self._begin(
            keys=[f"{pair}:wait", f"{pair}:busy", known, client, account],
            args=[
                s.signin_max_failures_per_client,
                s.signin_client_window_seconds,
                s.signin_max_failures_per_account,
                s.signin_account_window_seconds,
                BUSY_SECONDS,
            ],
        )
        outcome = reply[0]
        if outcome != b"go":
            wait_ms = int(reply[1])
            retry_after = max(1, math.ceil(wait_ms / 1000)) if wait_ms > 0 else 1
            raise TooManyRequests(code=REFUSALS[outcome], retry_after=retry_after)
        return Attempt(
            pair=pair,
            client=client,
            account=account,
            known=known,
            is_known=bool(int(reply[1])),
            account_failures=int(reply[2]),
        )

    async def failed(self, attempt: Attempt) -> int | None:
        """Keeps the attempt counted. When it is the one that took the account to its ceiling,
        returns how many seconds the account stays protected (its owner is then told)."""
        s = self.settings
        attempt.settled = True
        async with self.redis.redis.pipeline(transaction=True) as pipe:
            pipe.incr(f"{attempt.pair}:fails")
            pipe.expire(f"{attempt.pair}:fails", s.signin_pair_window_seconds)
            pipe.ttl(attempt.account)
            failures, _, account_ttl = await pipe.execute()
        async with self.redis.redis.pipeline(transaction=True) as pipe:
            past_free = int(failures) - s.signin_free_failures_per_pair
            if past_free >= 0:
                delay = min(2 ** min(past_free, 30), s.signin_max_delay_seconds)
                pipe.set(f"{attempt.pair}:wait", 1, ex=delay)
            pipe.delete(f"{attempt.pair}:busy")
            await pipe.execute()
        if attempt.account_failures != s.signin_max_failures_per_account:
            return None
        return int(account_ttl) if int(account_ttl) > 0 else s.signin_account_window_seconds

    async def release(self, attempt: Attempt) -> None:
        """Neither a failure nor a sign-in (a right password before its code, an error): the
        attempt is taken back and the pair's count kept."""
        attempt.settled = True
        await self._take_back(keys=[attempt.client, attempt.account, f"{attempt.pair}:busy"])

    async def succeeded(self, attempt: Attempt) -> None:
        """Signed in: the pair starts afresh and the client is known to the account."""
        await self.release(attempt)
        days = self.settings.signin_known_client_days
        async with self.redis.redis.pipeline(transaction=True) as pipe:
            pipe.delete(f"{attempt.pair}:fails", f"{attempt.pair}:wait")
            pipe.set(attempt.known, 1, ex=days * 86400)
            await pipe.execute()
