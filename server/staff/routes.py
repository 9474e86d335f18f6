"""HTTP endpoints for staff sign-in, token refresh, sign-out and the signed-in profile."""

from __future__ import annotations

from typing import Any, TypeVar

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency, Provide
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from server.access import staff_access
from server.auth import (
    ACCESS_COOKIE,
    REFRESH_COOKIE,
    StaffPrincipal,
    bearer_or_cookie,
    staff_guard,
)
from server.db import Database
from server.errors import NotAuthenticated
from server.staff import repository
from server.staff.deps import second_factor
from server.staff.service import SecondStep, SignInService, TokenPair
from server.staff.structs import (
    CookieSession,
    Me,
    RefreshRequest,
    SecondStepCode,
    SessionMode,
    SignIn,
)
from server.staff.totp import SecondFactor

REFRESH_PATH = "/api/auth"
T = TypeVar("T")


def session_body(pair: TokenPair, mode: SessionMode) -> TokenPair | CookieSession:
    """The tokens in the body for a bearer (API) client only: in a browser, a body is readable
    by any script on the page, and httpOnly cookies would then protect nothing."""
    return pair if mode == "bearer" else CookieSession(expires_in=pair.expires_in)


def with_session_cookies(content: T, pair: TokenPair, service: SignInService) -> Response[T]:
    """`content` as the body, and the pair's tokens as the browser's session cookies."""
    secure = service.settings.cookie_secure
    return Response(
        content,
        status_code=HTTP_200_OK,
        cookies=[
            Cookie(
                key=ACCESS_COOKIE,
                value=pair.access_token,
                path="/",
                httponly=True,
                secure=secure,
                samesite="lax",
                max_age=service.settings.access_ttl_seconds,
            ),
            Cookie(
                key=REFRESH_COOKIE,
                value=pair.refresh_token,
                path=REFRESH_PATH,
                httponly=True,
                secure=secure,
                samesite="strict",
                max_age=service.settings.refresh_ttl_seconds,
            ),
        ],
    )


def client_address(request: Request[Any, Any, Any]) -> str:
    """The client's address, for the sign-in counts; it is hashed before it reaches Redis
    (server/staff/throttle.py) and never logged."""
    return request.client.host if request.client else "unknown"


class AuthController(Controller):
    path = REFRESH_PATH
    tags = ["staff"]

    @post(
        "/sign-in",
        operation_id="signIn",
        name="auth:sign-in",
        status_code=HTTP_200_OK,
        description=(
            'With "session": "bearer" (the default) the tokens are in the body and in cookies; '
            'with "session": "cookie" (the browser console) in httpOnly cookies only. An account '
            "with two-step sign-in gets a second_step_token instead, and no session yet."
        ),
    )
    async def sign_in(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[SignIn],
        signin: NamedDependency[SignInService],
    ) -> Response[TokenPair | CookieSession | SecondStep]:
        outcome = await signin.sign_in(
            email=data.email, password=data.password, address=client_address(request)
        )
        if isinstance(outcome, SecondStep):
            # No session and no cookie until the code is given.
            return Response(outcome, status_code=HTTP_200_OK)
        return with_session_cookies(session_body(outcome, data.session), outcome, signin)

    @post(
        "/sign-in/second-step",
        operation_id="signInSecondStep",
        name="auth:sign-in-second-step",
        status_code=HTTP_200_OK,
        dependencies={"factor": Provide(second_factor, sync_to_thread=False)},
        description='Answers like a sign-in, with the same "session" choice.',
    )
    async def second_step(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[SecondStepCode],
        signin: NamedDependency[SignInService],
        factor: NamedDependency[SecondFactor],
    ) -> Response[TokenPair | CookieSession]:
        pair = await signin.complete_second_step(
            token=data.second_step_token,
            code=data.code,
            address=client_address(request),
            factor=factor,
        )
        return with_session_cookies(session_body(pair, data.session), pair, signin)

    @post(
        "/refresh",
        operation_id="refreshSession",
        name="auth:refresh",
        status_code=HTTP_200_OK,
        description=(
            "A refresh token sent in the body gets the new pair in the body (and cookies); one "
            "taken from the cookie gets new cookies and a CookieSession body, with no token."
        ),
    )
    async def refresh(
        self,
        request: Request[Any, Any, Any],
        signin: NamedDependency[SignInService],
        data: JSONBody[RefreshRequest | None] = None,
    ) -> Response[TokenPair | CookieSession]:
        # Whatever mode the sign-in used: a script on the page can send the cookie, not read it.
        in_body = data.refresh_token if data else None
        mode: SessionMode = "bearer" if in_body else "cookie"
        token = in_body or request.cookies.get(REFRESH_COOKIE)
        if not token:
            raise NotAuthenticated(code="invalid_token")
        pair = await signin.refresh(token)
        return with_session_cookies(session_body(pair, mode), pair, signin)

    @post(
        "/sign-out",
        operation_id="signOut",
        name="auth:sign-out",
        status_code=HTTP_204_NO_CONTENT,
        description=(
            "Ends the session of the refresh token (body or cookie) or, without one, of the "
            "access token sent: that session's access tokens are refused from now on."
        ),
    )
    async def sign_out(
        self,
        request: Request[Any, Any, Any],
        signin: NamedDependency[SignInService],
        data: JSONBody[RefreshRequest | None] = None,
    ) -> Response[None]:
        token = (data.refresh_token if data else None) or request.cookies.get(REFRESH_COOKIE)
        await signin.sign_out(refresh_token=token, access_token=bearer_or_cookie(request))
        response: Response[None] = Response(None, status_code=HTTP_204_NO_CONTENT)
        response.delete_cookie(ACCESS_COOKIE, path="/")
        response.delete_cookie(REFRESH_COOKIE, path=REFRESH_PATH)
        return response


@get("/api/me", operation_id="getMe", name="staff:me", tags=["staff"], guards=[staff_guard])
async def me(request: Request[Any, Any, Any], db: NamedDependency[Database]) -> Me:
    principal: StaffPrincipal = request.state.staff
    async with db.transaction(staff_id=principal.staff_id) as conn:
        profile = await repository.profile(conn, principal.staff_id)
    if profile is None:
        raise NotAuthenticated(code="invalid_token")
    tenants = await staff_access(db, principal.staff_id)
    return Me(
        id=profile.id,
        email=profile.email,
        display_name=profile.display_name,
        locale=profile.locale,
        tenants=tenants,
        visitor_name=profile.visitor_name,
    )
