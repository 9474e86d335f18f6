"""What the staff API reads and returns."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

import msgspec
from msgspec import Meta

from server.access import TenantAccess

# A body with tokens in it would hand them to any script on the page, defeating httpOnly.
SessionMode = Annotated[
    Literal["cookie", "bearer"],
    Meta(
        description='"cookie" (the browser console): the session is in httpOnly cookies only and '
        'the answer carries no token; "bearer" (API clients): the tokens are in the body too.'
    ),
]


class SignIn(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    email: Annotated[str, Meta(min_length=3, max_length=254)]
    password: Annotated[str, Meta(min_length=1, max_length=1024)]
    session: SessionMode = "bearer"


class SecondStepCode(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """The token the password step returned, and a 6-digit TOTP code or a recovery code."""

    second_step_token: Annotated[str, Meta(min_length=1, max_length=128)]
    code: Annotated[str, Meta(min_length=1, max_length=64)]
    session: SessionMode = "bearer"


class RefreshRequest(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """API clients send the refresh token in the body; the console uses its cookie."""

    refresh_token: Annotated[str, Meta(max_length=4096)] | None = None


class CookieSession(msgspec.Struct, frozen=True):
    """A session opened or rotated in the browser's httpOnly cookies: no token in the body."""

    expires_in: Annotated[int, Meta(description="Lifetime of the access cookie, in seconds.")]
    session: Annotated[
        Literal["cookie"],
        Meta(description="The tokens are in the Set-Cookie headers only, never in this body."),
    ] = "cookie"


class Me(msgspec.Struct, frozen=True):
    id: UUID
    email: str
    display_name: str
    locale: str
    tenants: list[TenantAccess]
    visitor_name: str = ""
