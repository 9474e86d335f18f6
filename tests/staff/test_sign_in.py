"""Staff sign-in, tokens, refresh rotation, sign-out and CSRF, against the real app and servers.

The `client` fixture talks plain http, so httpx never sends the app's Secure cookies back: it is
a bearer-only client. Tests about cookies use a client on https://, where they are sent.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import time
from collections.abc import Callable
from typing import Any

import argon2
import httpx
import jwt
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.auth import hash_password, password_hasher, verify_password
from server.settings import Settings
from tests.conftest import PASSWORD, MakeStaff, MakeTenant, sign_in
from tests.staff.accounts import bearer_for, code_at, enrol, sibling

SIGN_IN = "/api/auth/sign-in"
REFRESH = "/api/auth/refresh"
SIGN_OUT = "/api/auth/sign-out"
SECOND_STEP = "/api/auth/sign-in/second-step"


def set_cookies(response: httpx.Response) -> dict[str, dict[str, str]]:
    """Each Set-Cookie header by cookie name: its value and its attributes, names lower-cased."""
    cookies: dict[str, dict[str, str]] = {}
    for header in response.headers.get_list("set-cookie"):
        first, *attributes = (part.strip() for part in header.split(";"))
        name, _, value = first.partition("=")
        parsed = {"value": value.strip('"')}
        for attribute in attributes:
            key, _, attribute_value = attribute.partition("=")
            parsed[key.lower()] = attribute_value
        cookies[name] = parsed
    return cookies


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def subject_of(token: str) -> str:
    return str(jwt.decode(token, options={"verify_signature": False})["sub"])


async def attempt(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    return await client.post(SIGN_IN, json={"email": email, "password": password})


@pytest.fixture
def browser(client: AsyncTestClient[Litestar]) -> AsyncTestClient[Litestar]:
    """A client on https://, which keeps and sends the Secure session cookies like a browser."""
    return sibling(client)


# Sign-in ---------------------------------------------------------------------------------


async def test_sign_in_returns_a_token_pair_and_sets_hardened_session_cookies(
    client: AsyncTestClient[Litestar],
    settings: Settings,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
) -> None:
    tenant = await make_tenant()
    email = await make_staff(tenant.slug)

    response = await attempt(client, email, PASSWORD)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == settings.auth.access_ttl_seconds
    assert body["access_token"]
    assert body["refresh_token"]
    assert body["access_token"] != body["refresh_token"]
    cookies = set_cookies(response)
    access, refresh = cookies["havre_access"], cookies["havre_refresh"]
    assert access["value"] == body["access_token"]
    assert "httponly" in access
    assert "secure" in access
    assert access["samesite"].lower() == "lax"
    assert access["path"] == "/"
    assert access["max-age"] == str(settings.auth.access_ttl_seconds)
    assert refresh["value"] == body["refresh_token"]
    assert "httponly" in refresh
    assert "secure" in refresh
    assert refresh["samesite"].lower() == "strict"
    assert refresh["path"] == "/api/auth"
    assert refresh["max-age"] == str(settings.auth.refresh_ttl_seconds)


async def test_stored_password_hash_is_argon2id(
    owner: Any, make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    tenant = await make_tenant()
    email = await make_staff(tenant.slug)

    stored = await owner.fetchval("SELECT password_hash FROM staff_users WHERE email = $1", email)

    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


@pytest.mark.parametrize("environment", ["production", "development"])
def test_outside_the_test_suite_passwords_are_hashed_with_rfc_9106_parameters(
    environment: str,
) -> None:
    stored = password_hasher(environment).hash(PASSWORD)

    assert argon2.extract_parameters(stored) == argon2.profiles.RFC_9106_LOW_MEMORY
    assert verify_password(stored, PASSWORD)  # the test profile checks production hashes


def test_the_test_suite_alone_hashes_cheaply() -> None:
    assert os.environ["HAVRE_ENV"] == "test"
    cheap = argon2.extract_parameters(hash_password(PASSWORD))

    assert cheap.memory_cost < argon2.profiles.RFC_9106_LOW_MEMORY.memory_cost


async def test_wrong_password_unknown_email_and_deactivated_all_answer_the_same_401(
    client: AsyncTestClient[Litestar], owner: Any, make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    tenant = await make_tenant()
    active = await make_staff(tenant.slug)
    deactivated = await make_staff(tenant.slug)
    await owner.execute("UPDATE staff_users SET is_active = false WHERE email = $1", deactivated)

    refusals = {
        "wrong password": await attempt(client, active, "not the password"),
        "unknown e-mail": await attempt(
            client, f"nobody-{secrets.token_hex(4)}@x.example", PASSWORD
        ),
        "deactivated": await attempt(client, deactivated, PASSWORD),
    }

    for why, response in refusals.items():
        assert response.status_code == 401, why
        assert response.json()["code"] == "invalid_credentials", why
        assert "set-cookie" not in response.headers, why
    bodies = {why: response.content for why, response in refusals.items()}
    assert len(set(bodies.values())) == 1, bodies
    # The limits on failed sign-ins are in test_sign_in_limits.py.


async def test_email_is_case_insensitive(
    client: AsyncTestClient[Litestar], make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    tenant = await make_tenant()
    email = await make_staff(tenant.slug)

    response = await attempt(client, f"  {email.upper()} ", PASSWORD)

    assert response.status_code == 200, response.text
    me = await client.get("/api/me", headers=bearer(response.json()["access_token"]))
    assert me.json()["email"] == email


# Access tokens ---------------------------------------------------------------------------


async def test_access_token_authenticates_as_bearer_and_as_cookie(
    client: AsyncTestClient[Litestar],
    browser: AsyncTestClient[Litestar],
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
) -> None:
    tenant = await make_tenant()
    email = await make_staff(tenant.slug)
    tokens = await sign_in(client, email)
    await sign_in(browser, email)

    as_bearer = await client.get("/api/me", headers=bearer(tokens["access_token"]))
    as_cookie = await browser.get("/api/me")

    assert as_bearer.status_code == 200
    assert as_bearer.json()["email"] == email
    assert "authorization" not in as_cookie.request.headers
    sent = as_cookie.request.headers["cookie"]
    assert "havre_access=" in sent
    assert "havre_refresh=" not in sent  # that one is only for /api/auth
    assert as_cookie.status_code == 200
    assert as_cookie.json()["email"] == email


async def test_access_token_names_its_signing_key(
    client: AsyncTestClient[Litestar],
    settings: Settings,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
) -> None:
    tenant = await make_tenant()
    tokens = await sign_in(client, await make_staff(tenant.slug))

    header = jwt.get_unverified_header(tokens["access_token"])

    assert header["kid"] == settings.auth.jwt_keys[0][0]
    assert header["alg"] == "HS256"


def forge(
    secret: str | None, subject: str, *, kid: str | None, alg: str = "HS256", **claims: Any
) -> str:
    now = int(time.time())
    payload = {"sub": subject, "typ": "access", "iat": now, "exp": now + 300, **claims}
    headers = {"kid": kid} if kid is not None else None
    return jwt.encode(payload, secret, algorithm=alg, headers=headers)


async def test_token_signed_with_the_second_configured_key_is_accepted(
    client: AsyncTestClient[Litestar],
    settings: Settings,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
) -> None:
    tenant = await make_tenant()
    email = await make_staff(tenant.slug)
    staff_id = subject_of((await sign_in(client, email))["access_token"])
    (signing_kid, _), (older_kid, older_secret) = settings.auth.jwt_keys
    assert (signing_kid, older_kid) == ("k1", "k0")

    token = forge(older_secret, staff_id, kid=older_kid)
    response = await client.get("/api/me", headers=bearer(token))

    assert response.status_code == 200, response.text
    assert response.json()["email"] == email


def tamper(token: str) -> str:
    """The same token with its signature's first character changed."""
    header, payload, signature = token.split(".")
    other = "B" if signature[0] == "A" else "A"
    return f"{header}.{payload}.{other}{signature[1:]}"


Forger = Callable[[dict[str, str], str, dict[str, Any]], str]

REFUSED_TOKENS: list[Any] = [
    pytest.param(
        lambda keys, sub, pair: forge(
            keys["k1"], sub, kid="k1", iat=int(time.time()) - 120, exp=int(time.time()) - 60
        ),
        id="expired",
    ),
    pytest.param(
        lambda keys, sub, pair: forge(secrets.token_urlsafe(40), sub, kid="k1"),
        id="signed-with-an-unknown-key",
    ),
    pytest.param(lambda keys, sub, pair: forge(keys["k1"], sub, kid="k9"), id="unknown-kid"),
    pytest.param(lambda keys, sub, pair: forge(keys["k1"], sub, kid=None), id="no-kid"),
    pytest.param(lambda keys, sub, pair: forge(None, sub, kid="k1", alg="none"), id="alg-none"),
    pytest.param(
        lambda keys, sub, pair: forge(keys["k1"], sub, kid="k1", alg="HS512"),
        id="other-alg",
        marks=pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning"),
    ),
    pytest.param(
        lambda keys, sub, pair: forge(keys["k1"], sub, kid="k1", typ="visitor"),
        id="visitor-token",
    ),
    pytest.param(lambda keys, sub, pair: pair["refresh_token"], id="refresh-token-as-access"),
    pytest.param(lambda keys, sub, pair: "not-a-token", id="garbage"),
    pytest.param(lambda keys, sub, pair: tamper(pair["access_token"]), id="bad-signature"),
]


@pytest.mark.parametrize("make_token", REFUSED_TOKENS)
async def test_bad_access_tokens_are_refused(
    make_token: Forger,
    client: AsyncTestClient[Litestar],
    settings: Settings,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
) -> None:
    tenant = await make_tenant()
    pair = await sign_in(client, await make_staff(tenant.slug))
    keys = dict(settings.auth.jwt_keys)
    staff_id = subject_of(pair["access_token"])
    # The same claims, properly signed, are accepted: only the named defect is refused.
    assert (
        await client.get("/api/me", headers=bearer(forge(keys["k1"], staff_id, kid="k1")))
    ).status_code == 200

    response = await client.get("/api/me", headers=bearer(make_token(keys, staff_id, pair)))

    assert response.status_code == 401
    assert response.json()["code"] == "invalid_token"


# Refresh, sign-out -----------------------------------------------------------------------


async def used_long_ago(owner: Any, refresh_token: str) -> None:
    """Move a used refresh token's first use back past the grace given to concurrent twins."""
    sid = jwt.decode(refresh_token, options={"verify_signature": False})["sid"]
    moved = await owner.execute(
        "UPDATE staff_sessions SET used_at = used_at - interval '1 minute' "
        "WHERE id = $1 AND used_at IS NOT NULL",
        sid,
    )
    assert moved == "UPDATE 1"


async def test_refresh_returns_a_new_pair_and_the_old_refresh_token_then_fails(
    client: AsyncTestClient[Litestar], make_tenant: MakeTenant, make_staff: MakeStaff, owner: Any
) -> None:
    tenant = await make_tenant()
    first = await sign_in(client, await make_staff(tenant.slug))

    rotated = await client.post(REFRESH, json={"refresh_token": first["refresh_token"]})

    assert rotated.status_code == 200, rotated.text
    second = rotated.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    me = await client.get("/api/me", headers=bearer(second["access_token"]))
    assert me.status_code == 200
    await used_long_ago(owner, first["refresh_token"])
    again = await client.post(REFRESH, json={"refresh_token": first["refresh_token"]})
    assert again.status_code == 401
    assert again.json()["code"] == "invalid_token"


async def test_reusing_an_old_refresh_token_revokes_the_whole_family(
    client: AsyncTestClient[Litestar], make_tenant: MakeTenant, make_staff: MakeStaff, owner: Any
) -> None:
    tenant = await make_tenant()
    email = await make_staff(tenant.slug)
    first = await sign_in(client, email)
    second = (await client.post(REFRESH, json={"refresh_token": first["refresh_token"]})).json()
    third = (await client.post(REFRESH, json={"refresh_token": second["refresh_token"]})).json()
    other_session = await sign_in(client, email)
    await used_long_ago(owner, first["refresh_token"])

    replay = await client.post(REFRESH, json={"refresh_token": first["refresh_token"]})
    newest = await client.post(REFRESH, json={"refresh_token": third["refresh_token"]})
    unrelated = await client.post(REFRESH, json={"refresh_token": other_session["refresh_token"]})

    assert replay.status_code == 401
    assert newest.status_code == 401
    assert newest.json()["code"] == "invalid_token"
    # Only that family: the same person's other session is untouched.
    assert unrelated.status_code == 200


async def test_two_tabs_refreshing_at_once_with_the_same_token_both_stay_signed_in(
    client: AsyncTestClient[Litestar], make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    tenant = await make_tenant()
    first = await sign_in(client, await make_staff(tenant.slug))

    answers = await asyncio.gather(
        *(client.post(REFRESH, json={"refresh_token": first["refresh_token"]}) for _ in range(2))
    )

    assert [a.status_code for a in answers] == [200, 200], [a.text for a in answers]
    pairs = [a.json() for a in answers]
    assert pairs[0]["refresh_token"] != pairs[1]["refresh_token"]
    # Neither twin revoked the family: each tab can go on refreshing.
    for pair in pairs:
        onward = await client.post(REFRESH, json={"refresh_token": pair["refresh_token"]})
        assert onward.status_code == 200, onward.text


async def test_refresh_with_the_cookie_rotates_the_cookies(
    client: AsyncTestClient[Litestar],
    browser: AsyncTestClient[Litestar],
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
    owner: Any,
) -> None:
    tenant = await make_tenant()
    email = await make_staff(tenant.slug)
    await browser.get("/sign-in")
    first = await sign_in(browser, email)

    response = await browser.post(REFRESH, headers={"x-csrf-token": browser.cookies["havre_csrf"]})

    jar_refresh = browser.cookies.get("havre_refresh", path="/api/auth")

    assert "havre_refresh=" in response.request.headers["cookie"]
    assert response.status_code == 200, response.text
    cookies = set_cookies(response)
    assert cookies["havre_refresh"]["value"] != first["refresh_token"]
    assert jar_refresh == cookies["havre_refresh"]["value"]
    assert browser.cookies.get("havre_access", path="/") == cookies["havre_access"]["value"]
    await used_long_ago(owner, first["refresh_token"])
    old = await client.post(REFRESH, json={"refresh_token": first["refresh_token"]})
    assert old.status_code == 401


async def test_sign_out_revokes_the_refresh_token_and_clears_the_cookies(
    client: AsyncTestClient[Litestar],
    browser: AsyncTestClient[Litestar],
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
) -> None:
    tenant = await make_tenant()
    email = await make_staff(tenant.slug)
    await browser.get("/sign-in")
    tokens = await sign_in(browser, email)

    response = await browser.post(SIGN_OUT, headers={"x-csrf-token": browser.cookies["havre_csrf"]})

    left_in_jar = {cookie.name for cookie in browser.cookies.jar}

    assert response.status_code == 204
    cookies = set_cookies(response)
    assert cookies["havre_access"]["value"] == ""
    assert cookies["havre_access"]["max-age"] == "0"
    assert cookies["havre_access"]["path"] == "/"
    assert cookies["havre_refresh"]["value"] == ""
    assert cookies["havre_refresh"]["max-age"] == "0"
    assert cookies["havre_refresh"]["path"] == "/api/auth"
    assert not {"havre_access", "havre_refresh"} & left_in_jar
    refused = await client.post(REFRESH, json={"refresh_token": tokens["refresh_token"]})
    assert refused.status_code == 401


# Cookie sessions: no token in a body ------------------------------------------------------


def session_cookies(response: httpx.Response) -> tuple[str, str]:
    """The access and refresh tokens a response sets as cookies, checked to be real tokens."""
    cookies = set_cookies(response)
    access, refresh = cookies["havre_access"], cookies["havre_refresh"]
    assert "httponly" in access
    assert "httponly" in refresh
    for value, kind in ((access["value"], "access"), (refresh["value"], "refresh")):
        assert jwt.decode(value, options={"verify_signature": False})["typ"] == kind
    return access["value"], refresh["value"]


def assert_no_token_in(response: httpx.Response, *tokens: str) -> None:
    for token in tokens:
        assert token
        assert token.encode() not in response.content
    assert b"access_token" not in response.content
    assert b"refresh_token" not in response.content


async def test_cookie_mode_sign_in_sets_the_cookies_and_puts_no_token_in_the_body(
    browser: AsyncTestClient[Litestar],
    settings: Settings,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
) -> None:
    tenant = await make_tenant()
    email = await make_staff(tenant.slug)

    response = await browser.post(
        SIGN_IN, json={"email": email, "password": PASSWORD, "session": "cookie"}
    )

    assert response.status_code == 200, response.text
    access, refresh = session_cookies(response)
    assert_no_token_in(response, access, refresh)
    assert response.json() == {
        "session": "cookie",
        "expires_in": settings.auth.access_ttl_seconds,
    }
    me = await browser.get("/api/me")
    assert me.status_code == 200, me.text
    assert me.json()["email"] == email


async def test_cookie_mode_second_step_sets_the_cookies_and_puts_no_token_in_the_body(
    client: AsyncTestClient[Litestar],
    browser: AsyncTestClient[Litestar],
    settings: Settings,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
) -> None:
    tenant = await make_tenant()
    email = await make_staff(tenant.slug)
    secret, _ = await enrol(client, await bearer_for(client, email))

    password_step = await browser.post(
        SIGN_IN, json={"email": email, "password": PASSWORD, "session": "cookie"}
    )
    response = await browser.post(
        SECOND_STEP,
        json={
            "second_step_token": password_step.json()["second_step_token"],
            "code": code_at(secret, 1),
            "session": "cookie",
        },
    )

    assert "set-cookie" not in password_step.headers
    assert response.status_code == 200, response.text
    access, refresh = session_cookies(response)
    assert_no_token_in(response, access, refresh)
    assert response.json() == {
        "session": "cookie",
        "expires_in": settings.auth.access_ttl_seconds,
    }
    me = await browser.get("/api/me")
    assert me.status_code == 200, me.text
    assert me.json()["email"] == email


@pytest.mark.parametrize("signed_in_as", ["cookie", "bearer"])
async def test_a_refresh_through_the_cookie_puts_no_token_in_the_body_whatever_the_sign_in(
    signed_in_as: str,
    browser: AsyncTestClient[Litestar],
    settings: Settings,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
) -> None:
    tenant = await make_tenant()
    email = await make_staff(tenant.slug)
    await browser.get("/sign-in")
    signed_in = await browser.post(
        SIGN_IN, json={"email": email, "password": PASSWORD, "session": signed_in_as}
    )
    old_access, old_refresh = session_cookies(signed_in)

    response = await browser.post(REFRESH, headers={"x-csrf-token": browser.cookies["havre_csrf"]})

    assert "havre_refresh=" in response.request.headers["cookie"]
    assert response.status_code == 200, response.text
    access, refresh = session_cookies(response)
    assert refresh != old_refresh
    assert_no_token_in(response, access, refresh, old_access, old_refresh)
    assert response.json() == {
        "session": "cookie",
        "expires_in": settings.auth.access_ttl_seconds,
    }
    me = await browser.get("/api/me")
    assert f"havre_access={access}" in me.request.headers["cookie"]
    assert me.status_code == 200, me.text


@pytest.mark.parametrize("extra", [{}, {"session": "bearer"}], ids=["default", "explicit"])
async def test_bearer_mode_sign_in_puts_the_pair_in_the_body_and_in_the_cookies(
    extra: dict[str, str],
    client: AsyncTestClient[Litestar],
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
) -> None:
    tenant = await make_tenant()
    email = await make_staff(tenant.slug)

    response = await client.post(SIGN_IN, json={"email": email, "password": PASSWORD, **extra})

    assert response.status_code == 200, response.text
    access, refresh = session_cookies(response)
    body = response.json()
    assert (body["access_token"], body["refresh_token"]) == (access, refresh)
    assert body["token_type"] == "Bearer"


async def test_a_refresh_token_sent_in_the_body_gets_the_pair_in_the_body_even_with_cookies(
    browser: AsyncTestClient[Litestar], make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    tenant = await make_tenant()
    email = await make_staff(tenant.slug)
    await browser.get("/sign-in")
    tokens = await sign_in(browser, email)

    response = await browser.post(
        REFRESH,
        json={"refresh_token": tokens["refresh_token"]},
        headers={"x-csrf-token": browser.cookies["havre_csrf"]},
    )

    assert "havre_refresh=" in response.request.headers["cookie"]
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["access_token"], body["refresh_token"]) == session_cookies(response)
    assert body["refresh_token"] != tokens["refresh_token"]


@pytest.mark.parametrize("path", [SIGN_IN, SECOND_STEP])
async def test_an_unknown_session_mode_is_refused(
    path: str, browser: AsyncTestClient[Litestar], make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    tenant = await make_tenant()
    email = await make_staff(tenant.slug)
    body = (
        {"email": email, "password": PASSWORD}
        if path == SIGN_IN
        else {"second_step_token": "a-second-step-token", "code": "123456"}
    )

    refused = await browser.post(path, json={**body, "session": "both"})

    assert refused.status_code == 400, refused.text
    assert refused.json()["code"] == "validation_failed"
    assert "set-cookie" not in refused.headers


# CSRF ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [REFRESH, SIGN_OUT])
async def test_cookie_authenticated_post_needs_the_csrf_header(
    path: str,
    browser: AsyncTestClient[Litestar],
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
) -> None:
    tenant = await make_tenant()
    email = await make_staff(tenant.slug)
    page = await browser.get("/sign-in")
    tokens = await sign_in(browser, email)
    csrf = browser.cookies["havre_csrf"]

    missing = await browser.post(path)
    wrong = await browser.post(path, headers={"x-csrf-token": secrets.token_hex(32)})
    # Neither refused request did anything: the refresh token from sign-in still works, once.
    still_valid = await browser.post(REFRESH, headers={"x-csrf-token": csrf})
    with_header = await browser.post(path, headers={"x-csrf-token": csrf})

    assert set_cookies(page)["havre_csrf"]["value"] == csrf
    after_sign_in = tokens["refresh_token"]

    for refused in (missing, wrong):
        assert "havre_refresh=" in refused.request.headers["cookie"]
        assert refused.status_code == 403
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["code"] == "csrf_failed"
    assert still_valid.status_code == 200, still_valid.text
    assert set_cookies(still_valid)["havre_refresh"]["value"] != after_sign_in
    assert with_header.status_code in (200, 204), with_header.text


async def test_bearer_only_client_needs_no_csrf_token(
    client: AsyncTestClient[Litestar], make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    tenant = await make_tenant()
    tokens = await sign_in(client, await make_staff(tenant.slug))

    refreshed = await client.post(REFRESH, json={"refresh_token": tokens["refresh_token"]})
    signed_out = await client.post(
        SIGN_OUT, json={"refresh_token": refreshed.json()["refresh_token"]}
    )

    for response in (refreshed, signed_out):
        assert "cookie" not in response.request.headers
        assert "x-csrf-token" not in response.request.headers
    assert refreshed.status_code == 200
    assert signed_out.status_code == 204
    after = await client.post(REFRESH, json={"refresh_token": refreshed.json()["refresh_token"]})
    assert after.status_code == 401


async def test_cross_site_sign_in_is_refused(
    client: AsyncTestClient[Litestar], make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    tenant = await make_tenant()
    email = await make_staff(tenant.slug)
    body = {"email": email, "password": PASSWORD}

    cross_site = await client.post(SIGN_IN, json=body, headers={"sec-fetch-site": "cross-site"})
    same_origin = await client.post(SIGN_IN, json=body, headers={"sec-fetch-site": "same-origin"})

    assert cross_site.status_code == 403
    assert cross_site.json()["code"] == "csrf_failed"
    assert "set-cookie" not in cross_site.headers
    assert same_origin.status_code == 200


# Audit -----------------------------------------------------------------------------------


async def test_sign_in_is_audited_in_each_of_the_staff_members_organisations(
    client: AsyncTestClient[Litestar],
    owner: Any,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
) -> None:
    first, second = await make_tenant(), await make_tenant()
    email = await make_staff(first.slug, "listener")
    await make_staff(second.slug, "admin", email=email)
    staff_id = subject_of((await sign_in(client, email))["access_token"])

    rows = await owner.fetch(
        "SELECT o.slug, a.action FROM audit_log a JOIN organisations o ON o.id = a.organisation_id"
        " WHERE a.actor_id = $1",
        staff_id,
    )

    assert sorted((row["slug"], row["action"]) for row in rows) == sorted(
        [(first.slug, "staff.sign_in"), (second.slug, "staff.sign_in")]
    )


@pytest.mark.parametrize(
    ("asked", "kept"),
    [
        ("/admin/", "/admin/"),
        ("/console/supervision", "/console/supervision"),
        ("//evil.example/", "/console/"),
        ("/\\evil.example/", "/console/"),  # browsers read /\ as //
        ("/\t/evil.example/", "/console/"),  # and drop tabs
        ("https://evil.example/", "/console/"),
    ],
)
async def test_after_sign_in_the_page_only_ever_goes_to_a_path_of_this_site(
    client: AsyncTestClient[Litestar], asked: str, kept: str
) -> None:
    page = await client.get("/sign-in", params={"next": asked})

    assert page.status_code == 200
    assert f'data-next="{kept}"' in page.text
