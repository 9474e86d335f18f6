"""SQL the tenant file does not cover: who is in which team, and who can be put in one."""

from __future__ import annotations

from uuid import UUID

from server.admin.structs import StaffOption
from server.db import Connection


async def staff_options(conn: Connection, org_id: UUID) -> list[StaffOption]:
    """The organisation's active members (own staff only: partners are granted, not placed)."""
    rows = await conn.fetch(
        """SELECT s.id, s.email, s.display_name, m.role
             FROM memberships m JOIN staff_users s ON s.id = m.staff_id
            WHERE m.organisation_id = $1 AND m.is_active
            ORDER BY lower(coalesce(nullif(s.display_name, ''), s.email))""",
        org_id,
    )
    return [
        StaffOption(
            id=r["id"],
            label=f"{r['display_name']} <{r['email']}>" if r["display_name"] else r["email"],
            role=r["role"],
        )
        for r in rows
    ]


async def team_members(conn: Connection, org_id: UUID) -> dict[str, list[UUID]]:
    """Members by team slug, in a stable order."""
    rows = await conn.fetch(
        """SELECT t.slug, tm.staff_id FROM team_members tm JOIN teams t ON t.id = tm.team_id
            WHERE tm.organisation_id = $1 ORDER BY t.slug, tm.staff_id""",
        org_id,
    )
    members: dict[str, list[UUID]] = {}
    for row in rows:
        members.setdefault(row["slug"], []).append(row["staff_id"])
    return members


async def set_team_members(conn: Connection, org_id: UUID, wanted: dict[str, list[UUID]]) -> None:
    """Each listed team gets exactly these members (teams are already written)."""
    teams = {
        r["slug"]: r["id"]
        for r in await conn.fetch("SELECT slug, id FROM teams WHERE organisation_id = $1", org_id)
    }
    for slug, staff_ids in wanted.items():
        team_id = teams[slug]
        await conn.execute(
            "DELETE FROM team_members WHERE team_id = $1 AND NOT (staff_id = ANY($2::uuid[]))",
            team_id,
            staff_ids,
        )
        await conn.executemany(
            "INSERT INTO team_members (organisation_id, team_id, staff_id) VALUES ($1, $2, $3) "
            "ON CONFLICT DO NOTHING",
            [(org_id, team_id, staff_id) for staff_id in staff_ids],
        )
