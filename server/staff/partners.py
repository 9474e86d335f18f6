"""Partner grants, host side: which other organisations' listeners may answer this tenant's
chats, for all of its teams or some. Row-level security lets only the host write them."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from server import audit
from server.db import Connection
from server.errors import InvalidInput, NotFound
from server.staff.admin_structs import PartnerGrant
from server.staff.members import check_teams


async def grants(conn: Connection, host_id: UUID) -> list[PartnerGrant]:
    rows = await conn.fetch(
        """SELECT p.partner_id, o.slug, o.name, p.team_ids, p.created_at
             FROM partnerships p, LATERAL havre_organisation_public(p.partner_id) o
            WHERE p.host_id = $1 ORDER BY o.name""",
        host_id,
    )
    return [
        PartnerGrant(
            partner_id=r["partner_id"],
            slug=r["slug"],
            name=r["name"],
            team_ids=r["team_ids"],
            created_at=r["created_at"],
        )
        for r in rows
    ]


async def _partner_id(conn: Connection, slug: str) -> UUID:
    found = await conn.fetchval("SELECT id FROM havre_tenant_by_slug($1)", slug)
    if found is None:
        raise NotFound(code="partner_not_found")
    partner_id: UUID = found
    return partner_id


async def grant(
    conn: Connection,
    *,
    host_id: UUID,
    actor_id: UUID,
    partner_slug: str,
    team_ids: list[UUID] | None,
) -> PartnerGrant:
    """Grants, or changes the teams of, a partner organisation; the same call twice is one grant."""
    partner_id = await _partner_id(conn, partner_slug)
    if partner_id == host_id:
        raise InvalidInput(code="partner_is_self")
    teams = sorted(set(team_ids)) if team_ids is not None else None
    if teams is not None:
        await check_teams(conn, teams)
    previous = await conn.fetchrow(
        "SELECT team_ids FROM partnerships WHERE host_id = $1 AND partner_id = $2",
        host_id,
        partner_id,
    )
    await conn.execute(
        """INSERT INTO partnerships (host_id, partner_id, team_ids) VALUES ($1, $2, $3)
           ON CONFLICT (host_id, partner_id) DO UPDATE SET team_ids = EXCLUDED.team_ids""",
        host_id,
        partner_id,
        teams,
    )
    await audit.record(
        conn,
        organisation_id=host_id,
        actor_id=actor_id,
        action="partner.granted",
        target=partner_slug,
        details=_grant_details(teams, previous),
    )
    return next(g for g in await grants(conn, host_id) if g.partner_id == partner_id)


def _grant_details(teams: list[UUID] | None, previous: Any) -> dict[str, Any]:
    """The teams granted ("all", or team ids the audit page names), and those granted before
    when the grant only changes."""

    def scope(ids: list[UUID] | None) -> str | list[str]:
        return "all" if ids is None else [str(i) for i in ids]

    details: dict[str, Any] = {"teams": scope(teams)}
    if previous is not None:
        old = None if previous["team_ids"] is None else sorted(previous["team_ids"])
        if old != teams:
            details["previous_teams"] = scope(old)
    return details


async def revoke(conn: Connection, *, host_id: UUID, actor_id: UUID, partner_slug: str) -> None:
    partner_id = await _partner_id(conn, partner_slug)
    removed = await conn.fetchval(
        "DELETE FROM partnerships WHERE host_id = $1 AND partner_id = $2 RETURNING partner_id",
        host_id,
        partner_id,
    )
    if removed is None:
        raise NotFound(code="grant_not_found")
    await audit.record(
        conn,
        organisation_id=host_id,
        actor_id=actor_id,
        action="partner.revoked",
        target=partner_slug,
    )
