"""The /account/ page and its API beyond TOTP: name, language, password."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.conftest import PASSWORD, MakeStaff, MakeTenant, Servers
from tests.staff.accounts import bearer, bearer_for, own_app, password_step

NEW_PASSWORD = "another long passphrase"


@pytest.fixture
async def listener(make_tenant: MakeTenant, make_staff: MakeStaff) -> str:
    return await make_staff((await make_tenant()).slug, "listener")


async def test_name_and_language_are_changed_by_their_owner(
    client: AsyncTestClient[Litestar], owner: Any, listener: str
) -> None:
    headers = await bearer_for(client, listener)

    response = await client.patch(
        "/api/account/", json={"display_name": "  Sam  ", "locale": "en"}, headers=headers
    )
    only_name = await client.patch(
        "/api/account/", json={"display_name": "Sam B."}, headers=headers
    )

    assert response.status_code == 200, response.text
    assert (response.json()["display_name"], response.json()["locale"]) == ("Sam", "en")
    assert (only_name.json()["display_name"], only_name.json()["locale"]) == ("Sam B.", "en")
    row = await owner.fetchrow(
        "SELECT display_name, locale FROM staff_users WHERE email = $1", listener
    )
    assert tuple(row) == ("Sam B.", "en")


async def test_the_name_visitors_read_is_the_listeners_own_choice_and_may_be_cleared(
    client: AsyncTestClient[Litestar], owner: Any, listener: str
) -> None:
    headers = await bearer_for(client, listener)

    chosen = await client.patch(
        "/api/account/", json={"visitor_name": " Camille "}, headers=headers
    )
    kept = await client.patch("/api/account/", json={"locale": "fr"}, headers=headers)
    read = await client.get("/api/account/", headers=headers)

    assert chosen.status_code == 200, chosen.text
    assert chosen.json()["visitor_name"] == "Camille"
    assert kept.json()["visitor_name"] == read.json()["visitor_name"] == "Camille"
    cleared = await client.patch("/api/account/", json={"visitor_name": ""}, headers=headers)
    assert cleared.json()["visitor_name"] == ""
    stored = await owner.fetchval("SELECT visitor_name FROM staff_users WHERE email = $1", listener)
    assert stored == ""


@pytest.mark.parametrize(
    "body",
    [
        {"display_name": ""},
        {"locale": "de"},
        {"email": "other@example.org"},
        {"display_name": 3},
        {"visitor_name": "x" * 41},
        {"visitor_name": "Camille\nSecond line"},
    ],
)
async def test_bad_profile_changes_are_refused_and_nothing_changes(
    body: dict[str, Any], client: AsyncTestClient[Litestar], owner: Any, listener: str
) -> None:
    before = await owner.fetchrow("SELECT * FROM staff_users WHERE email = $1", listener)

    response = await client.patch(
        "/api/account/", json=body, headers=await bearer_for(client, listener)
    )

    assert response.status_code == 400
    assert response.json()["code"] == "validation_failed"
    assert await owner.fetchrow("SELECT * FROM staff_users WHERE id = $1", before["id"]) == before


async def test_changing_the_password_ends_every_other_session(
    client: AsyncTestClient[Litestar], owner: Any, listener: str
) -> None:
    elsewhere = (await password_step(client, listener)).json()
    here = (await password_step(client, listener)).json()

    response = await client.post(
        "/api/account/password",
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        headers=bearer(here["access_token"]),
    )

    assert response.status_code == 200, response.text
    cookies = {h.split("=")[0] for h in response.headers.get_list("set-cookie")}
    assert {"havre_access", "havre_refresh"} <= cookies
    for old in (elsewhere, here):
        refused = await client.post(
            "/api/auth/refresh", json={"refresh_token": old["refresh_token"]}
        )
        assert refused.status_code == 401
    assert (await password_step(client, listener)).status_code == 401
    renewed = await client.post(
        "/api/auth/sign-in", json={"email": listener, "password": NEW_PASSWORD}
    )
    assert renewed.status_code == 200
    actions = await owner.fetch(
        "SELECT a.action FROM audit_log a JOIN staff_users s ON s.id = a.actor_id "
        "WHERE s.email = $1",
        listener,
    )
    assert "staff.password_changed" in {a["action"] for a in actions}


async def test_a_wrong_current_password_is_refused_and_counts_as_a_failed_sign_in(
    servers: Servers, make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    email = await make_staff((await make_tenant()).slug)
    async with own_app(servers, signin_free_failures_per_pair=2) as client:
        headers = await bearer_for(client, email)
        wrong = [
            await client.post(
                "/api/account/password",
                json={"current_password": "not it", "new_password": NEW_PASSWORD},
                headers=headers,
            )
            for _ in range(3)
        ]
        short = await client.post(
            "/api/account/password",
            json={"current_password": PASSWORD, "new_password": "short"},
            headers=headers,
        )
        sign_in = await password_step(client, email)

    assert [(r.status_code, r.json()["code"]) for r in wrong] == [
        (400, "wrong_password"),
        (400, "wrong_password"),
        (429, "sign_in_delayed"),
    ]
    assert wrong[2].headers["retry-after"] == "1"
    # Counted with this client's sign-ins on this account: they wait too.
    assert short.status_code == 400
    assert short.json()["code"] == "validation_failed"
    assert sign_in.status_code == 429
    assert sign_in.json()["code"] == "sign_in_delayed"


async def test_the_account_page_is_for_the_signed_in_person(
    client: AsyncTestClient[Litestar], listener: str
) -> None:
    page = await client.get("/account/", headers=await bearer_for(client, listener))
    anonymous = await client.get("/account/", follow_redirects=False)

    assert page.status_code == 200
    assert listener in page.text
    assert "Connexion en deux étapes" in page.text
    assert anonymous.status_code in (302, 303, 307)
    assert anonymous.headers["location"] == "/sign-in?next=/account/"


@pytest.mark.parametrize(
    ("method", "path"), [("PATCH", "/api/account/"), ("POST", "/api/account/password")]
)
async def test_anonymous_callers_get_401(
    method: str, path: str, client: AsyncTestClient[Litestar]
) -> None:
    response = await client.request(method, path, json={})

    assert response.status_code == 401
