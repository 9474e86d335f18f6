"""Who may act where: the roles, and the tenants a staff member may act in (their own
organisation's, and those that granted it as a partner), as PostgreSQL's havre_staff_access
returns them. Below auth, staff and conversations, which all ask it."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

import msgspec

from server.db import Database

ROLES = ("listener", "supervisor", "admin", "owner")
Role = Literal["listener", "supervisor", "admin", "owner"]


def role_at_least(role: str, minimum: str) -> bool:
    return ROLES.index(role) >= ROLES.index(minimum)


class TenantAccess(msgspec.Struct, frozen=True):
    """What one staff member may do in one tenant, and why."""

    organisation_id: UUID
    slug: str
    name: str
    role: Role
    via_partner: UUID | None = None
    team_ids: list[UUID] | None = None


async def staff_access(db: Database, staff_id: UUID) -> list[TenantAccess]:
    async with db.transaction(staff_id=staff_id) as conn:
        rows = await conn.fetch(
            "SELECT * FROM havre_staff_access($1) ORDER BY via_partner NULLS FIRST, slug", staff_id
        )
    best: dict[UUID, TenantAccess] = {}
    for row in rows:
        access = msgspec.convert(dict(row), TenantAccess)
        # A direct membership wins over a partner grant for the same tenant.
        best.setdefault(access.organisation_id, access)
    return list(best.values())
