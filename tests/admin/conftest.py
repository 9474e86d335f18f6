"""An admin's bearer headers, and the stored tenant and audit log as the operator sees them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.tenants.files import read_tenant
from server.tenants.structs import TenantFile
from tests.conftest import MakeStaff, sign_in

Headers = Callable[..., Awaitable[dict[str, str]]]


@pytest.fixture
def headers_for(client: AsyncTestClient[Litestar], make_staff: MakeStaff) -> Headers:
    """Bearer headers of a new staff member with `role` in `slug`. The sign-in cookies are
    dropped: a bearer client has no ambient authority, so no CSRF token is needed."""

    async def make(slug: str, role: str = "admin") -> dict[str, str]:
        tokens = await sign_in(client, await make_staff(slug, role))
        client.cookies.clear()
        return {"authorization": f"Bearer {tokens['access_token']}", "accept-language": "en"}

    return make


async def stored(owner: Any, slug: str) -> TenantFile:
    tenant = await read_tenant(owner, slug)
    assert tenant is not None
    return tenant


async def audit_entries(owner: Any, slug: str, action: str) -> list[dict[str, Any]]:
    rows = await owner.fetch(
        "SELECT a.action, a.target, a.details, a.actor_id FROM audit_log a"
        " JOIN organisations o ON o.id = a.organisation_id"
        " WHERE o.slug = $1 AND a.action = $2 ORDER BY a.id",
        slug,
        action,
    )
    return [dict(r) for r in rows]
