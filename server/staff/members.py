"""A tenant's members: who they are, their role, teams, capacity and supervision, and the rules
for changing them (owners protect owners; the last active owner stays)."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

import msgspec
from msgspec import UNSET

from server import audit
from server.access import TenantAccess
from server.db import Connection
from server.errors import Forbidden, HavreError, InvalidInput, NotFound
from server.staff.admin_structs import Member, MemberUpdate, TeamRef

_PRIVILEGED = ("admin", "owner")

_MEMBERS = """
    SELECT m.staff_id, s.email, s.display_name, m.role, m.is_active,
           s.totp_enabled_at IS NOT NULL AS totp_enabled, m.capacity,
           m.supervised_conversations,
           COALESCE(array_agg(tm.team_id ORDER BY tm.team_id)
                    FILTER (WHERE tm.team_id IS NOT NULL), '{}') AS team_ids
      FROM memberships m
      JOIN staff_users s ON s.id = m.staff_id
      LEFT JOIN team_members tm ON tm.organisation_id = m.organisation_id
                               AND tm.staff_id = m.staff_id
     WHERE m.organisation_id = $1 {where}
     GROUP BY m.staff_id, s.email, s.display_name, m.role, m.is_active, s.totp_enabled_at,
              m.capacity, m.supervised_conversations
"""


class Conflict(HavreError):
    status = 409


async def members(conn: Connection, organisation_id: UUID) -> list[Member]:
    rows = await conn.fetch(
        _MEMBERS.replace("{where}", "")
        + " ORDER BY m.is_active DESC, lower(s.display_name), s.email",
        organisation_id,
    )
    return [msgspec.convert(dict(r), Member) for r in rows]


async def member(conn: Connection, organisation_id: UUID, staff_id: UUID) -> Member | None:
    row = await conn.fetchrow(
        _MEMBERS.replace("{where}", "AND m.staff_id = $2"), organisation_id, staff_id
    )
    return msgspec.convert(dict(row), Member) if row else None


async def teams(conn: Connection) -> list[TeamRef]:
    rows = await conn.fetch("SELECT id, slug, name FROM teams ORDER BY name, slug")
    return [TeamRef(id=r["id"], slug=r["slug"], name=r["name"]) for r in rows]


async def check_teams(conn: Connection, team_ids: Sequence[UUID]) -> None:
    """Every id names a team of the current tenant (row-level security hides the others)."""
    if not team_ids:
        return
    found = await conn.fetchval(
        "SELECT count(*) FROM teams WHERE id = ANY($1::uuid[])", list(set(team_ids))
    )
    if found != len(set(team_ids)):
        raise InvalidInput(code="unknown_team", details={"field": "team_ids"})


async def update(
    conn: Connection,
    *,
    access: TenantAccess,
    actor_id: UUID,
    staff_id: UUID,
    data: MemberUpdate,
) -> tuple[Member, set[UUID] | None]:
    """Applies the change; returns the member and, when they were just deactivated, the
    session families revoked (their access tokens are to be refused too)."""
    org = access.organisation_id
    # One change of members at a time per tenant, so two owners cannot demote each other at once.
    await conn.execute("SELECT pg_advisory_xact_lock(hashtext('havre-members:' || $1))", str(org))
    current = await conn.fetchrow(
        "SELECT role, is_active FROM memberships WHERE organisation_id = $1 AND staff_id = $2",
        org,
        staff_id,
    )
    if current is None:
        raise NotFound(code="member_not_found")
    before = await member(conn, org, staff_id)
    assert before is not None
    is_owner_actor = access.role == "owner"
    if current["role"] == "owner" and not is_owner_actor:
        raise Forbidden(code="owner_protected")
    role = current["role"] if data.role is UNSET else data.role
    active = current["is_active"] if data.is_active is UNSET else data.is_active
    if (
        role != current["role"]
        and not is_owner_actor
        and (role in _PRIVILEGED or current["role"] in _PRIVILEGED)
    ):
        raise Forbidden(code="owner_only")
    if current["role"] == "owner" and current["is_active"] and (role != "owner" or not active):
        others = await conn.fetchval(
            """SELECT count(*) FROM memberships m JOIN staff_users s ON s.id = m.staff_id
                WHERE m.organisation_id = $1 AND m.role = 'owner' AND m.is_active
                  AND s.is_active AND m.staff_id <> $2""",
            org,
            staff_id,
        )
        if others == 0:
            raise Conflict(code="last_owner")
    if data.team_ids is not UNSET:
        await check_teams(conn, data.team_ids)
        await conn.execute(
            "DELETE FROM team_members WHERE staff_id = $1 AND NOT (team_id = ANY($2::uuid[]))",
            staff_id,
            data.team_ids,
        )
        await conn.execute(
            """INSERT INTO team_members (organisation_id, team_id, staff_id)
               SELECT $1, t, $2 FROM unnest($3::uuid[]) AS t ON CONFLICT DO NOTHING""",
            org,
            staff_id,
            list(set(data.team_ids)),
        )
    await conn.execute(
        """UPDATE memberships SET role = $3, is_active = $4,
                  capacity = CASE WHEN $5 THEN $6::integer ELSE capacity END,
                  supervised_conversations = COALESCE($7, supervised_conversations)
            WHERE organisation_id = $1 AND staff_id = $2""",
        org,
        staff_id,
        role,
        active,
        data.capacity is not UNSET,
        None if data.capacity is UNSET else data.capacity,
        None if data.supervised_conversations is UNSET else data.supervised_conversations,
    )
    changed = await member(conn, org, staff_id)
    assert changed is not None
    await _audit_changes(conn, access, actor_id, data, before, changed)
    if not (current["is_active"] and not active):
        return changed, None
    rows = await conn.fetch("SELECT havre_revoke_member_sessions($1) AS family_id", staff_id)
    return changed, {row["family_id"] for row in rows}


async def _audit_changes(
    conn: Connection,
    access: TenantAccess,
    actor_id: UUID,
    data: MemberUpdate,
    before: Member,
    after: Member,
) -> None:
    """One entry per kind of change; settings with their values before and after (team ids,
    which the audit page names)."""
    org = access.organisation_id
    if after.role != before.role:
        await audit.record(
            conn,
            organisation_id=org,
            actor_id=actor_id,
            action="staff.role_changed",
            target=after.email,
            details={"from": before.role, "to": after.role},
        )
    if after.is_active != before.is_active:
        action = "staff.reactivated" if after.is_active else "staff.deactivated"
        await audit.record(
            conn, organisation_id=org, actor_id=actor_id, action=action, target=after.email
        )
    changes = [
        {
            "field": name,
            "from": msgspec.to_builtins(getattr(before, name)),
            "to": msgspec.to_builtins(getattr(after, name)),
        }
        for name in ("capacity", "supervised_conversations", "team_ids")
        if getattr(data, name) is not UNSET and getattr(before, name) != getattr(after, name)
    ]
    if changes:
        await audit.record(
            conn,
            organisation_id=org,
            actor_id=actor_id,
            action="staff.settings_changed",
            target=after.email,
            details={"changes": changes},
        )
