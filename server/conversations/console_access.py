"""Who a console socket is, and which lines it may serve right now."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import WebSocket

from server.access import TenantAccess, role_at_least, staff_access
from server.auth import ACCESS_COOKIE, TokenError, Tokens
from server.db import Database


async def serving(db: Database, staff_id: UUID) -> list[TenantAccess]:
    """The lines a console serves: where the person is at least a listener, as of now."""
    return [a for a in await staff_access(db, staff_id) if role_at_least(a.role, "listener")]


def authenticate(socket: WebSocket[Any, Any, Any], tokens: Tokens, token: str | None) -> UUID:
    """A token in hello, or the session cookie — the latter only from Havre's own pages."""
    if token is None:
        token = socket.cookies.get(ACCESS_COOKIE)
        origin = socket.headers.get("origin")
        host = socket.headers.get("host", "")
        if origin is None or origin.split("://", 1)[-1] != host:
            raise TokenError("cookie sessions are accepted from Havre's own origin only")
    if not token:
        raise TokenError("no token")
    return UUID(str(tokens.verify(token, "access")["sub"]))
