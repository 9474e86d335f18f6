"""A proof-of-work puzzle a line under attack can ask for before a start: the visitor's browser
finds a number whose SHA-256, after the puzzle's token, begins with `bits` zero bits (about
2^bits tries: a second or two in a browser, a real cost to a script opening thousands). No
third-party service, no cookie, nothing about the visitor: the token is signed, expires after
five minutes and is accepted once."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import secrets
import time
from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import Meta
from redis.exceptions import RedisError

from server.cache import RedisClient
from server.limits import REDIS_WAIT

LIFETIME_SECONDS = 300

Token = Annotated[str, Meta(pattern=r"^[0-9]{1,2}\.[0-9]{1,12}\.[0-9a-f]{32}\.[0-9a-f]{32}\Z")]
Nonce = Annotated[str, Meta(pattern=r"^[0-9]{1,15}\Z")]


class Puzzle(msgspec.Struct, frozen=True):
    token: str
    bits: int
    expires_in: int


class Solution(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    token: Token
    nonce: Nonce


def leading_zero_bits(token: str, nonce: str) -> int:
    digest = int.from_bytes(hashlib.sha256(f"{token}:{nonce}".encode()).digest(), "big")
    return 256 - digest.bit_length()


def solve(token: str, bits: int) -> str:
    """What the widget does, in Python (tests, benchmarks)."""
    nonce = 0
    while leading_zero_bits(token, str(nonce)) < bits:
        nonce += 1
    return str(nonce)


class Challenges:
    def __init__(self, client: RedisClient, secret: str, bits: int) -> None:
        self.client = client
        self._secret = secret.encode()
        self.bits = bits

    def _sign(self, tenant_id: UUID, bits: int, expires: int, salt: str) -> str:
        message = f"havre-challenge:{tenant_id}:{bits}:{expires}:{salt}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()[:32]

    def issue(self, tenant_id: UUID, now: float | None = None) -> Puzzle:
        expires = int(now if now is not None else time.time()) + LIFETIME_SECONDS
        salt = secrets.token_hex(16)
        token = f"{self.bits}.{expires}.{salt}.{self._sign(tenant_id, self.bits, expires, salt)}"
        return Puzzle(token=token, bits=self.bits, expires_in=LIFETIME_SECONDS)

    async def accept(self, tenant_id: UUID, solution: Solution | None) -> bool:
        """True for a puzzle of this line, unexpired, solved, and not used before."""
        if solution is None:
            return False
        bits_text, expires_text, salt, signature = solution.token.split(".")
        bits, expires = int(bits_text), int(expires_text)
        if (
            not hmac.compare_digest(signature, self._sign(tenant_id, bits, expires, salt))
            or expires < time.time()
            or leading_zero_bits(solution.token, solution.nonce) < bits
        ):
            return False
        # Once only. Without Redis a solved puzzle is enough: a start must stay possible.
        key = self.client.key("challenge-used", salt)
        try:
            first = await asyncio.wait_for(
                self.client.redis.set(key, 1, ex=LIFETIME_SECONDS, nx=True), REDIS_WAIT
            )
        except (RedisError, OSError, TimeoutError):
            return True
        return bool(first)
