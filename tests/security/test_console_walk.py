"""Every console endpoint of a tenant refuses staff who have no business there.

The walk is generic: it reads the application's routes, so an endpoint added later is walked
too. A route that names a tenant (`{slug}`) is called, with every method it accepts, as
a listener and an admin of another tenant and as a listener of a partner organisation that
this tenant never granted; each must answer 403 or 404 and never show the tenant's data.
The tenant's own listener is refused everything under /admin/ and every API route that
declares a role above listener.
"""

from __future__ import annotations

import re
from typing import Any
from uuid import uuid4

import pytest
from litestar import Litestar
from litestar.routes import HTTPRoute
from litestar.testing import AsyncTestClient

from server.access import role_at_least
from tests.conftest import MakeStaff, MakeTenant, sign_in

PATH_PARAMETER = re.compile(r"\{(\w+)(?::(\w+))?\}")
REFUSED = {403, 404}


async def bearer_for(client: AsyncTestClient[Litestar], email: str) -> dict[str, str]:
    tokens = await sign_in(client, email)
    # Bearer only: with the session cookies the CSRF check would answer first and hide
    # what the guards decide.
    client.cookies.clear()
    return {"authorization": f"Bearer {tokens['access_token']}"}


def tenant_routes(app: Litestar) -> list[HTTPRoute]:
    return [
        route
        for route in app.routes
        if isinstance(route, HTTPRoute)
        and "{slug" in route.path
        # The widget's public side names tenants for anonymous visitors by design.
        and not route.path.startswith(("/w/", "/c/", "/api/widget/", "/widget"))
    ]


def concrete(path: str, slug: str) -> str:
    by_type = {"uuid": str(uuid4()), "int": "1", "str": "x", "path": "x"}
    return PATH_PARAMETER.sub(lambda m: slug if m[1] == "slug" else by_type[m[2] or "str"], path)


def declared_min_role(route: HTTPRoute, method: str) -> str | None:
    for handler in route.route_handlers:
        if method in handler.http_methods:
            role = handler.opt.get("min_role")
            return str(role) if role else None
    return None


async def walk(
    client: AsyncTestClient[Litestar],
    routes: list[HTTPRoute],
    slug: str,
    headers: dict[str, str],
    *,
    only: Any = None,
) -> dict[str, int]:
    """The status of every call that was not refused (empty when all were)."""
    let_through: dict[str, int] = {}
    for route in routes:
        for method in sorted(route.methods - {"OPTIONS", "HEAD"}):
            if only is not None and not only(route, method):
                continue
            path = concrete(route.path, slug)
            response = await client.request(
                method, path, headers=headers, json={}, follow_redirects=False
            )
            if response.status_code not in REFUSED:
                let_through[f"{method} {path}"] = response.status_code
            elif f"Line {slug}" in response.text:  # tests.conftest names tenants so
                let_through[f"{method} {path} (shows the tenant's name)"] = response.status_code
    return let_through


@pytest.fixture
async def target(make_tenant: MakeTenant) -> Any:
    return await make_tenant()


async def test_the_walk_covers_the_consoles(app: Litestar) -> None:
    paths = {route.path for route in tenant_routes(app)}
    # If these move, the walk must follow them rather than silently walk nothing.
    assert "/api/tenants/{slug:str}/referrals" in paths
    assert len(paths) >= 2


@pytest.mark.parametrize("role", ["listener", "supervisor", "admin", "owner"])
async def test_staff_of_another_tenant_are_refused_everywhere(
    role: str,
    app: Litestar,
    client: AsyncTestClient[Litestar],
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
    target: Any,
) -> None:
    elsewhere = await make_tenant()
    headers = await bearer_for(client, await make_staff(elsewhere.slug, role))

    assert await walk(client, tenant_routes(app), target.slug, headers) == {}


async def test_a_partner_this_tenant_never_granted_is_refused_everywhere(
    app: Litestar,
    client: AsyncTestClient[Litestar],
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
    target: Any,
) -> None:
    partner = await make_tenant()
    # The partner serves some other host, so it does have partner access somewhere.
    await make_tenant(partners=[{"organisation": partner.slug}])
    for role in ("listener", "supervisor"):
        headers = await bearer_for(client, await make_staff(partner.slug, role))
        assert await walk(client, tenant_routes(app), target.slug, headers) == {}, role


async def test_the_tenants_own_listener_is_refused_the_admin_side(
    app: Litestar, client: AsyncTestClient[Litestar], make_staff: MakeStaff, target: Any
) -> None:
    headers = await bearer_for(client, await make_staff(target.slug, "listener"))

    def above_listener(route: HTTPRoute, method: str) -> bool:
        if route.path.startswith("/admin/"):
            return True
        role = declared_min_role(route, method)
        return role is not None and not role_at_least("listener", role)

    assert await walk(client, tenant_routes(app), target.slug, headers, only=above_listener) == {}
