"""The dashboard's and audit log's JSON endpoints, for a tenant's admins and owners."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from litestar.types import ControllerRouterHandler

from server.access import TenantAccess
from server.auth import tenant_role_guard
from server.dashboard.audit_log import AuditQuery, load_audit_page
from server.dashboard.pages import audit_page, dashboard_page
from server.dashboard.service import DashboardQuery, load_dashboard
from server.dashboard.structs import AuditPage, Dashboard
from server.db import Database
from server.errors import Forbidden, request_locale
from server.protection.guard import StartGuard

DAY = "YYYY-MM-DD, in the tenant's time zone"
FirstDay = Annotated[str | None, QueryParameter(name="from", description=DAY, max_length=20)]
LastDay = Annotated[str | None, QueryParameter(name="to", description=DAY, max_length=20)]


def _own_admin(request: Request[Any, Any, Any]) -> TenantAccess:
    """The guard checked the role; partner staff are capped below admin, but say it here too."""
    access: TenantAccess = request.state.tenant_access
    if access.via_partner is not None:
        raise Forbidden()
    return access


class DashboardController(Controller):
    path = "/api/tenants/{slug:str}"
    tags = ["dashboard"]
    guards = [tenant_role_guard]

    @get(
        "/dashboard",
        operation_id="getDashboard",
        name="dashboard:figures",
        opt={"min_role": "admin"},
    )
    async def dashboard(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Database],
        guard: NamedDependency[StartGuard],
        date_from: Annotated[
            str | None, QueryParameter(name="from", description=DAY, max_length=20)
        ] = None,
        date_to: Annotated[
            str | None, QueryParameter(name="to", description=DAY, max_length=20)
        ] = None,
        team: Annotated[str | None, QueryParameter(name="team", max_length=100)] = None,
    ) -> Dashboard:
        """Figures for a period (default: the last 30 days) and optionally one team."""
        return await load_dashboard(
            db,
            _own_admin(request),
            request.state.staff.staff_id,
            DashboardQuery(date_from=date_from, date_to=date_to, team=team),
            request_locale(request),
            guard.refused,
        )

    @get(
        "/audit",
        operation_id="listAuditEntries",
        name="dashboard:audit",
        opt={"min_role": "admin"},
    )
    async def audit(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Database],
        date_from: Annotated[
            str | None, QueryParameter(name="from", description=DAY, max_length=20)
        ] = None,
        date_to: Annotated[
            str | None, QueryParameter(name="to", description=DAY, max_length=20)
        ] = None,
        action: Annotated[str | None, QueryParameter(name="action", max_length=100)] = None,
        actor: Annotated[str | None, QueryParameter(name="actor", max_length=300)] = None,
        older: Annotated[str | None, QueryParameter(name="older", max_length=20)] = None,
        newer: Annotated[str | None, QueryParameter(name="newer", max_length=20)] = None,
    ) -> AuditPage:
        """Newest first, 50 per page; `older`/`newer` in the answer are the next cursors."""
        return await load_audit_page(
            db,
            _own_admin(request),
            request.state.staff.staff_id,
            AuditQuery(
                date_from=date_from,
                date_to=date_to,
                action=action,
                actor=actor,
                older=older,
                newer=newer,
            ),
            request_locale(request),
        )


DASHBOARD_HANDLERS: list[ControllerRouterHandler] = [
    DashboardController,
    dashboard_page,
    audit_page,
]
