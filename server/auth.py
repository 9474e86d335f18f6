"""Tokens (PyJWT with kid for key rotation), password hashing, and guards by role and tenant."""

from __future__ import annotations

import os
import secrets
import time
from typing import Any, Literal, Protocol
from uuid import UUID

import jwt
import msgspec
from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from server.access import role_at_least, staff_access
from server.errors import Forbidden, NotAuthenticated, NotFound
from server.settings import AuthSettings

ACCESS_COOKIE = "havre_access"
REFRESH_COOKIE = "havre_refresh"
TokenKind = Literal["access", "refresh", "visitor"]


def password_hasher(environment: str) -> PasswordHasher:
    """argon2id with the library's recommended parameters (RFC 9106, low memory); the test
    suite alone hashes with the cheapest ones, since it creates over a thousand accounts.
    Verification reads the parameters from each hash, so either profile checks both."""
    if environment == "test":
        return PasswordHasher.from_parameters(profiles.CHEAPEST)
    return PasswordHasher.from_parameters(profiles.RFC_9106_LOW_MEMORY)


# Read from the environment at import, as hashing runs in CLI commands and tests alike.
_hasher = password_hasher(os.environ.get("HAVRE_ENV", "development"))
# Verified against when an account does not exist, so both paths cost the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


class TokenError(Exception):
    """A token that is malformed, expired, for another purpose, or signed by an unknown key."""


class RevocationList(Protocol):
    """Session families whose access tokens are refused before they expire
    (server/revocations.py)."""

    def is_revoked(self, family: str) -> bool: ...


class Tokens:
    """Signs with the first configured key; verifies with whichever key the token's kid names.
    An access token names its session family (`fam`): a family signed out or revoked is
    refused at once when `revoked` is given (the application always gives it)."""

    def __init__(self, settings: AuthSettings, revoked: RevocationList | None = None) -> None:
        self.settings = settings
        self.revoked = revoked
        self._keys = dict(settings.jwt_keys)
        self._signing_kid = settings.jwt_keys[0][0]

    def issue(self, kind: TokenKind, subject: str, ttl: int, **claims: Any) -> str:
        now = int(time.time())
        payload = {"sub": subject, "typ": kind, "iat": now, "exp": now + ttl, **claims}
        return jwt.encode(
            payload,
            self._keys[self._signing_kid],
            algorithm="HS256",
            headers={"kid": self._signing_kid},
        )

    def verify(self, token: str, kind: TokenKind) -> dict[str, Any]:
        try:
            header = jwt.get_unverified_header(token)
            key = self._keys.get(str(header.get("kid")))
            if key is None:
                raise TokenError("unknown key")
            claims: dict[str, Any] = jwt.decode(
                token, key, algorithms=["HS256"], options={"require": ["exp", "sub", "typ"]}
            )
        except jwt.PyJWTError as exc:
            raise TokenError(type(exc).__name__) from None
        if claims.get("typ") != kind:
            raise TokenError("wrong token type")
        if kind == "access" and self.revoked is not None:
            family = claims.get("fam")
            if family is not None and self.revoked.is_revoked(str(family)):
                raise TokenError("session revoked")
        return claims


class StaffPrincipal(msgspec.Struct, frozen=True):
    staff_id: UUID


def bearer_or_cookie(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    header = connection.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return connection.cookies.get(ACCESS_COOKIE)


def authenticate(connection: ASGIConnection[Any, Any, Any, Any]) -> StaffPrincipal:
    token = bearer_or_cookie(connection)
    if not token:
        raise NotAuthenticated()
    tokens: Tokens = connection.app.state.tokens
    try:
        claims = tokens.verify(token, "access")
        principal = StaffPrincipal(staff_id=UUID(str(claims["sub"])))
    except (TokenError, ValueError):
        raise NotAuthenticated(code="invalid_token") from None
    connection.state.staff = principal
    return principal


async def staff_guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    authenticate(connection)


async def tenant_role_guard(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """Requires the route's `min_role` in the tenant named by the `slug` path parameter.

    A tenant the staff member cannot act in answers 404, so slugs cannot be probed.
    """
    principal = authenticate(connection)
    slug = connection.path_params.get("slug")
    minimum = handler.opt.get("min_role", "admin")
    access = {a.slug: a for a in await staff_access(connection.app.state.db, principal.staff_id)}
    granted = access.get(str(slug))
    if granted is None:
        raise NotFound(code="tenant_not_found")
    if not role_at_least(granted.role, minimum):
        raise Forbidden()
    connection.state.tenant_access = granted
