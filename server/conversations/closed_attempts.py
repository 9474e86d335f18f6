"""Counting out-of-hours attempts: a visitor's start refused because the line was closed.

Only a number per tenant, day and routed team is kept (table closed_attempts): no address, no
text, no time of day. The refusal rolls its own transaction back, so the count is written after
it, in a transaction of its own, and a failure to count never hides the refusal from the visitor.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from uuid import UUID

from server.conversations.repository import Q
from server.db import Database
from server.errors import HavreError

log = logging.getLogger("havre.dashboard")


@asynccontextmanager
async def counting_refusals(db: Database, tenant_id: UUID, now: datetime) -> AsyncIterator[None]:
    """Wraps the start's transaction; a `tenant_closed` refusal leaving it is counted under
    the team the visitor would have been routed to (start.TenantClosed.team)."""
    try:
        yield
    except HavreError as error:
        if error.code == "tenant_closed":
            await count_refusal(db, tenant_id, getattr(error, "team", None), now)
        raise


async def count_refusal(db: Database, tenant_id: UUID, team: str | None, now: datetime) -> None:
    try:
        async with db.tenant_transaction(tenant_id) as conn:
            await conn.execute(Q["count_closed_attempt"], team, now)
    except Exception as exc:  # the visitor's answer matters more than a count
        log.warning("out-of-hours attempt not counted: %s", type(exc).__name__)
