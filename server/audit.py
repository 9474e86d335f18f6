"""The audit log of staff actions: one way to write an entry, inside the caller's transaction."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from asyncpg import Connection


async def record(
    conn: Connection,
    *,
    organisation_id: UUID,
    actor_id: UUID | None,
    action: str,
    target: str = "",
    details: dict[str, Any] | None = None,
) -> None:
    """Append one entry. `details` must never hold conversation text (house rule: privacy)."""
    await conn.execute(
        "INSERT INTO audit_log (organisation_id, actor_id, action, target, details) "
        "VALUES ($1, $2, $3, $4, $5)",
        organisation_id,
        actor_id,
        action,
        target,
        details or {},
    )
