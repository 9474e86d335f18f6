"""The invitation link's side: the /invite/<token> page and accepting it (public: the token is
the credential; the page never shows more than the invitation itself)."""

from __future__ import annotations

import json
from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.response import Template
from litestar.status_codes import HTTP_200_OK, HTTP_404_NOT_FOUND

from server.access import role_at_least
from server.db import Database
from server.i18n import Locale, negotiate_locale
from server.staff import invitations
from server.staff.admin_structs import InvitationAccept, InvitationAccepted
from server.staff.pages import page_locale, render, signed_in, signed_in_id
from server.staff.routes import with_session_cookies
from server.staff.service import SignInService
from server.words import page_texts


def _browser_locale(accept_language: str | None) -> Locale | None:
    """fr or en when the browser names one of them (the same answer whatever the default)."""
    chosen = negotiate_locale(accept_language, default="fr")
    return chosen if chosen == negotiate_locale(accept_language, default="en") else None


@get("/invite/{token:str}", name="pages:invite", include_in_schema=False)
async def invite_page(
    request: Request[Any, Any, Any], token: FromPath[str], db: NamedDependency[Database]
) -> Template:
    view = await invitations.lookup(db, token) if len(token) <= 128 else None
    me = await signed_in(request, db)
    # The browser's language first: the invitation's is the inviter's guess.
    browser = _browser_locale(request.headers.get("accept-language"))
    locale = page_locale(request, browser or (view.locale if view else None))
    texts = page_texts(locale)
    if view is None:
        return render(
            "invite.html", locale, "acct_invite_title", status_code=HTTP_404_NOT_FOUND, view=None
        )
    return render(
        "invite.html",
        locale,
        "acct_invite_title",
        view=view,
        me=me,
        token=token,
        role_name=texts[view.role],
        texts_json=json.dumps({k: v for k, v in texts.items() if k.startswith("acct_")}),
    )


@post(
    "/api/invitations/accept",
    operation_id="acceptInvitation",
    name="invitations:accept",
    tags=["staff"],
    status_code=HTTP_200_OK,
)
async def accept_invitation(
    request: Request[Any, Any, Any],
    data: JSONBody[InvitationAccept],
    db: NamedDependency[Database],
    signin: NamedDependency[SignInService],
) -> Response[InvitationAccepted]:
    """A new account is signed in at once; an existing one already is (it had to be)."""
    staff_id, view, created = await invitations.accept(
        db, data=data, signed_in=signed_in_id(request)
    )
    next_page = "/admin/" if role_at_least(view.role, "admin") else "/console/"
    accepted = InvitationAccepted(next=next_page, new_account=created)
    if not created:
        return Response(accepted, status_code=HTTP_200_OK)
    pair = await signin.open_session_for(staff_id)
    return with_session_cookies(accepted, pair, signin)
