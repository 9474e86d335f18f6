"""A malformed request body is refused with a 4xx problem on every route that reads one.

The walk is generic: it reads the application's routes, so a route added later is walked too.
Every POST/PUT/PATCH/DELETE whose handler takes `data` is sent, as the tenant's owner (bearer
only, so the CSRF check does not answer first and the body reaches decoding), bodies that are
truncated, of the wrong top-level type, nested deeply, not UTF-8 or too large, then valid
bodies with a NUL in one string at a time. Each answer must be an RFC 9457 problem with its
code, never a 5xx, and what the tenant and the account have stored must not change.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from litestar import Litestar
from litestar.routes import HTTPRoute
from litestar.testing import AsyncTestClient

from server.i18n import Locale, text
from server.tenants.structs import TenantFile
from tests.conftest import PASSWORD, MakeStaff, MakeTenant
from tests.security.test_console_walk import PATH_PARAMETER, bearer_for, concrete

PROBLEM = "application/problem+json"
BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
NUL = "\x00"

BAD_BODIES = [
    pytest.param(b'{"name": "x", "value": ', 400, "bad_request", id="truncated"),
    pytest.param(b'["not", "an", "object"]', 400, "validation_failed", id="wrong-top-level-type"),
    pytest.param(b"[" * 5000 + b"]" * 5000, 400, "bad_request", id="arrays-5000-deep"),
    pytest.param(b'{"a":' * 1000 + b"1" + b"}" * 1000, 400, "bad_request", id="objects-1000-deep"),
    # Shallow enough for the decoder, deeper than any form: refused whatever the stack has left.
    pytest.param(
        b'{"name": ' + b"[" * 100 + b"]" * 100 + b"}", 400, "bad_request", id="100-deep-in-a-field"
    ),
    pytest.param(b'{"name": "caf\xe9 \xff\xfe"}', 400, "bad_request", id="invalid-utf-8"),
    pytest.param(
        json.dumps({"name": "x" * 100_000}).encode(), 413, "body_too_large", id="oversized"
    ),
]


def body_routes(app: Litestar) -> list[tuple[str, str]]:
    """(method, path template) of every handler that reads a request body."""
    found = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if "data" in handler.parsed_fn_signature.parameters:
                found += [(method, route.path) for method in handler.http_methods & BODY_METHODS]
    return sorted(found)


def valid_bodies(tenant: TenantFile) -> dict[str, dict[str, Any]]:
    """A body of the right shape for each body route, as the console or the widget sends it."""
    localised = {"fr": "Du lundi au vendredi", "en": "Monday to Friday"}
    hours = {
        "time_zone": "Europe/Paris",
        "closing_cutoff_minutes": 15,
        "hours": [{"days": ["mon"], "opens": "09:00", "closes": "17:00", "team": "general"}],
        "exceptions": [{"date": "2031-01-01", "label": localised}],
    }
    return {
        "POST /api/auth/sign-in": {
            # Not the owner: a refused password must not lock the account the walk uses.
            "email": f"someone@{tenant.slug}.example",
            "password": PASSWORD,
        },
        "POST /api/auth/sign-in/second-step": {
            "second_step_token": "a-second-step-token",
            "code": "123456",
        },
        "POST /api/auth/refresh": {"refresh_token": "a-refresh-token"},
        "POST /api/auth/sign-out": {"refresh_token": "a-refresh-token"},
        "POST /api/conversations": {"tenant": tenant.slug, "locale": "fr", "consent": True},
        "PATCH /api/account": {"display_name": "Camille", "locale": "fr"},
        "POST /api/account/password": {
            "current_password": PASSWORD,
            "new_password": "another long passphrase",
        },
        "POST /api/account/totp/enable": {"code": "123456"},
        "POST /api/account/totp/disable": {"code": "123456"},
        "POST /api/account/totp/recovery-codes": {"code": "123456"},
        "POST /api/invitations/accept": {
            "token": "an-invitation-token",
            "display_name": "Camille",
            "password": "a long enough passphrase",
            "locale": "fr",
        },
        "POST /api/tenants/{slug:str}/staff/invitations": {
            "email": f"new-listener@{tenant.slug}.example",
            "role": "listener",
            "locale": "fr",
        },
        "PATCH /api/tenants/{slug:str}/staff/{staff_id:uuid}": {"role": "supervisor"},
        "PUT /api/tenants/{slug:str}/partners/{partner:str}": {
            "team_ids": ["7f1d3c52-7d0b-4b6a-9a57-1c0b4a1f2e3d"]
        },
        "PUT /api/admin/{slug:str}/branding": {
            "name": tenant.name,
            "exit_url": "https://www.example.org/",
            "branding": {
                "primary_color": "#1f4e79",
                "text_color": "#ffffff",
                "position": "left",
                "logo_url": "https://www.example.org/logo.png",
                "launcher_label": {"fr": "Parler", "en": "Talk"},
                "welcome": {"fr": "Bienvenue", "en": "Welcome"},
            },
        },
        "POST /api/admin/{slug:str}/branding/check": {
            "primary_color": "#1f4e79",
            "text_color": "#ffffff",
        },
        "PUT /api/admin/{slug:str}/hours": hours,
        "POST /api/admin/{slug:str}/hours/preview": hours,
        "PUT /api/admin/{slug:str}/teams": {
            "routing": {
                "mode": "claim",
                "default_capacity": 2,
                "session_limit_minutes": 60,
                "inactivity_timeout_minutes": 15,
                "wait_alert_minutes": 5,
            },
            "teams": [{"name": "General", "slug": "general", "languages": ["fr"], "topics": []}],
        },
        "PUT /api/admin/{slug:str}/referrals": {
            "referrals": [
                {
                    "name": "3114",
                    "key": "3114",
                    "topics": ["suicide"],
                    "hours": localised,
                    "description": localised,
                    "phone": "3114",
                    "sms": "114",
                    "url": "https://3114.fr/",
                    "emergency": True,
                }
            ]
        },
        "PUT /api/admin/{slug:str}/replies": {
            "canned_replies": [
                {"key": "hello", "locale": "fr", "title": "Bonjour", "body": "Je vous écoute."},
                {"key": "hello", "locale": "en", "title": "Hello", "body": "I am listening."},
            ]
        },
        "PUT /api/admin/{slug:str}/widget": {"allowed_origins": ["https://www.example.org"]},
        "PUT /api/admin/{slug:str}/privacy": {"retention_days": 30},
        "PUT /api/admin/{slug:str}/protection": {
            "starts_per_client_hour": 20,
            "fair_use": {"conversations": 5, "hours": 48},
            "challenge": True,
        },
        "POST /api/tenants/{slug:str}/conversations/{conversation_id:uuid}/block": {
            "reason": "abuse",
            "hours": 24,
        },
    }


def with_nul_in_each_string(
    body: Any, path: str = "", char: str = NUL
) -> Iterator[tuple[str, Any]]:
    """(field path, copy of body) for every string of the body, that string holding `char`
    (a NUL by default)."""
    if isinstance(body, str):
        yield path, body[:1] + char + body[1:]
    elif isinstance(body, dict):
        for key, value in body.items():
            where_next = f"{path}.{key}" if path else key
            for where, changed in with_nul_in_each_string(value, where_next, char):
                yield where, {**body, key: changed}
    elif isinstance(body, list):
        for index, value in enumerate(body):
            for where, changed in with_nul_in_each_string(value, f"{path}[{index}]", char):
                replaced = copy.copy(body)
                replaced[index] = changed
                yield where, replaced


# What the owner reads of the account and the tenant: a refused body must leave all of it.
STORED = [
    "/api/account",
    "/api/tenants/{slug}/staff",
    "/api/tenants/{slug}/partners",
    "/api/admin/{slug}/branding",
    "/api/admin/{slug}/teams",
    "/api/admin/{slug}/referrals",
    "/api/admin/{slug}/replies",
    "/api/admin/{slug}/widget",
    "/api/admin/{slug}/privacy",
    "/api/admin/{slug}/protection",
    "/api/tenants/{slug}/blocks",
]


async def stored_state(
    client: AsyncTestClient[Litestar], slug: str, headers: dict[str, str]
) -> dict[str, Any]:
    state: dict[str, Any] = {}
    for path in STORED:
        response = await client.get(path.format(slug=slug), headers=headers)
        assert response.status_code == 200, f"{path}: {response.text}"
        state[path] = response.json()
    hours = await client.get(f"/api/admin/{slug}/hours", headers=headers)
    assert hours.status_code == 200, hours.text
    state["hours"] = {k: v for k, v in hours.json().items() if k != "preview"}  # depends on now
    return state


def problem_code(response: httpx.Response) -> str | None:
    if response.headers.get("content-type") != PROBLEM:
        return None
    code = response.json().get("code")
    return code if isinstance(code, str) else None


@pytest.fixture
async def tenant(make_tenant: MakeTenant) -> TenantFile:
    return await make_tenant()


@pytest.fixture
async def owner_headers(
    client: AsyncTestClient[Litestar], make_staff: MakeStaff, tenant: TenantFile
) -> dict[str, str]:
    return await bearer_for(client, await make_staff(tenant.slug, "owner"))


async def test_the_walk_covers_every_body_route(app: Litestar, tenant: TenantFile) -> None:
    routes = {f"{method} {path}" for method, path in body_routes(app)}
    # If these move, the walk must follow them rather than silently walk nothing.
    assert {
        "POST /api/auth/sign-in",
        "PATCH /api/account",
        "POST /api/tenants/{slug:str}/staff/invitations",
        "PUT /api/admin/{slug:str}/replies",
    } <= routes
    # A new body route says what a valid body looks like, so the NUL walk covers it too.
    assert routes <= set(valid_bodies(tenant)), routes - set(valid_bodies(tenant))


@pytest.mark.parametrize(("body", "status", "code"), BAD_BODIES)
async def test_a_malformed_body_is_a_4xx_problem_on_every_route(
    body: bytes,
    status: int,
    code: str,
    app: Litestar,
    client: AsyncTestClient[Litestar],
    tenant: TenantFile,
    owner_headers: dict[str, str],
) -> None:
    headers = {**owner_headers, "content-type": "application/json"}
    before = await stored_state(client, tenant.slug, owner_headers)

    answered: dict[str, tuple[int, str | None]] = {}
    for method, template in body_routes(app):
        path = concrete(template, tenant.slug)
        response = await client.request(method, path, content=body, headers=headers)
        answered[f"{method} {template}"] = (response.status_code, problem_code(response))

    assert {route: answer for route, answer in answered.items() if answer != (status, code)} == {}
    assert await stored_state(client, tenant.slug, owner_headers) == before


@pytest.mark.parametrize("char", [NUL, "\x1b", "\x07", "\x7f"], ids=["nul", "esc", "bel", "del"])
async def test_a_control_character_in_any_string_is_refused_before_anything_is_stored(
    char: str,
    app: Litestar,
    client: AsyncTestClient[Litestar],
    tenant: TenantFile,
    owner_headers: dict[str, str],
) -> None:
    renamed = await client.patch(
        "/api/account", json={"display_name": "Camille"}, headers=owner_headers
    )
    assert renamed.status_code == 200, renamed.text
    before = await stored_state(client, tenant.slug, owner_headers)
    bodies = valid_bodies(tenant)

    sent = 0
    let_through: dict[str, tuple[int, str | None, Any]] = {}
    for method, template in body_routes(app):
        path = concrete(template, tenant.slug)
        for field, body in with_nul_in_each_string(bodies[f"{method} {template}"], char=char):
            response = await client.request(method, path, json=body, headers=owner_headers)
            sent += 1
            code = problem_code(response)
            named = response.json().get("errors") if code else None
            if (response.status_code, code) != (400, "invalid_text") or named != [
                {"field": field, "code": "invalid_text", "message": text("invalid_text", "en")}
            ]:
                let_through[f"{method} {template} {field}"] = (response.status_code, code, named)

    assert sent >= 40, "the walk sent too few NUL bodies to mean anything"
    assert let_through == {}
    after = await stored_state(client, tenant.slug, owner_headers)
    assert after == before
    # The comparison is between real rows: the tenant's replies and the owner's name are there.
    replies = after["/api/admin/{slug}/replies"]["canned_replies"]
    assert {reply["body"] for reply in replies} == {r.body for r in tenant.canned_replies}
    assert after["/api/account"]["display_name"] == "Camille"


@pytest.mark.parametrize(("locale", "other"), [("fr", "en"), ("en", "fr")])
async def test_the_nul_problem_is_worded_in_the_callers_language(
    locale: Locale, other: Locale, client: AsyncTestClient[Litestar], owner_headers: dict[str, str]
) -> None:
    response = await client.patch(
        "/api/account",
        json={"display_name": f"Cam{NUL}ille"},
        headers={**owner_headers, "accept-language": locale},
    )

    assert response.status_code == 400, response.text
    title = response.json()["title"]
    assert title == text("invalid_text", locale)
    assert title not in (text("invalid_text", other), text("internal_error", locale))


def with_nul_in(template: str, name: str, slug: str) -> str:
    """The route's path with a NUL in the parameter `name`, the others filled as usual."""

    def fill(parameter: re.Match[str]) -> str:
        return f"a%00{name}" if parameter[1] == name else concrete(parameter[0], slug)

    return PATH_PARAMETER.sub(fill, template)


async def test_a_nul_in_a_path_is_a_4xx_problem_on_every_route(
    app: Litestar,
    client: AsyncTestClient[Litestar],
    tenant: TenantFile,
    owner_headers: dict[str, str],
) -> None:
    """Text that comes by the path rather than a body (a partner's slug, a tenant's) is not
    checked at decoding; if it reaches PostgreSQL with a NUL, it is still the caller's fault."""
    answered: dict[str, tuple[int, str | None]] = {}
    for route in app.routes:
        # The API answers problems; pages answer a browser with HTML.
        if not isinstance(route, HTTPRoute) or not route.path.startswith("/api/"):
            continue
        names = [m[1] for m in PATH_PARAMETER.finditer(route.path) if m[2] in (None, "str")]
        for name in names:
            path = with_nul_in(route.path, name, tenant.slug)
            for method in sorted(route.methods - {"OPTIONS", "HEAD"}):
                response = await client.request(
                    method, path, headers=owner_headers, follow_redirects=False
                )
                answered[f"{method} {route.path} ({name})"] = (
                    response.status_code,
                    problem_code(response),
                )

    assert len(answered) >= 10, "the walk found too few text path parameters"
    assert {
        route: answer
        for route, answer in answered.items()
        if not (400 <= answer[0] < 500 and answer[1])
    } == {}
