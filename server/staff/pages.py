"""What the staff-account pages share beyond server/staff/session.py: the signed-in staff id
alone (the invitation's accept call) and rendering with the page texts."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Request
from litestar.response import Template

from server.auth import TokenError, bearer_or_cookie
from server.i18n import Locale
from server.staff.session import page_locale, signed_in, to_sign_in
from server.words import page_texts

__all__ = ["page_locale", "render", "signed_in", "signed_in_id", "to_sign_in"]


def signed_in_id(request: Request[Any, Any, Any]) -> UUID | None:
    """The staff member a valid access token names, or None."""
    token = bearer_or_cookie(request)
    if not token:
        return None
    try:
        return UUID(str(request.app.state.tokens.verify(token, "access")["sub"]))
    except (TokenError, ValueError, KeyError):
        return None


def render(
    name: str, locale: Locale, title_key: str, *, status_code: int = 200, **context: Any
) -> Template:
    texts = page_texts(locale)
    return Template(
        template_name=name,
        context={"locale": locale, "t": texts, "title": texts[title_key], **context},
        status_code=status_code,
    )
