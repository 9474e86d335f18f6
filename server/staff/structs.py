"""What the staff API reads and returns."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import Meta

from server.auth import TenantAccess


class SignIn(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    email: Annotated[str, Meta(min_length=3, max_length=254)]
    password: Annotated[str, Meta(min_length=1, max_length=1024)]


class SecondStepCode(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """The token the password step returned, and a 6-digit TOTP code or a recovery code."""

    second_step_token: Annotated[str, Meta(min_length=1, max_length=128)]
    code: Annotated[str, Meta(min_length=1, max_length=64)]


class RefreshRequest(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """API clients send the refresh token in the body; the console uses its cookie."""

    refresh_token: Annotated[str, Meta(max_length=4096)] | None = None


class Me(msgspec.Struct, frozen=True):
    id: UUID
    email: str
    display_name: str
    locale: str
    tenants: list[TenantAccess]
