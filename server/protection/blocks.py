"""Blocking a visitor: a listener or supervisor ends a conversation with someone abusing the
line and refuses new starts from their device, and for a day at most from their network.

A device is the widget's anonymous device token; neither it nor the address is stored as
such. At a start, keyed hashes of both are kept in Redis for a day beside the conversation
(nothing else can read them back); a block copies them into visitor_blocks for as long as it
lasts, and an expired or lifted block forgets them (queries.sql forget_expired_blocks)."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from msgspec import Meta
from redis.exceptions import RedisError

from server.audit import record
from server.cache import RedisClient
from server.db import Connection
from server.errors import NotFound
from server.limits import REDIS_WAIT
from server.protection.refusals import Q

BlockReason = Literal["abuse", "sexual", "threats", "prank", "spam"]
BLOCK_REASONS: tuple[BlockReason, ...] = ("abuse", "sexual", "threats", "prank", "spam")
# A network address is shared (a campus, a mobile operator): it is held for a day at most.
ADDRESS_HOURS = 24
KEYS_SECONDS = 86400


class BlockRequest(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    reason: BlockReason
    # One hour to thirty days.
    hours: Annotated[int, Meta(ge=1, le=720)]


class BlockView(msgspec.Struct, frozen=True, omit_defaults=True):
    id: UUID
    reason: str
    created_at: datetime
    until: datetime
    active: bool
    by_address: bool
    conversation_id: UUID | None = None
    blocked_by: str | None = None
    lifted_at: datetime | None = None
    lifted_by: str | None = None


class VisitorKeys(msgspec.Struct, frozen=True):
    device: str | None
    address: str | None


class Blocks:
    def __init__(self, client: RedisClient, secret: str) -> None:
        self.client = client
        self._secret = secret.encode()

    def keys_of(self, tenant_id: UUID, device: str | None, address: str | None) -> VisitorKeys:
        """Keyed hashes: a device token names one line's visitor only; an address is hashed
        under the server's key alone, stable across days (unlike the rate limits' daily one),
        since a block lasts longer than a day."""

        def digest(label: str, value: str) -> str:
            return hmac.new(self._secret, f"{label}:{value}".encode(), hashlib.sha256).hexdigest()

        return VisitorKeys(
            device=digest(f"havre-device:{tenant_id}", device) if device else None,
            address=digest("havre-block-address", address) if address else None,
        )

    def _conversation_key(self, conversation_id: UUID) -> str:
        return self.client.key("visitor-keys", str(conversation_id))

    async def remember(self, conversation_id: UUID, keys: VisitorKeys) -> None:
        fields: dict[Any, Any] = {
            k: v for k, v in (("device", keys.device), ("address", keys.address)) if v
        }
        if not fields:
            return
        key = self._conversation_key(conversation_id)
        try:
            async with self.client.redis.pipeline(transaction=False) as pipe:
                pipe.hset(key, mapping=fields)
                pipe.expire(key, KEYS_SECONDS)
                await asyncio.wait_for(pipe.execute(), REDIS_WAIT)
        except (RedisError, OSError, TimeoutError):
            pass  # the conversation goes on; it could only not be blocked by device later

    async def _recall(self, conversation_id: UUID) -> VisitorKeys:
        try:
            held: dict[Any, Any] = await asyncio.wait_for(
                self.client.redis.hgetall(self._conversation_key(conversation_id)),
                REDIS_WAIT,
            )
        except (RedisError, OSError, TimeoutError):
            held = {}
        device, address = held.get(b"device"), held.get(b"address")
        return VisitorKeys(
            device=device.decode() if device else None,
            address=address.decode() if address else None,
        )

    @staticmethod
    async def active(conn: Connection, keys: VisitorKeys) -> datetime | None:
        """Until when this visitor is blocked on the transaction's tenant, or None."""
        if keys.device is None and keys.address is None:
            return None
        await conn.execute(Q["forget_expired_blocks"])
        row = await conn.fetchrow(Q["active_block"], keys.device, keys.address)
        return row["until"] if row else None

    async def block(
        self,
        conn: Connection,
        tenant_id: UUID,
        conversation_id: UUID,
        staff_id: UUID,
        request: BlockRequest,
    ) -> UUID:
        """Inside the caller's tenant transaction; audited (reason and length, no text)."""
        keys = await self._recall(conversation_id)
        await conn.execute(Q["forget_expired_blocks"])
        row: Any = await conn.fetchrow(
            Q["insert_block"],
            conversation_id,
            keys.device,
            keys.address,
            request.reason,
            staff_id,
            request.hours,
            ADDRESS_HOURS,
        )
        await record(
            conn,
            organisation_id=tenant_id,
            actor_id=staff_id,
            action="visitor.blocked",
            target=str(row["id"]),
            details={
                "reason": request.reason,
                "duration_hours": request.hours,
                "device": keys.device is not None,
                "network": keys.address is not None,
            },
        )
        return row["id"]  # type: ignore[no-any-return]

    @staticmethod
    async def lift(conn: Connection, tenant_id: UUID, block_id: UUID, staff_id: UUID) -> None:
        row: Any = await conn.fetchrow(Q["lift_block"], block_id, staff_id)
        if row is None:
            raise NotFound(code="block_not_found")
        await record(
            conn,
            organisation_id=tenant_id,
            actor_id=staff_id,
            action="visitor.unblocked",
            target=str(block_id),
            details={"reason": row["reason"]},
        )

    @staticmethod
    async def listed(conn: Connection) -> list[BlockView]:
        await conn.execute(Q["forget_expired_blocks"])
        return [_view(r) for r in await conn.fetch(Q["list_blocks"])]


def _view(row: Any) -> BlockView:
    return BlockView(
        id=row["id"],
        reason=row["reason"],
        created_at=row["created_at"],
        until=row["until"],
        active=row["active"],
        by_address=row["by_address"],
        conversation_id=row["conversation_id"],
        blocked_by=row["blocked_by"],
        lifted_at=row["lifted_at"],
        lifted_by=row["lifted_by"],
    )
