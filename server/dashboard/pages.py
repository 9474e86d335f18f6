"""The dashboard and audit log pages: server-rendered, the charts drawn as inline SVG."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from server.access import TenantAccess, role_at_least
from server.dashboard import charts
from server.dashboard.audit_labels import action_label
from server.dashboard.audit_log import AuditQuery, load_audit_page
from server.dashboard.filters import FilterError
from server.dashboard.service import DashboardQuery, load_dashboard
from server.dashboard.structs import AuditPage, Dashboard, LabelCount
from server.db import Database
from server.errors import Forbidden, NotFound
from server.i18n import Locale
from server.protection.guard import StartGuard
from server.staff.session import page_locale, signed_in, to_sign_in
from server.staff.structs import Me
from server.tenants.topics import topic_label
from server.words import page_texts

RISK_LEVELS = ("none", "elevated", "high", "imminent")


async def _own_admin(
    request: Request[Any, Any, Any], db: Database, slug: str
) -> tuple[Me, TenantAccess] | Redirect:
    me = await signed_in(request, db)
    if me is None:
        return to_sign_in(request.url.path)
    access = next((a for a in me.tenants if a.slug == slug), None)
    if access is None:
        raise NotFound(code="tenant_not_found")
    if access.via_partner is not None or not role_at_least(access.role, "admin"):
        raise Forbidden()
    return me, access


def _render(
    name: str, locale: Locale, title_key: str, status: int = 200, **context: Any
) -> Template:
    texts = page_texts(locale)
    return Template(
        template_name=name,
        status_code=status,
        context={"locale": locale, "t": texts, "title": texts[title_key], **context},
    )


def _topic_rows(items: list[LabelCount], none_label: str, locale: Locale) -> charts.RowChart:
    return charts.row_chart(
        [
            (
                item.label or "",
                topic_label(item.label, locale) if item.label else none_label,
                item.count,
            )
            for item in items
        ]
    )


def chart_context(dashboard: Dashboard, texts: dict[str, str], locale: Locale) -> dict[str, Any]:
    """Everything the template draws, with labels in the page's language."""
    outcomes = dashboard.outcomes
    assert outcomes is not None
    assert dashboard.ratings is not None
    assert dashboard.waits is not None
    assert dashboard.durations is not None
    levels = {item.label: item.count for item in dashboard.risk_levels}
    return {
        "per_day": charts.day_chart(dashboard.per_day),
        "outcomes": charts.row_chart(
            [
                ("answered", texts["dash_answered"], outcomes.answered),
                ("missed", texts["dash_missed"], outcomes.missed),
                ("abandoned", texts["dash_abandoned"], outcomes.abandoned),
                ("waiting", texts["dash_waiting"], outcomes.waiting),
                ("out-of-hours", texts["dash_out_of_hours"], outcomes.out_of_hours),
            ]
        ),
        "risk": charts.row_chart(
            [(level, texts[f"dash_risk_{level}"], levels.get(level, 0)) for level in RISK_LEVELS]
        ),
        "refused": charts.row_chart(
            [
                (reason.replace("_", "-"), texts[f"dash_refused_{reason}"], count)
                for reason, count in dashboard.refused_starts.items()
            ]
        ),
        "topics": _topic_rows(dashboard.topics, texts["dash_no_topic"], locale),
        "wrapup_topics": _topic_rows(dashboard.wrapup_topics, texts["dash_no_topic"], locale),
        "ratings": charts.row_chart(
            [
                (f"r{item.label}", texts["dash_stars"].format(n=item.label), item.count)
                for item in dashboard.ratings.distribution
            ]
        ),
        "waits": {
            "median": charts.duration_text(dashboard.waits.median_seconds),
            "p90": charts.duration_text(dashboard.waits.p90_seconds),
            "count": dashboard.waits.count,
        },
        "durations": {
            "median": charts.duration_text(dashboard.durations.median_seconds),
            "p90": charts.duration_text(dashboard.durations.p90_seconds),
            "count": dashboard.durations.count,
        },
        "average": (
            f"{dashboard.ratings.average:.1f}" if dashboard.ratings.average is not None else None
        ),
    }


@get("/admin/{slug:str}/dashboard", name="dashboard:page", include_in_schema=False)
async def dashboard_page(
    request: Request[Any, Any, Any],
    db: NamedDependency[Database],
    guard: NamedDependency[StartGuard],
    slug: FromPath[str],
) -> Template | Redirect:
    allowed = await _own_admin(request, db, slug)
    if isinstance(allowed, Redirect):
        return allowed
    me, access = allowed
    locale = page_locale(request, me.locale)
    params = request.query_params
    query = DashboardQuery(
        date_from=params.get("from"), date_to=params.get("to"), team=params.get("team")
    )
    context: dict[str, Any] = {"me": me, "tenant": access, "signed_in": True, "query": query}
    try:
        dashboard = await load_dashboard(db, access, me.id, query, locale, guard.refused)
    except FilterError as error:
        # The form comes back with the message next to the faulty field.
        return _render("admin/dashboard.html", locale, "dash_title", 400, error=error, **context)
    charts_ = chart_context(dashboard, page_texts(locale), locale)
    return _render("admin/dashboard.html", locale, "dash_title", d=dashboard, c=charts_, **context)


@get("/admin/{slug:str}/audit", name="dashboard:audit-page", include_in_schema=False)
async def audit_page(
    request: Request[Any, Any, Any], db: NamedDependency[Database], slug: FromPath[str]
) -> Template | Redirect:
    allowed = await _own_admin(request, db, slug)
    if isinstance(allowed, Redirect):
        return allowed
    me, access = allowed
    locale = page_locale(request, me.locale)
    params = request.query_params
    query = AuditQuery(
        date_from=params.get("from"),
        date_to=params.get("to"),
        action=params.get("action"),
        actor=params.get("actor"),
        older=params.get("older"),
        newer=params.get("newer"),
    )
    context: dict[str, Any] = {
        "me": me,
        "tenant": access,
        "signed_in": True,
        "query": query,
        "labels": lambda action: action_label(action, locale),
    }
    try:
        page = await load_audit_page(db, access, me.id, query, locale)
    except FilterError as error:
        return _render("admin/audit.html", locale, "audit_title", 400, error=error, **context)
    return _render(
        "admin/audit.html",
        locale,
        "audit_title",
        page=page,
        links=_audit_links(slug, request, page),
        **context,
    )


def _audit_links(
    slug: str, request: Request[Any, Any, Any], page: AuditPage
) -> dict[str, str | None]:
    """Page links that keep the filters (and the chosen language)."""
    params = request.query_params
    keep = {k: params[k] for k in ("from", "to", "action", "actor", "lang") if params.get(k)}
    base = f"/admin/{slug}/audit"
    return {
        "older": f"{base}?{urlencode({**keep, 'older': page.older})}" if page.older else None,
        "newer": f"{base}?{urlencode({**keep, 'newer': page.newer})}" if page.newer else None,
        "first": f"{base}?{urlencode(keep)}" if page.newer else None,
    }
