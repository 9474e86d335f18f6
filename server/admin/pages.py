"""The admin console's pages: the list of lines one administers, and per line the overview and
the settings sections. Each page renders the stored values; a small script per section sends
changes to the JSON API (routes.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import available_timezones

import msgspec
from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from server.access import TenantAccess, role_at_least
from server.admin import service as s
from server.admin.repository import staff_options, team_members
from server.db import Database
from server.errors import NotFound
from server.i18n import Locale
from server.staff.session import page_locale, signed_in, to_sign_in
from server.staff.structs import Me
from server.tenants.files import read_tenant
from server.tenants.structs import WEEKDAYS, TenantFile
from server.tenants.topics import topic_choices, topic_label
from server.words import page_texts

# The widget test page plays a host site that frames the chat; as strict as the other pages
# otherwise (the loader styles its launcher with a constructed sheet, not an inline style).
TEST_PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; frame-src 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'self'"
)
TIME_ZONES = sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc/"))


def administered(me: Me) -> list[TenantAccess]:
    """The tenants this person administers: admin or owner of their own organisation."""
    return [a for a in me.tenants if a.via_partner is None and role_at_least(a.role, "admin")]


class AdminPage(msgspec.Struct, frozen=True):
    me: Me
    access: TenantAccess
    locale: Locale
    tenant: TenantFile


async def admin_page_for(
    request: Request[Any, Any, Any], db: Database, slug: str, path: str
) -> AdminPage | Redirect:
    """The signed-in admin and the tenant of an admin page; a redirect to sign in when signed
    out; 404 when this person does not administer that tenant (as the API answers)."""
    me = await signed_in(request, db)
    if me is None:
        return to_sign_in(path)
    access = next((a for a in administered(me) if a.slug == slug), None)
    if access is None:
        raise NotFound(code="tenant_not_found")
    async with db.tenant_transaction(access.organisation_id, staff_id=me.id) as conn:
        tenant = await read_tenant(conn, slug)
    if tenant is None:
        raise NotFound(code="tenant_not_found")
    return AdminPage(me, access, page_locale(request, me.locale), tenant)


def render(
    page: AdminPage, template: str, section: str, title_key: str, **context: Any
) -> Template:
    texts = page_texts(page.locale)
    return Template(
        template_name=template,
        context={
            "locale": page.locale,
            "t": texts,
            "title": f"{texts[title_key]} · {page.tenant.name}",
            "me": page.me,
            "signed_in": True,
            "tenant": page.tenant,
            "nav_slug": page.tenant.slug,
            "nav_section": section,
            "nav_name": page.tenant.name,
            "weekdays": WEEKDAYS,
            **context,
        },
    )


def _json(value: Any) -> str:
    """For a data-* attribute (Jinja escapes it there)."""
    return msgspec.json.encode(value).decode()


@get(["/admin", "/admin/"], name="admin:home", include_in_schema=False)
async def admin_home(
    request: Request[Any, Any, Any], db: NamedDependency[Database]
) -> Template | Redirect:
    me = await signed_in(request, db)
    if me is None:
        return to_sign_in("/admin/")
    locale = page_locale(request, me.locale)
    texts = page_texts(locale)
    return Template(
        template_name="admin.html",
        context={
            "locale": locale,
            "t": texts,
            "title": texts["admin_title"],
            "me": me,
            "signed_in": True,
            "lines": administered(me),
        },
    )


@get("/admin/{slug:str}", name="admin:overview", include_in_schema=False)
async def overview_page(
    request: Request[Any, Any, Any], db: NamedDependency[Database], slug: FromPath[str]
) -> Template | Redirect:
    page = await admin_page_for(request, db, slug, f"/admin/{slug}/")
    if isinstance(page, Redirect):
        return page
    tenant = page.tenant
    return render(
        page,
        "admin/overview.html",
        "overview",
        "adm_overview_title",
        now=s.hours_preview(tenant, datetime.now(UTC)),
        shown_referrals=sum(1 for r in tenant.referrals if not r.hidden),
        warnings=s.contrast_notices(tenant.branding, page.locale),
    )


@get("/admin/{slug:str}/branding", name="admin:branding-page", include_in_schema=False)
async def branding_page(
    request: Request[Any, Any, Any], db: NamedDependency[Database], slug: FromPath[str]
) -> Template | Redirect:
    page = await admin_page_for(request, db, slug, f"/admin/{slug}/branding")
    if isinstance(page, Redirect):
        return page
    return render(
        page,
        "admin/branding.html",
        "branding",
        "adm_branding_title",
        warnings=s.contrast_notices(page.tenant.branding, page.locale),
    )


@get("/admin/{slug:str}/hours", name="admin:hours-page", include_in_schema=False)
async def hours_page(
    request: Request[Any, Any, Any], db: NamedDependency[Database], slug: FromPath[str]
) -> Template | Redirect:
    page = await admin_page_for(request, db, slug, f"/admin/{slug}/hours")
    if isinstance(page, Redirect):
        return page
    return render(
        page,
        "admin/hours.html",
        "hours",
        "adm_hours_title",
        now=s.hours_preview(page.tenant, datetime.now(UTC)),
        zones=TIME_ZONES,
    )


@get("/admin/{slug:str}/teams", name="admin:teams-page", include_in_schema=False)
async def teams_page(
    request: Request[Any, Any, Any], db: NamedDependency[Database], slug: FromPath[str]
) -> Template | Redirect:
    page = await admin_page_for(request, db, slug, f"/admin/{slug}/teams")
    if isinstance(page, Redirect):
        return page
    async with db.tenant_transaction(page.access.organisation_id, staff_id=page.me.id) as conn:
        members = await team_members(conn, page.access.organisation_id)
        staff = await staff_options(conn, page.access.organisation_id)
    return render(
        page,
        "admin/teams.html",
        "teams",
        "adm_teams_title",
        members={slug: {str(i) for i in ids} for slug, ids in members.items()},
        staff=staff,
        topic_choices=topic_choices(page.locale, page.tenant.topics),
        team_topic_choices=_team_topic_choices(page.tenant, page.locale),
    )


def _team_topic_choices(tenant: TenantFile, locale: Locale) -> list[tuple[str, str]]:
    """What a team may route by: the line's topics (any topic while it lists none), and any
    topic a team already has."""
    kept = [t for team in tenant.teams for t in team.topics]
    if not tenant.topics:
        return topic_choices(locale, kept)
    keys = list(dict.fromkeys([*tenant.topics, *kept]))
    return [(k, topic_label(k, locale)) for k in keys]


@get("/admin/{slug:str}/referrals", name="admin:referrals-page", include_in_schema=False)
async def referrals_page(
    request: Request[Any, Any, Any], db: NamedDependency[Database], slug: FromPath[str]
) -> Template | Redirect:
    page = await admin_page_for(request, db, slug, f"/admin/{slug}/referrals")
    if isinstance(page, Redirect):
        return page
    return render(
        page,
        "admin/referrals.html",
        "referrals",
        "adm_referrals_title",
        # Ticked from the vocabulary; a row's own key outside it is offered to that row only.
        topic_choices=topic_choices(page.locale),
        row_topic_choices={
            r.key: topic_choices(page.locale, r.topics) for r in page.tenant.referrals
        },
    )


@get("/admin/{slug:str}/replies", name="admin:replies-page", include_in_schema=False)
async def replies_page(
    request: Request[Any, Any, Any], db: NamedDependency[Database], slug: FromPath[str]
) -> Template | Redirect:
    page = await admin_page_for(request, db, slug, f"/admin/{slug}/replies")
    if isinstance(page, Redirect):
        return page
    return render(page, "admin/replies.html", "replies", "adm_replies_title")


@get("/admin/{slug:str}/widget", name="admin:widget-page", include_in_schema=False)
async def widget_page(
    request: Request[Any, Any, Any], db: NamedDependency[Database], slug: FromPath[str]
) -> Template | Redirect:
    page = await admin_page_for(request, db, slug, f"/admin/{slug}/widget")
    if isinstance(page, Redirect):
        return page
    public_url = request.app.state.settings.server.public_url
    return render(
        page,
        "admin/widget.html",
        "widget",
        "adm_widget_title",
        snippet=f'<script src="{public_url}/widget.js" data-tenant="{slug}" async></script>',
    )


@get("/admin/{slug:str}/widget/test", name="admin:widget-test", include_in_schema=False)
async def widget_test_page(
    request: Request[Any, Any, Any], db: NamedDependency[Database], slug: FromPath[str]
) -> Template | Redirect:
    page = await admin_page_for(request, db, slug, f"/admin/{slug}/widget/test")
    if isinstance(page, Redirect):
        return page
    base = request.base_url
    origin = f"{urlsplit(str(base)).scheme}://{urlsplit(str(base)).netloc}"
    response = render(
        page,
        "admin/widget_test.html",
        "widget",
        "adm_test_title",
        origin=origin,
        origin_allowed=origin in page.tenant.allowed_origins,
    )
    response.headers["Content-Security-Policy"] = TEST_PAGE_POLICY
    return response


@get("/admin/{slug:str}/privacy", name="admin:privacy-page", include_in_schema=False)
async def privacy_page(
    request: Request[Any, Any, Any], db: NamedDependency[Database], slug: FromPath[str]
) -> Template | Redirect:
    page = await admin_page_for(request, db, slug, f"/admin/{slug}/privacy")
    if isinstance(page, Redirect):
        return page
    return render(page, "admin/privacy.html", "privacy", "adm_privacy_title")


@get("/admin/{slug:str}/protection", name="admin:protection-page", include_in_schema=False)
async def protection_page(
    request: Request[Any, Any, Any], db: NamedDependency[Database], slug: FromPath[str]
) -> Template | Redirect:
    page = await admin_page_for(request, db, slug, f"/admin/{slug}/protection")
    if isinstance(page, Redirect):
        return page
    view = s.protection_view(page.tenant, request.app.state.settings.chat)
    return render(
        page, "admin/protection.html", "protection", "adm_protection_title", instance=view.instance
    )


ADMIN_PAGES = [
    admin_home,
    overview_page,
    branding_page,
    hours_page,
    teams_page,
    referrals_page,
    replies_page,
    widget_page,
    widget_test_page,
    privacy_page,
    protection_page,
]
