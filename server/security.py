"""CSRF for cookie-authenticated requests and the security headers every response carries."""

from __future__ import annotations

from typing import Any

from litestar.config.csrf import CSRFConfig
from litestar.datastructures import ResponseHeader
from litestar.enums import ScopeType
from litestar.exceptions import PermissionDeniedException
from litestar.middleware.csrf import CSRFMiddleware
from litestar.types import Message, Receive, Scope, Send

from server.auth import ACCESS_COOKIE, REFRESH_COOKIE

CSRF_COOKIE = "havre_csrf"
CSRF_HEADER = "x-csrf-token"
_UNSAFE = {b"POST", b"PUT", b"PATCH", b"DELETE"}


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return ""


class HavreCSRFMiddleware(CSRFMiddleware):
    """Litestar's double-submit CSRF, required whenever a request rides on Havre's cookies.

    A request carrying neither session cookie (an API client with a bearer token, or a
    first sign-in) has no ambient authority to abuse; a browser's cross-site write is
    refused outright, which also stops login CSRF.
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP and scope["method"].encode() in _UNSAFE:
            if _header(scope, b"sec-fetch-site") == "cross-site":
                raise PermissionDeniedException("CSRF: cross-site request refused")
            cookies = _header(scope, b"cookie")
            if f"{ACCESS_COOKIE}=" not in cookies and f"{REFRESH_COOKIE}=" not in cookies:
                await self.app(scope, receive, send)
                return
        await super().__call__(scope, receive, send)


def csrf_config(secret: str, *, secure: bool) -> CSRFConfig:
    return CSRFConfig(
        secret=secret,
        cookie_name=CSRF_COOKIE,
        header_name=CSRF_HEADER,
        cookie_secure=secure,
        cookie_samesite="strict",
        exclude=["/health", "/ready"],
    )


def csrf_middleware(config: CSRFConfig) -> Any:
    from litestar.middleware import DefineMiddleware

    return DefineMiddleware(HavreCSRFMiddleware, config=config)


SECURITY_HEADERS = [
    ResponseHeader(
        name="Content-Security-Policy",
        value=(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
        ),
    ),
    ResponseHeader(name="X-Content-Type-Options", value="nosniff"),
    ResponseHeader(name="Referrer-Policy", value="no-referrer"),
]


_HEADER_BYTES = [(h.name.lower().encode(), str(h.value).encode()) for h in SECURITY_HEADERS]


async def add_security_headers(message: Message, scope: Scope) -> None:
    """A before_send hook: every HTTP response (handlers, errors, 404s, static files)."""
    if message["type"] == "http.response.start":
        present = {name.lower() for name, _ in message.get("headers", [])}
        extra = [(n, v) for n, v in _HEADER_BYTES if n not in present]
        message["headers"] = [*message.get("headers", []), *extra]
