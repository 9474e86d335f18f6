"""Which pages may open a visitor socket: Havre's own (the chat iframe at /w/SLUG and the
hosted page at /c/SLUG are served by Havre) and the websites a tenant allows. A browser
always names the page in `Origin`; a client that names none, or `null`, is refused."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit
from uuid import UUID

from server.conversations.repository import Q
from server.db import Database

CLOSE_REASON = "origin_not_allowed"
_DEFAULT_PORTS = {"http": 80, "https": 443}

OriginKey = tuple[str, str, int]


def origin_key(value: str | None) -> OriginKey | None:
    """An origin as (scheme, host, port), so `https://Chat.example:443` and
    `https://chat.example` compare equal; None for anything that is not an http(s) origin
    (`null`, a path, credentials, a malformed port)."""
    if not value:
        return None
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return None
    if (
        parts.scheme not in _DEFAULT_PORTS
        or not parts.hostname
        or parts.username is not None
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
    ):
        return None
    return parts.scheme, parts.hostname.lower(), port or _DEFAULT_PORTS[parts.scheme]


def is_havre_origin(origin: str | None, host: str | None, public_url: str) -> bool:
    """HAVRE_PUBLIC_URL's origin, or the address the socket was opened at (its Host header, as
    for the console's session cookie): a wrong public URL must not refuse every chat."""
    key = origin_key(origin)
    if key is None:
        return False
    if key == origin_key(public_url):
        return True
    return bool(host) and origin_key(f"{key[0]}://{host}") == key


def listed(origin: str | None, allowed: Iterable[str]) -> bool:
    key = origin_key(origin)
    return key is not None and any(origin_key(entry) == key for entry in allowed)


async def tenant_allows(db: Database, tenant_id: UUID, origin: str | None) -> bool:
    """The tenant's allowed websites (its `allowed_origins`) include this origin."""
    if origin_key(origin) is None:
        return False
    async with db.tenant_transaction(tenant_id) as conn:
        allowed = await conn.fetchval(Q["tenant_origins"], tenant_id)
    return listed(origin, allowed or [])
