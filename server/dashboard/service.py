"""The dashboard's rules: filters checked against the tenant, then every figure read at once."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import msgspec

from server.access import TenantAccess
from server.dashboard import filters, repository
from server.dashboard.structs import Dashboard, TeamChoice
from server.db import Connection, Database
from server.i18n import Locale
from server.protection.refusals import REASONS, RefusedStarts
from server.protection.refusals import Q as PROTECTION_Q


class DashboardQuery(msgspec.Struct, frozen=True):
    """The raw query string: checked by load_dashboard, which knows the tenant's calendar."""

    date_from: str | None = None
    date_to: str | None = None
    team: str | None = None


async def load_dashboard(
    db: Database,
    access: TenantAccess,
    staff_id: UUID,
    query: DashboardQuery,
    locale: Locale,
    refused: RefusedStarts,
) -> Dashboard:
    """Raises FilterError (400) for bad dates, a reversed or too long period, an unknown team."""
    team_key = filters.team_key(query.team, locale)
    await refused.move(access.organisation_id)  # what Redis still holds, first
    async with db.tenant_transaction(access.organisation_id, staff_id=staff_id) as conn:
        calendar = await repository.calendar(conn)
        period = filters.dashboard_period(query.date_from, query.date_to, calendar.today, locale)
        teams = await repository.teams(conn)
        team_id = None
        if team_key is not None:
            team_id = next((tid for tid, slug, _ in teams if slug == team_key), None)
            if team_id is None:
                raise filters.FilterError("unknown_team", "team", locale)
        figures = repository.Figures(conn, period.first, period.last, team_id)
        return Dashboard(
            tenant=access.slug,
            time_zone=calendar.time_zone,
            date_from=period.first,
            date_to=period.last,
            team=team_key,
            teams=[TeamChoice(key=slug, name=name) for _, slug, name in teams],
            per_day=await figures.per_day(),
            outcomes=await figures.outcomes(),
            waits=await figures.waits(),
            durations=await figures.durations(),
            risk_levels=await figures.risk_levels(),
            topics=await figures.topics(),
            wrapup_topics=await figures.wrapup_topics(),
            ratings=await figures.ratings(),
            refused_starts=await _refused_starts(conn, period.first, period.last),
        )


async def _refused_starts(conn: Connection, first: date, last: date) -> dict[str, int]:
    """Starts the line refused (whole line: a refusal comes before any team is chosen)."""
    rows = await conn.fetch(PROTECTION_Q["refused_starts_between"], first, last)
    found = {r["reason"]: r["starts"] for r in rows}
    return {reason: found.get(reason, 0) for reason in REASONS}
