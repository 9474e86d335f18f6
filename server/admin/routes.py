"""The admin console's JSON API: one GET and one PUT per settings section, plus the live
helpers (contrast check, opening-hours preview, referral reset). Admins and owners of the
tenant named by the path only; partner staff are capped below admin by the guard."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, TypeAlias

import msgspec
from litestar import Controller, Request, get, post, put
from litestar.di import NamedDependency
from litestar.params import JSONBody

from server.admin import service as s
from server.admin.pages import ADMIN_PAGES
from server.admin.problems import convert
from server.admin.repository import staff_options, team_members
from server.admin.structs import (
    BrandingSettings,
    BrandingValues,
    BrandingView,
    ColourPair,
    ContrastNotice,
    HoursPreview,
    HoursSettings,
    HoursView,
    PrivacySettings,
    PrivacyView,
    ProtectionView,
    ReferralsSettings,
    ReferralsView,
    ReferralView,
    RepliesSettings,
    RepliesView,
    ReplyView,
    RoutingSettings,
    TeamsSettings,
    TeamsView,
    TeamView,
    WidgetSettings,
    WidgetView,
)
from server.auth import tenant_role_guard
from server.conversations.events import Channels
from server.db import Database
from server.errors import request_locale
from server.referrals.defaults import national_referrals
from server.tenants.structs import Branding, Protection, TenantFile

ADMIN = {"min_role": "admin"}
# Bodies are validated by the section structs in problems.convert, for worded field errors.
Body: TypeAlias = JSONBody[dict[str, Any]]


def settings_service(request: Request[Any, Any, Any], db: Database) -> s.SettingsService:
    return s.SettingsService(
        db, request.state.tenant_access, request.state.staff.staff_id, request_locale(request)
    )


def branding_view(tenant: TenantFile, locale: Any) -> BrandingView:
    return BrandingView(
        name=tenant.name,
        exit_url=tenant.exit_url,
        branding=BrandingValues(**msgspec.structs.asdict(tenant.branding)),
        warnings=s.contrast_notices(tenant.branding, locale),
    )


def hours_view(tenant: TenantFile) -> HoursView:
    return HoursView(
        time_zone=tenant.time_zone,
        closing_cutoff_minutes=tenant.routing.closing_cutoff_minutes,
        hours=tenant.hours,
        exceptions=tenant.exceptions,
        preview=s.hours_preview(tenant, datetime.now(UTC)),
    )


def referrals_view(tenant: TenantFile) -> ReferralsView:
    return ReferralsView(
        [
            ReferralView(
                key=r.key,
                name=r.name,
                topics=r.topics,
                hours=r.hours,
                description=r.description,
                phone=r.phone,
                sms=r.sms,
                url=r.url,
                emergency=r.emergency,
                hidden=r.hidden,
            )
            for r in tenant.referrals
        ]
    )


def replies_view(tenant: TenantFile) -> RepliesView:
    return RepliesView([ReplyView(c.key, c.locale, c.title, c.body) for c in tenant.canned_replies])


def widget_view(tenant: TenantFile, public_url: str) -> WidgetView:
    return WidgetView(
        allowed_origins=tenant.allowed_origins,
        snippet=f'<script src="{public_url}/widget.js" data-tenant="{tenant.slug}" async></script>',
        test_page=f"/admin/{tenant.slug}/widget/test",
    )


async def teams_view(service: s.SettingsService, tenant: TenantFile) -> TeamsView:
    async with service.db.tenant_transaction(
        service.access.organisation_id, staff_id=service.staff_id
    ) as conn:
        members = await team_members(conn, service.access.organisation_id)
        staff = await staff_options(conn, service.access.organisation_id)
    r = tenant.routing
    return TeamsView(
        routing=RoutingSettings(
            mode=r.mode,
            default_capacity=r.default_capacity,
            session_limit_minutes=r.session_limit_minutes,
            inactivity_timeout_minutes=r.inactivity_timeout_minutes,
            wait_alert_minutes=r.wait_alert_minutes,
            shift_alert_minutes=r.shift_alert_minutes,
        ),
        teams=[
            TeamView(
                t.slug,
                t.name,
                list(t.languages),
                list(t.topics),
                members.get(t.slug, []),
                t.role_word,
            )
            for t in tenant.teams
        ],
        staff=staff,
        topics=list(tenant.topics),
    )


class AdminSettingsController(Controller):
    path = "/api/admin/{slug:str}"
    tags = ["admin"]
    guards = [tenant_role_guard]
    opt = ADMIN

    @get("/branding", operation_id="getBranding", name="admin:branding")
    async def get_branding(
        self, request: Request[Any, Any, Any], db: NamedDependency[Database]
    ) -> BrandingView:
        service = settings_service(request, db)
        return branding_view(await service.tenant(), service.locale)

    @put("/branding", operation_id="saveBranding", name="admin:branding-save")
    async def save_branding(
        self, request: Request[Any, Any, Any], db: NamedDependency[Database], data: Body
    ) -> BrandingView:
        service = settings_service(request, db)
        update = convert(data, BrandingSettings, service.locale)
        tenant = await service.save("branding", lambda t: s.apply_branding(t, update))
        return branding_view(tenant, service.locale)

    @post(
        "/branding/check",
        operation_id="checkContrast",
        name="admin:branding-check",
        status_code=200,
    )
    async def check_branding(
        self, request: Request[Any, Any, Any], data: Body
    ) -> list[ContrastNotice]:
        """The contrast warnings of unsaved colours: the console checks as the admin types."""
        locale = request_locale(request)
        pair = convert(data, ColourPair, locale)
        branding = Branding(primary_color=pair.primary_color, text_color=pair.text_color)
        return s.contrast_notices(branding, locale)

    @get("/hours", operation_id="getHours", name="admin:hours")
    async def get_hours(
        self, request: Request[Any, Any, Any], db: NamedDependency[Database]
    ) -> HoursView:
        return hours_view(await settings_service(request, db).tenant())

    @put("/hours", operation_id="saveHours", name="admin:hours-save")
    async def save_hours(
        self, request: Request[Any, Any, Any], db: NamedDependency[Database], data: Body
    ) -> HoursView:
        service = settings_service(request, db)
        update = convert(data, HoursSettings, service.locale)
        return hours_view(await service.save("hours", lambda t: s.apply_hours(t, update)))

    @post(
        "/hours/preview",
        operation_id="previewHours",
        name="admin:hours-preview",
        status_code=200,
    )
    async def preview_hours(
        self, request: Request[Any, Any, Any], db: NamedDependency[Database], data: Body
    ) -> HoursPreview:
        """What a visitor would read right now with these (unsaved) hours; nothing is stored."""
        service = settings_service(request, db)
        update = convert(data, HoursSettings, service.locale)
        tenant = s.apply_hours(await service.tenant(), update)
        s.check(tenant, service.locale)
        return s.hours_preview(tenant, datetime.now(UTC))

    @get("/teams", operation_id="getTeams", name="admin:teams")
    async def get_teams(
        self, request: Request[Any, Any, Any], db: NamedDependency[Database]
    ) -> TeamsView:
        service = settings_service(request, db)
        return await teams_view(service, await service.tenant())

    @put("/teams", operation_id="saveTeams", name="admin:teams-save")
    async def save_teams(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Database],
        channels: NamedDependency[Channels],
        data: Body,
    ) -> TeamsView:
        service = settings_service(request, db)
        update = convert(data, TeamsSettings, service.locale)
        tenant = await service.save(
            "teams", lambda t: s.apply_teams(t, update), [t.members for t in update.teams]
        )
        # Team members changed: the consoles serving this line re-check their team scope.
        await channels.access_changed(service.access.organisation_id)
        return await teams_view(service, tenant)

    @get("/referrals", operation_id="getReferralList", name="admin:referrals")
    async def get_referrals(
        self, request: Request[Any, Any, Any], db: NamedDependency[Database]
    ) -> ReferralsView:
        return referrals_view(await settings_service(request, db).tenant())

    @put("/referrals", operation_id="saveReferrals", name="admin:referrals-save")
    async def save_referrals(
        self, request: Request[Any, Any, Any], db: NamedDependency[Database], data: Body
    ) -> ReferralsView:
        service = settings_service(request, db)
        update = convert(data, ReferralsSettings, service.locale)
        return referrals_view(
            await service.save("referrals", lambda t: s.apply_referrals(t, update))
        )

    @post(
        "/referrals/reset",
        operation_id="resetReferrals",
        name="admin:referrals-reset",
        status_code=200,
    )
    async def reset_referrals(
        self, request: Request[Any, Any, Any], db: NamedDependency[Database]
    ) -> ReferralsView:
        """Replaces the list with the national French defaults (server/referrals/defaults.py)."""
        service = settings_service(request, db)
        tenant = await service.save(
            "referrals", lambda t: msgspec.structs.replace(t, referrals=national_referrals())
        )
        return referrals_view(tenant)

    @get("/replies", operation_id="getCannedRepliesSettings", name="admin:replies")
    async def get_replies(
        self, request: Request[Any, Any, Any], db: NamedDependency[Database]
    ) -> RepliesView:
        return replies_view(await settings_service(request, db).tenant())

    @put("/replies", operation_id="saveCannedReplies", name="admin:replies-save")
    async def save_replies(
        self, request: Request[Any, Any, Any], db: NamedDependency[Database], data: Body
    ) -> RepliesView:
        service = settings_service(request, db)
        update = convert(data, RepliesSettings, service.locale)
        return replies_view(await service.save("replies", lambda t: s.apply_replies(t, update)))

    @get("/widget", operation_id="getWidgetSettings", name="admin:widget")
    async def get_widget(
        self, request: Request[Any, Any, Any], db: NamedDependency[Database]
    ) -> WidgetView:
        tenant = await settings_service(request, db).tenant()
        return widget_view(tenant, request.app.state.settings.server.public_url)

    @put("/widget", operation_id="saveWidgetSettings", name="admin:widget-save")
    async def save_widget(
        self, request: Request[Any, Any, Any], db: NamedDependency[Database], data: Body
    ) -> WidgetView:
        service = settings_service(request, db)
        update = convert(data, WidgetSettings, service.locale)
        tenant = await service.save("widget", lambda t: s.apply_widget(t, update))
        return widget_view(tenant, request.app.state.settings.server.public_url)

    @get("/privacy", operation_id="getPrivacy", name="admin:privacy")
    async def get_privacy(
        self, request: Request[Any, Any, Any], db: NamedDependency[Database]
    ) -> PrivacyView:
        return PrivacyView((await settings_service(request, db).tenant()).retention_days)

    @put("/privacy", operation_id="savePrivacy", name="admin:privacy-save")
    async def save_privacy(
        self, request: Request[Any, Any, Any], db: NamedDependency[Database], data: Body
    ) -> PrivacyView:
        service = settings_service(request, db)
        update = convert(data, PrivacySettings, service.locale)
        tenant = await service.save("privacy", lambda t: s.apply_privacy(t, update))
        return PrivacyView(tenant.retention_days)

    @get("/protection", operation_id="getProtection", name="admin:protection")
    async def get_protection(
        self, request: Request[Any, Any, Any], db: NamedDependency[Database]
    ) -> ProtectionView:
        tenant = await settings_service(request, db).tenant()
        return s.protection_view(tenant, request.app.state.settings.chat)

    @put("/protection", operation_id="saveProtection", name="admin:protection-save")
    async def save_protection(
        self, request: Request[Any, Any, Any], db: NamedDependency[Database], data: Body
    ) -> ProtectionView:
        """The line's own start limits, fair use and challenge, within the file's bounds;
        unset values follow the instance's (which stay the ceiling)."""
        service = settings_service(request, db)
        update = convert(data, Protection, service.locale)
        tenant = await service.save("protection", lambda t: s.apply_protection(t, update))
        return s.protection_view(tenant, request.app.state.settings.chat)


# Registered in server/app.py: the API and the pages of the admin console.
ADMIN_HANDLERS: list[Any] = [AdminSettingsController, *ADMIN_PAGES]
