"""Who is signed in on a staff page, in which language to answer, and where to send them
when nobody is: shared by every console's pages."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Request
from litestar.response import Redirect

from server.access import staff_access
from server.auth import TokenError, bearer_or_cookie
from server.db import Database
from server.i18n import Locale, negotiate_locale
from server.staff import repository
from server.staff.structs import Me


def page_locale(request: Request[Any, Any, Any], preferred: str | None = None) -> Locale:
    """`?lang=` first, then the staff member's own choice, then the browser's."""
    asked = request.query_params.get("lang")
    if asked in ("fr", "en"):
        return "fr" if asked == "fr" else "en"
    if preferred in ("fr", "en"):
        return "fr" if preferred == "fr" else "en"
    return negotiate_locale(request.headers.get("accept-language"), default="fr")


async def signed_in(request: Request[Any, Any, Any], db: Database) -> Me | None:
    """The staff member behind the request's session, or None (a page then redirects)."""
    token = bearer_or_cookie(request)
    if not token:
        return None
    try:
        staff_id = UUID(str(request.app.state.tokens.verify(token, "access")["sub"]))
    except (TokenError, ValueError):
        return None
    async with db.transaction(staff_id=staff_id) as conn:
        profile = await repository.profile(conn, staff_id)
    if profile is None:
        return None
    tenants = await staff_access(db, staff_id)
    return Me(
        profile.id,
        profile.email,
        profile.display_name,
        profile.locale,
        tenants,
        visitor_name=profile.visitor_name,
    )


def to_sign_in(path: str) -> Redirect:
    return Redirect(f"/sign-in?next={path}")
