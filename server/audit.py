"""The audit log of staff actions: one way to write an entry, inside the caller's transaction."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from server.db import Connection


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


async def record_for_account(conn: Connection, *, staff_id: UUID, action: str) -> None:
    """A change to a person's own account, recorded in each organisation they belong to (not the
    hosts they serve as partners). The transaction is scoped to that person; each entry is
    written with the tenant scope set to its organisation, as row-level security requires."""
    organisations = await conn.fetch(
        "SELECT organisation_id FROM havre_staff_access($1) WHERE via_partner IS NULL", staff_id
    )
    for row in organisations:
        await conn.execute(
            "SELECT set_config('havre.tenant_id', $1, true)", str(row["organisation_id"])
        )
        await record(conn, organisation_id=row["organisation_id"], actor_id=staff_id, action=action)
    await conn.execute("SELECT set_config('havre.tenant_id', '', true)")
