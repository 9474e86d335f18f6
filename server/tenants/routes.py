"""Tenant configuration as staff read it; guarded by role in the tenant named by the path."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import FromQuery

from server.access import TenantAccess
from server.auth import tenant_role_guard
from server.db import Database
from server.errors import NotFound
from server.tenants.files import Q, read_tenant
from server.tenants.structs import CannedReply, Locale, Referral, TenantFile


class TenantController(Controller):
    path = "/api/tenants/{slug:str}"
    tags = ["tenants"]
    guards = [tenant_role_guard]

    @get(
        "/",
        operation_id="getTenantConfiguration",
        name="tenants:configuration",
        opt={"min_role": "admin"},
    )
    async def configuration(
        self, request: Request[Any, Any, Any], db: NamedDependency[Database]
    ) -> TenantFile:
        access: TenantAccess = request.state.tenant_access
        async with db.tenant_transaction(
            access.organisation_id, staff_id=request.state.staff.staff_id
        ) as conn:
            tenant = await read_tenant(conn, access.slug)
        if tenant is None:
            raise NotFound(code="tenant_not_found")
        return tenant

    @get(
        "/referrals",
        operation_id="listReferrals",
        name="tenants:referrals",
        opt={"min_role": "listener"},
    )
    async def referrals(
        self, request: Request[Any, Any, Any], db: NamedDependency[Database]
    ) -> list[Referral]:
        access: TenantAccess = request.state.tenant_access
        async with db.tenant_transaction(access.organisation_id) as conn:
            tenant = await read_tenant(conn, access.slug)
        return [r for r in tenant.referrals if not r.hidden] if tenant else []

    @get(
        "/canned-replies",
        operation_id="listCannedReplies",
        name="tenants:canned-replies",
        opt={"min_role": "listener"},
    )
    async def canned_replies(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Database],
        locale: FromQuery[Locale | None] = None,
    ) -> list[CannedReply]:
        """The listener console's canned replies, in the conversation's language when asked."""
        access: TenantAccess = request.state.tenant_access
        async with db.tenant_transaction(access.organisation_id) as conn:
            rows = await conn.fetch(Q["canned_replies"], access.organisation_id)
        return [
            CannedReply(key=r["key"], locale=r["locale"], title=r["title"], body=r["body"])
            for r in rows
            if locale is None or r["locale"] == locale
        ]
