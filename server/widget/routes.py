"""The widget's HTTP side: /widget.js, the iframe page /w/{slug}, its config and assets."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import urlsplit

import msgspec
from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.status_codes import HTTP_304_NOT_MODIFIED

from server.conversations.service import ConversationService
from server.conversations.start import PublicReferral, public_referrals, route_team
from server.db import Database
from server.errors import NotFound
from server.hours.phrasing import describe_state
from server.hours.schedule import Schedule
from server.tenants.files import read_tenant
from server.tenants.structs import Branding, Locale, Localised, TenantFile
from server.tenants.topics import line_topics, topic_labels
from server.widget.assets import Asset, WidgetAssets, choose_encoding
from server.widget.palette import Palette, palette

ASSETS = WidgetAssets()
LOADER_CACHE = "public, max-age=300"
# Revalidated on every use (a 304 when unchanged): an admin's new colours or hours, and the
# line opening or closing, show on the next page view rather than up to a minute later.
CONFIG_CACHE = "public, no-cache"
IMMUTABLE = "public, max-age=31536000, immutable"
# The widget sets no cookie at all: not even the CSRF one (it has no state to protect).
NO_COOKIE = {"exclude_from_csrf": True}
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
_HOST = re.compile(r"^[A-Za-z0-9.-]+(:[0-9]{1,5})?$")


class Hours(msgspec.Struct, frozen=True):
    fr: str
    en: str


class PublicBranding(msgspec.Struct, frozen=True):
    """The tenant's branding with every key present (tenant files omit the defaults)."""

    primary_color: str
    text_color: str
    position: Literal["left", "right"]
    logo_url: str | None
    launcher_label: Localised | None
    welcome: Localised | None
    role_word: Localised | None

    @classmethod
    def of(cls, branding: Branding) -> PublicBranding:
        return cls(**msgspec.structs.asdict(branding))


# Who answers, when the tenant did not say: by the kind of organisation.
DEFAULT_ROLE_WORDS: dict[str, dict[Locale, str]] = {
    "association": {"fr": "un·e bénévole formé·e", "en": "a trained volunteer"},
    "university": {"fr": "une personne de l'équipe de santé", "en": "someone from the health team"},
    "other": {"fr": "une personne formée à l'écoute", "en": "someone trained to listen"},
}


def role_word(tenant: TenantFile, locale: Locale) -> str:
    chosen = tenant.branding.role_word
    return getattr(chosen, locale) if chosen else DEFAULT_ROLE_WORDS[tenant.kind][locale]


class WidgetConfig(msgspec.Struct, frozen=True):
    slug: str
    name: str
    default_locale: Locale
    locale: Locale
    branding: PublicBranding
    palette: Palette  # what the widget paints with: branding made readable (palette.py)
    open: bool
    accepting: bool
    # The languages a visitor is answered in now (each routes to a team with its own hours).
    languages_open: list[Locale]
    hours: Hours
    next_opening: str | None
    topics: list[str]
    topic_labels: dict[str, str]  # each topic's name in `locale`
    referrals: list[PublicReferral]
    exit_url: str
    texts: dict[str, str]
    max_message_chars: int  # HAVRE_MAX_MESSAGE_CHARS: the composer stops there
    role: str  # who answers, in `locale`, with its article ("un·e bénévole formé·e")
    # Sites that may frame the chat; elsewhere the loader links to the hosted page (/c/SLUG).
    allowed_origins: list[str]
    # The line asks for a solved puzzle before a start (POST /api/widget/SLUG/challenge).
    challenge: bool = False


async def _tenant(db: Database, slug: str) -> TenantFile:
    if not _SLUG.match(slug):
        raise NotFound(code="tenant_not_found")
    async with db.transaction() as conn:
        found = await conn.fetchrow("SELECT id FROM havre_tenant_by_slug($1)", slug)
    if found is None:
        raise NotFound(code="tenant_not_found")
    async with db.tenant_transaction(found["id"]) as conn:
        tenant = await read_tenant(conn, slug)
    if tenant is None:
        raise NotFound(code="tenant_not_found")
    return tenant


def _locale(asked: str | None, default: Locale) -> Locale:
    if asked == "fr":
        return "fr"
    if asked == "en":
        return "en"
    return default


def widget_config(
    tenant: TenantFile, locale: Locale, now: datetime, max_message_chars: int
) -> WidgetConfig:
    cutoff = tenant.routing.closing_cutoff_minutes
    state = Schedule.from_tenant(tenant, None).state_at(now, cutoff)
    languages: list[Locale] = ["fr", "en"]
    languages_open = [
        language
        for language in languages
        if Schedule.from_tenant(tenant, route_team(tenant, None, language))
        .state_at(now, cutoff)
        .accepting_new
    ]
    topics = line_topics(tenant)
    return WidgetConfig(
        slug=tenant.slug,
        name=tenant.name,
        default_locale=tenant.default_locale,
        locale=locale,
        branding=PublicBranding.of(tenant.branding),
        palette=palette(tenant.branding),
        open=state.is_open,
        accepting=state.accepting_new,
        languages_open=languages_open,
        hours=Hours(fr=describe_state(state, now, "fr"), en=describe_state(state, now, "en")),
        next_opening=state.next_opening.isoformat() if state.next_opening else None,
        topics=topics,
        topic_labels=topic_labels(topics, locale),
        referrals=public_referrals(tenant, locale),
        exit_url=tenant.exit_url,
        texts=ASSETS.texts[locale],
        max_message_chars=max_message_chars,
        role=role_word(tenant, locale),
        allowed_origins=tenant.allowed_origins,
        challenge=tenant.protection.challenge,
    )


def _etag_matches(request: Request[Any, Any, Any], etag: str) -> bool:
    given = request.headers.get("if-none-match", "")
    return any(tag.strip().removeprefix("W/") == etag for tag in given.split(",")) or (
        given.strip() == "*"
    )


def _serve(request: Request[Any, Any, Any], asset: Asset, cache: str) -> Response[bytes]:
    headers = {"Cache-Control": cache, "ETag": asset.etag, "Vary": "Accept-Encoding"}
    if _etag_matches(request, asset.etag):
        return Response(b"", status_code=HTTP_304_NOT_MODIFIED, headers=headers)
    coding = choose_encoding(request.headers.get("accept-encoding", ""))
    if coding != "identity":
        headers["Content-Encoding"] = coding
    return Response(asset.bodies[coding], media_type=asset.media_type, headers=headers)


@get("/widget.js", include_in_schema=False, name="widget:loader", opt=NO_COOKIE)
async def loader(request: Request[Any, Any, Any]) -> Response[bytes]:
    """The loader a host page includes; a short cache so a fix reaches every site soon."""
    return _serve(request, ASSETS.loader, LOADER_CACHE)


@get("/widget/assets/{name:str}", include_in_schema=False, name="widget:asset", opt=NO_COOKIE)
async def asset(request: Request[Any, Any, Any], name: FromPath[str]) -> Response[bytes]:
    """Content-hashed files: cached for a year, never revalidated."""
    found = ASSETS.by_name.get(name)
    if found is None:
        raise NotFound(code="not_found")
    return _serve(request, found, IMMUTABLE)


@get(
    "/api/widget/{slug:str}/config",
    operation_id="widgetConfig",
    name="widget:config",
    tags=["visitor"],
    opt=NO_COOKIE,
)
async def config(
    request: Request[Any, Any, Any],
    slug: FromPath[str],
    db: NamedDependency[Database],
    chat: NamedDependency[ConversationService],
) -> Response[bytes]:
    """Public: what the launcher and the chat need (branding, hours, referrals, texts)."""
    tenant = await _tenant(db, slug)
    locale = _locale(request.query_params.get("locale"), tenant.default_locale)
    body = msgspec.json.encode(
        widget_config(tenant, locale, datetime.now(UTC), chat.settings.max_message_chars)
    )
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    headers = {
        "Cache-Control": CONFIG_CACHE,
        "ETag": etag,
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Expose-Headers": "ETag",
    }
    if _etag_matches(request, etag):
        return Response(b"", status_code=HTTP_304_NOT_MODIFIED, headers=headers)
    return Response(body, media_type="application/json", headers=headers)


def _page(lang: Literal["fr", "en"], script: str) -> bytes:
    return (
        "<!doctype html>\n"
        f'<html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1, '
        'interactive-widget=resizes-content">'
        "<title>Havre</title>"
        f'<link rel="stylesheet" href="{ASSETS.url_of["app.css"]}">'
        f'<script src="{ASSETS.url_of[script]}" defer></script>'
        '</head><body><main id="app" aria-busy="true"></main></body></html>\n'
    ).encode()


def _origin_of(url: str | None) -> str:
    """scheme://host[:port] of the tenant's logo, for img-src; nothing if it is not a web URL."""
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not _HOST.match(parts.netloc):
        return ""
    return f" {parts.scheme}://{parts.netloc}"


def frame_policy(tenant: TenantFile, host: str, *, hosted: bool = False) -> str:
    """The chat's policy; framed only by the tenant's sites, or by nobody on the hosted page."""
    ancestors = "'none'" if hosted else " ".join(tenant.allowed_origins) or "'none'"
    sockets = f" ws://{host} wss://{host}" if _HOST.match(host) else ""
    logo = _origin_of(tenant.branding.logo_url)
    return (
        f"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:{logo}; "
        f"connect-src 'self'{sockets}; frame-ancestors {ancestors}; base-uri 'none'; "
        "form-action 'none'"
    )


def preview_policy(tenant: TenantFile, host: str) -> str:
    """Framed by Havre's own admin page (and the tenant's sites); it may fetch its config and
    nothing else (no socket, no conversation), and show a logo from any https address."""
    ancestors = " ".join(("'self'", *tenant.allowed_origins))
    config = f"{host}/api/widget/{tenant.slug}/config" if _HOST.match(host) else "'none'"
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; "
        f"connect-src {config}; frame-ancestors {ancestors}; base-uri 'none'; form-action 'none'"
    )


@get("/w/{slug:str}", include_in_schema=False, name="widget:frame", opt=NO_COOKIE)
async def frame(
    request: Request[Any, Any, Any], slug: FromPath[str], db: NamedDependency[Database]
) -> Response[bytes]:
    """The chat page shown in the iframe; only the tenant's allowed origins may frame it.

    `?preview=1` is the admin console's preview: the same views, no socket code (see
    docs/widget.md, "Preview mode")."""
    tenant = await _tenant(db, slug)
    lang = _locale(request.query_params.get("locale"), tenant.default_locale)
    host = request.headers.get("host", "")
    preview = request.query_params.get("preview") == "1"
    return Response(
        _page(lang, "preview.js" if preview else "app.js"),
        media_type="text/html",
        headers={
            "Content-Security-Policy": (
                preview_policy(tenant, host) if preview else frame_policy(tenant, host)
            ),
            "Cache-Control": "no-store",
        },
    )


@get("/c/{slug:str}", include_in_schema=False, name="widget:hosted", opt=NO_COOKIE)
async def hosted(
    request: Request[Any, Any, Any], slug: FromPath[str], db: NamedDependency[Database]
) -> Response[bytes]:
    """The same chat on a page of its own, on Havre's origin: for a link in an e-mail, an SMS
    or a QR code, and for sites that may not frame the chat. It is never framed."""
    tenant = await _tenant(db, slug)
    lang = _locale(request.query_params.get("locale"), tenant.default_locale)
    return Response(
        _page(lang, "app.js"),
        media_type="text/html",
        headers={
            "Content-Security-Policy": frame_policy(
                tenant, request.headers.get("host", ""), hosted=True
            ),
            "Cache-Control": "no-store",
        },
    )


WIDGET_HANDLERS = [loader, asset, config, frame, hosted]
