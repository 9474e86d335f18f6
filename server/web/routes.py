"""Staff pages. The live consoles grow here; this is their signed-in shell."""

from __future__ import annotations

import json
from typing import Any

import msgspec
from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from server.db import Database
from server.i18n import Locale, negotiate_locale
from server.staff.session import signed_in as _signed_in
from server.staff.session import to_sign_in as _to_sign_in
from server.tenants.files import read_tenant
from server.tenants.structs import TenantFile
from server.web.console_context import console_data
from server.words import page_texts

DEMO_TENANTS = ("ligne-24h", "ecoute-nuit", "univ-sante")


def _locale(request: Request[Any, Any, Any], preferred: str | None = None) -> Locale:
    asked = request.query_params.get("lang")
    if asked in ("fr", "en"):
        return "fr" if asked == "fr" else "en"
    if preferred in ("fr", "en"):
        return "fr" if preferred == "fr" else "en"
    return negotiate_locale(request.headers.get("accept-language"), default="fr")


def _page(name: str, locale: Locale, title_key: str, **context: Any) -> Template:
    texts = page_texts(locale)
    return Template(
        template_name=name,
        context={"locale": locale, "t": texts, "title": texts[title_key], **context},
    )


def safe_next(path: str) -> str:
    """Where to go after signing in: a path on this site, never another site. Browsers read
    `/\\host` as `//host` and drop tabs and newlines, so those are refused too."""
    if (
        path.startswith("/")
        and not path.startswith("//")
        and not any(c == "\\" or ord(c) < 32 for c in path)
    ):
        return path
    return "/console/"


@get("/sign-in", name="pages:sign-in", include_in_schema=False)
async def sign_in_page(
    request: Request[Any, Any, Any], next: FromQuery[str] = "/console/"
) -> Template:
    return _page("sign_in.html", _locale(request), "sign_in_title", next=safe_next(next))


@get(["/console", "/console/"], name="pages:console", include_in_schema=False)
async def console_page(
    request: Request[Any, Any, Any], db: NamedDependency[Database]
) -> Template | Redirect:
    me = await _signed_in(request, db)
    if me is None:
        return _to_sign_in("/console/")
    locale = _locale(request, me.locale)
    texts = page_texts(locale)
    # Handed to the scripts through data attributes: autoescaped, and no inline script.
    return _page(
        "console.html",
        locale,
        "console_title",
        me=me,
        signed_in=True,
        console_json=msgspec.json.encode(
            msgspec.structs.replace(
                await console_data(db, me, locale),
                presence_ttl_seconds=request.app.state.settings.chat.presence_ttl_seconds,
            )
        ).decode(),
        texts_json=json.dumps({k: v for k, v in texts.items() if k.startswith("con_")}),
    )


@get(["/demo", "/demo/"], name="pages:demo", include_in_schema=False)
async def demo_page(request: Request[Any, Any, Any], db: NamedDependency[Database]) -> Template:
    tenants: list[TenantFile] = []
    for slug in DEMO_TENANTS:
        async with db.transaction() as conn:
            row = await conn.fetchrow("SELECT id FROM havre_tenant_by_slug($1)", slug)
        if row is None:
            continue
        async with db.tenant_transaction(row["id"]) as conn:
            tenant = await read_tenant(conn, slug)
        if tenant is not None:
            tenants.append(tenant)
    asked = request.query_params.get("tenant")
    shown = next((t for t in tenants if t.slug == asked), tenants[0] if tenants else None)
    return _page(
        "demo.html",
        _locale(request),
        "demo_title",
        tenants=tenants,
        shown=shown,
        public_url=request.app.state.settings.server.public_url,
    )


@get("/", name="pages:home", include_in_schema=False)
async def home() -> Redirect:
    return Redirect("/console/")
