"""The console's `presence` frame: the listener's status, capacity and the conversations they
hold, as the server counts them. Sent after hello and whenever one of them changes, so the
console never has to work them out itself."""

from __future__ import annotations

import contextlib
from uuid import UUID

from redis.exceptions import RedisError

from server.access import TenantAccess
from server.conversations import frames as f
from server.conversations.events import Channels, PresenceChanged
from server.conversations.outbox import Outbox
from server.db import Database
from server.routing.presence import PresenceStore, Status

# The listener's own capacity in the transaction's tenant, or the tenant's default.
_CAPACITY = """
SELECT coalesce(
    (SELECT max(capacity) FROM havre_tenant_staff(havre_current_tenant()) WHERE staff_id = $1),
    (SELECT default_capacity FROM organisations WHERE id = havre_current_tenant()))
"""


class PresenceReport:
    def __init__(
        self,
        *,
        outbox: Outbox,
        db: Database,
        presence: PresenceStore,
        channels: Channels,
        staff_id: UUID,
        accesses: dict[UUID, TenantAccess],
    ) -> None:
        self.outbox = outbox
        self.db = db
        self.presence = presence
        self.channels = channels
        self.staff_id = staff_id
        self.accesses = accesses
        self._last: f.PresenceOut | None = None

    async def capacity(self) -> int:
        """A claim checks the claimed line's capacity against every conversation held, in
        any line: the most a listener can hold at once is their highest line's capacity."""
        best = 0
        for tenant_id in self.accesses:
            async with self.db.tenant_transaction(tenant_id) as conn:
                best = max(best, int(await conn.fetchval(_CAPACITY, self.staff_id) or 0))
        return best

    async def active(self) -> int:
        # havre_listener_load counts across every tenant; any tenant's transaction can call it.
        tenant_id = next(iter(self.accesses))
        async with self.db.tenant_transaction(tenant_id) as conn:
            return int(await conn.fetchval("SELECT havre_listener_load($1)", self.staff_id))

    async def status(self, fallback: Status) -> Status:
        """Presence is per staff member (another console of theirs may have changed it)."""
        try:
            available = await self.presence.available([self.staff_id])
        except (RedisError, OSError):
            return fallback
        return "available" if self.staff_id in available else "away"

    async def send(self, fallback: Status, *, always: bool = False) -> None:
        frame = f.PresenceOut(
            status=await self.status(fallback),
            capacity=await self.capacity(),
            active=await self.active(),
        )
        if always or frame != self._last:
            self._last = frame
            await self.outbox.send(frame)

    async def tell_other_consoles(self) -> None:
        """Every console of this staff member sends its own `presence` frame again."""
        with contextlib.suppress(RedisError, OSError):  # they correct themselves on next change
            await self.channels.publish(
                self.channels.staff(self.staff_id), PresenceChanged(staff_id=self.staff_id)
            )
