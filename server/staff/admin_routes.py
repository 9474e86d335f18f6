"""The admin section "Staff & partners": its page and its JSON API, for a tenant's admins."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from litestar import Controller, Request, delete, get, patch, post, put
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from server.access import ROLES, TenantAccess, role_at_least
from server.auth import tenant_role_guard
from server.conversations.events import Channels
from server.db import Database
from server.errors import NotFound
from server.routing.presence import PresenceStore
from server.staff import invitations, members, partners
from server.staff.admin_structs import (
    InvitationCreate,
    InvitationCreated,
    Member,
    MemberUpdate,
    PartnerGrant,
    PartnerGrantUpdate,
    PartnersOverview,
    StaffOverview,
)
from server.staff.deps import mailer
from server.staff.mailer import Mailer
from server.staff.pages import page_locale, render, signed_in, to_sign_in
from server.staff.service import SignInService
from server.tenants.files import read_tenant
from server.words import page_texts

ADMIN = {"min_role": "admin"}


def _scope(request: Request[Any, Any, Any]) -> tuple[TenantAccess, UUID]:
    return request.state.tenant_access, request.state.staff.staff_id


class StaffAdminController(Controller):
    path = "/api/tenants/{slug:str}/staff"
    tags = ["staff"]
    guards = [tenant_role_guard]
    dependencies = {"mailer": Provide(mailer, sync_to_thread=False)}

    @get("/", operation_id="listStaff", name="staff-admin:list", opt=ADMIN)
    async def overview(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Database],
        mailer: NamedDependency[Mailer],
    ) -> StaffOverview:
        access, actor = _scope(request)
        async with db.tenant_transaction(access.organisation_id, staff_id=actor) as conn:
            return StaffOverview(
                members=await members.members(conn, access.organisation_id),
                invitations=await invitations.pending(conn),
                teams=await members.teams(conn),
                can_manage_admins=access.role == "owner",
                smtp_configured=mailer.configured,
            )

    @post(
        "/invitations",
        operation_id="inviteStaff",
        name="staff-admin:invite",
        opt=ADMIN,
        status_code=HTTP_201_CREATED,
    )
    async def invite(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[InvitationCreate],
        db: NamedDependency[Database],
        mailer: NamedDependency[Mailer],
    ) -> InvitationCreated:
        access, actor = _scope(request)
        async with db.tenant_transaction(access.organisation_id, staff_id=actor) as conn:
            invitation, token = await invitations.create(
                conn, access=access, actor_id=actor, data=data
            )
            inviter = await conn.fetchval(
                "SELECT COALESCE(NULLIF(display_name, ''), email) FROM staff_users WHERE id = $1",
                actor,
            )
        link = invitations.invitation_link(request.app.state.settings.server.public_url, token)
        emailed = False
        if mailer.configured:
            subject, body = invitations.invitation_mail(
                locale=invitation.locale,
                organisation=access.name,
                inviter=str(inviter),
                role=invitation.role,
                link=link,
                expires=invitation.expires_at,
            )
            emailed = await mailer.send(to=invitation.email, subject=subject, body=body)
        return InvitationCreated(
            invitation=invitation, emailed=emailed, link=None if emailed else link
        )

    @delete(
        "/invitations/{invitation_id:uuid}",
        operation_id="revokeInvitation",
        name="staff-admin:revoke-invitation",
        opt=ADMIN,
        status_code=HTTP_204_NO_CONTENT,
    )
    async def revoke_invitation(
        self,
        request: Request[Any, Any, Any],
        invitation_id: FromPath[UUID],
        db: NamedDependency[Database],
    ) -> None:
        access, actor = _scope(request)
        async with db.tenant_transaction(access.organisation_id, staff_id=actor) as conn:
            await invitations.revoke(
                conn,
                organisation_id=access.organisation_id,
                actor_id=actor,
                invitation_id=invitation_id,
            )

    @patch(
        "/{staff_id:uuid}", operation_id="updateStaffMember", name="staff-admin:update", opt=ADMIN
    )
    async def update(
        self,
        request: Request[Any, Any, Any],
        staff_id: FromPath[UUID],
        data: JSONBody[MemberUpdate],
        db: NamedDependency[Database],
        presence: NamedDependency[PresenceStore],
        channels: NamedDependency[Channels],
        signin: NamedDependency[SignInService],
    ) -> Member:
        access, actor = _scope(request)
        async with db.tenant_transaction(access.organisation_id, staff_id=actor) as conn:
            member, revoked = await members.update(
                conn, access=access, actor_id=actor, staff_id=staff_id, data=data
            )
        if revoked is not None:
            # Signed out everywhere at once, and out of auto-assignment; their console must
            # set "available" again.
            await signin.revoke_families(revoked)
            await presence.clear(staff_id)
        # Their open consoles re-check what they serve (a deactivated one is closed).
        await channels.access_changed(access.organisation_id, staff_id)
        return member


class PartnersController(Controller):
    path = "/api/tenants/{slug:str}/partners"
    tags = ["staff"]
    guards = [tenant_role_guard]

    @get("/", operation_id="listPartners", name="partners:list", opt=ADMIN)
    async def overview(
        self, request: Request[Any, Any, Any], db: NamedDependency[Database]
    ) -> PartnersOverview:
        access, actor = _scope(request)
        async with db.tenant_transaction(access.organisation_id, staff_id=actor) as conn:
            return PartnersOverview(
                grants=await partners.grants(conn, access.organisation_id),
                teams=await members.teams(conn),
            )

    @put("/{partner:str}", operation_id="grantPartner", name="partners:grant", opt=ADMIN)
    async def grant(
        self,
        request: Request[Any, Any, Any],
        partner: FromPath[str],
        data: JSONBody[PartnerGrantUpdate],
        db: NamedDependency[Database],
        channels: NamedDependency[Channels],
    ) -> PartnerGrant:
        access, actor = _scope(request)
        async with db.tenant_transaction(access.organisation_id, staff_id=actor) as conn:
            granted = await partners.grant(
                conn,
                host_id=access.organisation_id,
                actor_id=actor,
                partner_slug=partner,
                team_ids=data.team_ids,
            )
        # Consoles serving the host (teams narrowed) or the partner (a line added) re-check.
        await channels.access_changed(access.organisation_id)
        await channels.access_changed(granted.partner_id)
        return granted

    @delete(
        "/{partner:str}",
        operation_id="revokePartner",
        name="partners:revoke",
        opt=ADMIN,
        status_code=HTTP_204_NO_CONTENT,
    )
    async def revoke(
        self,
        request: Request[Any, Any, Any],
        partner: FromPath[str],
        db: NamedDependency[Database],
        channels: NamedDependency[Channels],
    ) -> None:
        access, actor = _scope(request)
        async with db.tenant_transaction(access.organisation_id, staff_id=actor) as conn:
            await partners.revoke(
                conn, host_id=access.organisation_id, actor_id=actor, partner_slug=partner
            )
        # The partner's listeners were subscribed to the host's queue: they re-check and lose it.
        await channels.access_changed(access.organisation_id)


@get(["/admin/{slug:str}/staff", "/admin/{slug:str}/staff/"], name="pages:admin-staff",
     include_in_schema=False)  # fmt: skip
async def staff_admin_page(
    request: Request[Any, Any, Any], slug: FromPath[str], db: NamedDependency[Database]
) -> Template | Redirect:
    me = await signed_in(request, db)
    if me is None:
        return to_sign_in(f"/admin/{slug}/staff")
    access = next((a for a in me.tenants if a.slug == slug), None)
    if access is None:
        raise NotFound(code="tenant_not_found")
    locale = page_locale(request, me.locale)
    if not role_at_least(access.role, "admin"):
        return render(
            "admin/staff.html", locale, "acct_staff_title", status_code=403, me=me,
            tenant=access, slug=slug, section="staff", signed_in=True, forbidden=True,
        )  # fmt: skip
    texts = page_texts(locale)
    async with db.tenant_transaction(access.organisation_id, staff_id=me.id) as conn:
        stored = await read_tenant(conn, slug)
    return render(
        "admin/staff.html",
        locale,
        "acct_staff_title",
        me=me,
        tenant=access,
        # Invitation expiries are shown in the line's own time zone.
        time_zone=stored.time_zone if stored else "UTC",
        slug=slug,
        section="staff",
        signed_in=True,
        forbidden=False,
        texts_json=json.dumps(
            {k: v for k, v in texts.items() if k.startswith("acct_") or k in ROLES}
        ),
    )
