"""Who may read what: roles within a tenant, other tenants, partner grants, and anonymous."""

from __future__ import annotations

import re
from typing import Any
from uuid import uuid4

import pytest
from litestar import Litestar
from litestar.routes import HTTPRoute, WebSocketRoute
from litestar.testing import AsyncTestClient

from tests.conftest import MakeStaff, MakeTenant, sign_in


async def bearer_for(client: AsyncTestClient[Litestar], email: str) -> dict[str, str]:
    tokens = await sign_in(client, email)
    return {"authorization": f"Bearer {tokens['access_token']}"}


async def organisation_id(owner: Any, slug: str) -> str:
    return str(await owner.fetchval("SELECT id FROM organisations WHERE slug = $1", slug))


def referrals(slug: str) -> str:
    return f"/api/tenants/{slug}/referrals"


def configuration(slug: str) -> str:
    return f"/api/tenants/{slug}/"


async def test_listener_reads_referrals_but_not_the_configuration(
    client: AsyncTestClient[Litestar], make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    tenant = await make_tenant()
    headers = await bearer_for(client, await make_staff(tenant.slug, "listener"))

    listed = await client.get(referrals(tenant.slug), headers=headers)
    config = await client.get(configuration(tenant.slug), headers=headers)

    assert listed.status_code == 200
    assert [r["key"] for r in listed.json()] == [r.key for r in tenant.referrals]
    assert config.status_code == 403
    assert config.json()["code"] == "forbidden"


async def test_admin_reads_its_tenant_configuration(
    client: AsyncTestClient[Litestar], make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    tenant = await make_tenant()
    headers = await bearer_for(client, await make_staff(tenant.slug, "admin"))

    response = await client.get(configuration(tenant.slug), headers=headers)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["slug"] == tenant.slug
    assert body["name"] == tenant.name
    assert body["admin_email"] == tenant.admin_email
    assert [t["slug"] for t in body["teams"]] == [t.slug for t in tenant.teams]


@pytest.mark.parametrize("role", ["listener", "admin"])
async def test_staff_of_one_tenant_get_404_on_another_tenant(
    role: str, client: AsyncTestClient[Litestar], make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    mine, theirs = await make_tenant(), await make_tenant()
    headers = await bearer_for(client, await make_staff(mine.slug, role))

    answers = [
        await client.get(referrals(theirs.slug), headers=headers),
        await client.get(configuration(theirs.slug), headers=headers),
    ]
    nonexistent = await client.get(referrals("no-such-tenant-x1"), headers=headers)

    for response in answers:
        assert response.status_code == 404
        assert response.json()["code"] == "tenant_not_found"
        assert theirs.name not in response.text
    # An existing tenant one cannot see looks exactly like one that does not exist.
    assert {r.content for r in answers} == {nonexistent.content}


async def test_partner_listener_reads_the_host_and_sees_it_via_the_partner(
    client: AsyncTestClient[Litestar],
    owner: Any,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
) -> None:
    partner = await make_tenant()
    host = await make_tenant(partners=[{"organisation": partner.slug}])
    headers = await bearer_for(client, await make_staff(partner.slug, "listener"))

    listed = await client.get(referrals(host.slug), headers=headers)
    me = (await client.get("/api/me", headers=headers)).json()

    assert listed.status_code == 200
    assert [r["key"] for r in listed.json()] == [r.key for r in host.referrals]
    tenants = {t["slug"]: t for t in me["tenants"]}
    assert set(tenants) == {partner.slug, host.slug}
    assert tenants[host.slug]["via_partner"] == await organisation_id(owner, partner.slug)
    assert tenants[host.slug]["role"] == "listener"
    assert tenants[host.slug]["team_ids"] is None
    assert tenants[partner.slug]["via_partner"] is None


async def test_partner_admin_is_capped_below_admin_in_the_host(
    client: AsyncTestClient[Litestar], make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    partner = await make_tenant()
    host = await make_tenant(partners=[{"organisation": partner.slug}])
    headers = await bearer_for(client, await make_staff(partner.slug, "admin"))

    own = await client.get(configuration(partner.slug), headers=headers)
    hosts = await client.get(configuration(host.slug), headers=headers)

    assert own.status_code == 200
    assert hosts.status_code == 403
    assert hosts.json()["code"] == "forbidden"


async def test_listener_of_an_organisation_the_host_did_not_grant_gets_404(
    client: AsyncTestClient[Litestar], make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    granted, other = await make_tenant(), await make_tenant()
    host = await make_tenant(partners=[{"organisation": granted.slug}])
    headers = await bearer_for(client, await make_staff(other.slug, "listener"))

    response = await client.get(referrals(host.slug), headers=headers)
    me = (await client.get("/api/me", headers=headers)).json()

    assert response.status_code == 404
    assert response.json()["code"] == "tenant_not_found"
    assert [t["slug"] for t in me["tenants"]] == [other.slug]


async def test_partner_grant_limited_to_teams_lists_those_team_ids(
    client: AsyncTestClient[Litestar],
    owner: Any,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
) -> None:
    partner = await make_tenant()
    host = await make_tenant(
        teams=[
            {"slug": "general", "name": "General", "languages": ["fr"]},
            {"slug": "night", "name": "Night", "languages": ["fr", "en"]},
        ],
        partners=[{"organisation": partner.slug, "teams": ["night"]}],
    )
    night = await owner.fetchval(
        "SELECT t.id FROM teams t JOIN organisations o ON o.id = t.organisation_id"
        " WHERE o.slug = $1 AND t.slug = 'night'",
        host.slug,
    )
    headers = await bearer_for(client, await make_staff(partner.slug, "listener"))

    me = (await client.get("/api/me", headers=headers)).json()

    tenants = {t["slug"]: t for t in me["tenants"]}
    assert tenants[host.slug]["team_ids"] == [str(night)]
    assert tenants[host.slug]["via_partner"] == await organisation_id(owner, partner.slug)


@pytest.mark.parametrize("through", ["own membership", "partner membership"])
async def test_deactivated_membership_loses_access(
    through: str,
    client: AsyncTestClient[Litestar],
    owner: Any,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
) -> None:
    home = await make_tenant()
    if through == "partner membership":
        target = await make_tenant(partners=[{"organisation": home.slug}])
    else:
        target = home
    email = await make_staff(home.slug, "listener")
    headers = await bearer_for(client, email)
    before = await client.get(referrals(target.slug), headers=headers)

    await owner.execute(
        "UPDATE memberships SET is_active = false WHERE staff_id ="
        " (SELECT id FROM staff_users WHERE email = $1)",
        email,
    )
    after = await client.get(referrals(target.slug), headers=headers)
    me = (await client.get("/api/me", headers=headers)).json()

    assert before.status_code == 200
    assert after.status_code == 404
    assert after.json()["code"] == "tenant_not_found"
    assert me["tenants"] == []


@pytest.mark.parametrize(
    "path", ["/api/me", "/api/tenants/{slug}/", "/api/tenants/{slug}/referrals"]
)
async def test_no_token_is_401_not_authenticated(
    path: str, client: AsyncTestClient[Litestar], make_tenant: MakeTenant
) -> None:
    tenant = await make_tenant()

    response = await client.get(path.format(slug=tenant.slug))

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


# Public by design; anything else must refuse an anonymous caller. A new public route has to be
# added here on purpose, or this walk fails.
PUBLIC_EXACT = {"/", "/health", "/ready", "/sign-in", "/api/conversations"}  # visitors: anonymous
# The widget is public: the loader, its assets, the iframe page, the hosted chat page and a
# tenant's public config.
PUBLIC_PREFIXES = (
    "/schema",
    "/static",
    "/api/auth/",
    "/demo",
    "/widget",
    "/w/",
    "/c/",
    "/api/widget/",
)
PATH_PARAMETER = re.compile(r"\{(\w+)(?::(\w+))?\}")


async def test_no_route_answers_data_to_an_anonymous_client(
    app: Litestar, client: AsyncTestClient[Litestar], make_tenant: MakeTenant
) -> None:
    tenant = await make_tenant()
    # A real tenant, so a refusal is about the caller and not about a missing tenant.
    by_name = {"slug": tenant.slug}
    by_type = {"uuid": str(uuid4()), "int": "1", "str": "x", "path": "x"}
    walked: set[str] = set()
    answers: dict[str, int] = {}

    for route in app.routes:
        if route.path in PUBLIC_EXACT or route.path.startswith(PUBLIC_PREFIXES):
            continue
        if isinstance(route, WebSocketRoute):
            continue  # sockets authenticate in their first frame, with their own tests
        assert isinstance(route, HTTPRoute), route.path
        path = PATH_PARAMETER.sub(lambda m: by_name.get(m[1]) or by_type[m[2] or "str"], route.path)
        walked.add(route.path)
        for method in sorted(route.methods - {"OPTIONS", "HEAD"}):
            response = await client.request(method, path, follow_redirects=False)
            answers[f"{method} {path}"] = response.status_code
            assert tenant.name not in response.text, f"{method} {path}"

    assert {"/api/me", "/api/tenants/{slug:str}", "/api/tenants/{slug:str}/referrals"} <= walked
    assert not {call: status for call, status in answers.items() if 200 <= status < 300}, answers
