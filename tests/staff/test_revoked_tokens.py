"""An access token ends with its session: after sign-out, a password change, a stolen refresh
token's reuse or a deactivation, it is refused at once (not when it expires), on the HTTP API,
on staff pages and on the console socket, by this worker and by the others."""

from __future__ import annotations

import time
from typing import Any

import httpx
import jwt
import pytest
import redis.asyncio as aioredis
from litestar import Litestar
from litestar.testing import AsyncTestClient
from websockets.asyncio.client import connect

from server.app import create_app
from server.settings import Settings
from tests.conftest import PASSWORD, MakeStaff, MakeTenant, Servers, eventually, sign_in
from tests.conversations.clients import Console, open_console
from tests.staff.accounts import bearer, bearer_for, staff_id_of

SIGN_OUT = "/api/auth/sign-out"
REFRESH = "/api/auth/refresh"
ACCOUNT = "/api/account/"


def family_of(token: str) -> str:
    return str(jwt.decode(token, options={"verify_signature": False})["fam"])


async def refused(client: httpx.AsyncClient, token: str) -> bool:
    response = await client.get(ACCOUNT, headers=bearer(token))
    if response.status_code == 200:
        return False
    assert response.status_code == 401, response.text
    assert response.json()["code"] == "invalid_token"
    return True


async def test_after_sign_out_the_same_access_token_is_refused_by_the_api_and_the_pages(
    client: AsyncTestClient[Litestar], make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    email = await make_staff((await make_tenant()).slug)
    leaving, staying = await sign_in(client, email), await sign_in(client, email)
    assert not await refused(client, leaving["access_token"])

    signed_out = await client.post(SIGN_OUT, json={"refresh_token": leaving["refresh_token"]})
    me = await client.get("/api/me", headers=bearer(leaving["access_token"]))
    page = await client.get(
        "/account/", headers=bearer(leaving["access_token"]), follow_redirects=False
    )

    assert signed_out.status_code == 204
    assert await refused(client, leaving["access_token"])
    assert me.status_code == 401
    assert page.status_code in (302, 303, 307)
    assert page.headers["location"] == "/sign-in?next=/account/"
    # The same person's other session goes on.
    assert not await refused(client, staying["access_token"])


async def test_signing_out_with_the_access_token_alone_ends_its_session(
    client: AsyncTestClient[Litestar], make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    email = await make_staff((await make_tenant()).slug)
    pair = await sign_in(client, email)

    signed_out = await client.post(SIGN_OUT, headers=bearer(pair["access_token"]))
    again = await client.post(REFRESH, json={"refresh_token": pair["refresh_token"]})

    assert signed_out.status_code == 204
    assert await refused(client, pair["access_token"])
    assert again.status_code == 401


async def test_after_sign_out_the_console_socket_refuses_the_access_token(
    live_url: str, live_host: str, make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    email = await make_staff((await make_tenant()).slug, "listener")
    async with httpx.AsyncClient(base_url=live_url) as http:
        signed_in = await http.post(
            "/api/auth/sign-in", json={"email": email, "password": PASSWORD}
        )
        tokens = signed_in.json()
        console = await open_console(live_host, tokens["access_token"])
        await console.close()
        signed_out = await http.post(SIGN_OUT, json={"refresh_token": tokens["refresh_token"]})
    assert signed_out.status_code == 204

    again = Console(await connect(f"ws://{live_host}/ws/console"))
    await again.send({"type": "hello", "token": tokens["access_token"]})

    assert await again.closed() == (4401, "invalid_token")


async def test_a_sign_out_on_one_worker_reaches_the_others(
    client: AsyncTestClient[Litestar], live_url: str, make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    email = await make_staff((await make_tenant()).slug)
    pair = await sign_in(client, email)  # this worker; the live server is another one
    async with httpx.AsyncClient(base_url=live_url) as other_worker:
        assert not await refused(other_worker, pair["access_token"])
        signed_out = await client.post(SIGN_OUT, json={"refresh_token": pair["refresh_token"]})
        started = time.monotonic()
        # Another worker hears of it through Redis: a message's delivery, not the token's expiry.
        await eventually(lambda: refused(other_worker, pair["access_token"]), wait=2.0)
        reached = time.monotonic() - started

    assert signed_out.status_code == 204
    assert reached < 2.0


async def test_a_worker_started_after_the_sign_out_refuses_the_token_too(
    client: AsyncTestClient[Litestar],
    settings: Settings,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
) -> None:
    email = await make_staff((await make_tenant()).slug)
    pair = await sign_in(client, email)
    assert (
        await client.post(SIGN_OUT, json={"refresh_token": pair["refresh_token"]})
    ).status_code == 204

    async with AsyncTestClient(app=create_app(settings)) as new_worker:
        assert await refused(new_worker, pair["access_token"])


async def test_a_password_change_refuses_every_other_sessions_access_token_at_once(
    client: AsyncTestClient[Litestar], make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    email = await make_staff((await make_tenant()).slug)
    elsewhere, here = await sign_in(client, email), await sign_in(client, email)

    changed = await client.post(
        "/api/account/password",
        json={"current_password": PASSWORD, "new_password": "a new and longer passphrase"},
        headers=bearer(here["access_token"]),
    )

    assert changed.status_code == 200, changed.text
    assert await refused(client, elsewhere["access_token"])
    assert await refused(client, here["access_token"])
    # The session the change opened works.
    assert not await refused(client, changed.cookies["havre_access"])


async def test_reusing_a_stolen_refresh_token_ends_its_familys_access_tokens(
    client: AsyncTestClient[Litestar], owner: Any, make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    email = await make_staff((await make_tenant()).slug)
    first = await sign_in(client, email)
    second = (await client.post(REFRESH, json={"refresh_token": first["refresh_token"]})).json()
    # Past the grace given to two tabs refreshing at once: a replay.
    await owner.execute(
        "UPDATE staff_sessions SET used_at = used_at - interval '1 minute' WHERE id = $1",
        jwt.decode(first["refresh_token"], options={"verify_signature": False})["sid"],
    )

    replay = await client.post(REFRESH, json={"refresh_token": first["refresh_token"]})

    assert replay.status_code == 401
    for token in (first["access_token"], second["access_token"]):
        assert await refused(client, token)


async def test_deactivating_a_member_refuses_their_access_token_at_once(
    client: AsyncTestClient[Litestar], owner: Any, make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    tenant = await make_tenant()
    listener = await make_staff(tenant.slug)
    token = (await sign_in(client, listener))["access_token"]
    admin = await bearer_for(client, await make_staff(tenant.slug, "admin"))

    changed = await client.patch(
        f"/api/tenants/{tenant.slug}/staff/{await staff_id_of(owner, listener)}",
        json={"is_active": False},
        headers=admin,
    )

    assert changed.status_code == 200, changed.text
    assert await refused(client, token)


@pytest.mark.parametrize("how", ["sign-out", "password change"])
async def test_the_deny_list_holds_a_random_family_id_only_as_long_as_a_token_lives(
    how: str,
    client: AsyncTestClient[Litestar],
    servers: Servers,
    settings: Settings,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
) -> None:
    email = await make_staff((await make_tenant()).slug)
    pair = await sign_in(client, email)
    if how == "sign-out":
        await client.post(SIGN_OUT, json={"refresh_token": pair["refresh_token"]})
    else:
        await client.post(
            "/api/account/password",
            json={"current_password": PASSWORD, "new_password": "another long passphrase"},
            headers=bearer(pair["access_token"]),
        )
    redis = aioredis.from_url(servers.redis_url)
    try:
        key = f"{settings.redis.prefix}revoked-family:{family_of(pair['access_token'])}"
        ttl = await redis.ttl(key)
    finally:
        await redis.aclose()

    access_ttl = settings.auth.access_ttl_seconds
    assert access_ttl - 10 < ttl <= access_ttl + 30
