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
from typing import TYPE_CHECKING
from uuid import UUID

from server.dashboard.repository import Q
from server.db import Database
from server.errors import HavreError

if TYPE_CHECKING:
    from server.conversations.start import ConversationStart

log = logging.getLogger("havre.dashboard")


@asynccontextmanager
async def counting_refusals(
    db: Database, tenant_id: UUID, start: ConversationStart, now: datetime
) -> AsyncIterator[None]:
    """Wraps the start's transaction; a `tenant_closed` refusal leaving it is counted."""
    try:
        yield
    except HavreError as error:
        if error.code == "tenant_closed":
            await count_refusal(db, tenant_id, start, now)
        raise


async def count_refusal(
    db: Database, tenant_id: UUID, start: ConversationStart, now: datetime
) -> None:
    # Imported here: conversations.start uses this module.
    from server.conversations.start import route_team
    from server.tenants.files import read_tenant

    try:
        async with db.tenant_transaction(tenant_id) as conn:
            tenant = await read_tenant(conn, start.tenant)
            team = route_team(tenant, start.topic, start.locale) if tenant else None
            await conn.execute(Q["count_closed_attempt"], team, now)
    except Exception as exc:  # the visitor's answer matters more than a count
        log.warning("out-of-hours attempt not counted: %s", type(exc).__name__)
