"""Every error is an RFC 9457 problem: stable code, localised title, no leaked internals."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator

import asyncpg
import httpx
import pytest
from litestar import Litestar, Request, get, post
from litestar.datastructures import State
from litestar.exceptions import InternalServerException
from litestar.params import FromPath
from litestar.testing import AsyncTestClient

from server.errors import EXCEPTION_HANDLERS
from tests.conftest import Servers

PROBLEM = "application/problem+json"
SECRET = "je ne veux plus vivre"  # the kind of text an exception message could quote


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, object] = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"] == f"urn:havre:problem:{code}"
    assert isinstance(body["title"], str)
    assert body["title"]
    return body


BAD_SIGN_IN_BODIES = [
    pytest.param(b'{"email": "a@b.example", "password": ', 400, "bad_request", id="malformed-json"),
    pytest.param(
        json.dumps({"email": 42, "password": ["hunter2"]}).encode(),
        400,
        "validation_failed",
        id="wrong-types",
    ),
    pytest.param(b'{"email": "a@b.example"}', 400, "validation_failed", id="missing-field"),
    pytest.param(
        b'{"email": "a@b.example", "password": "hunter2", "role": "owner"}',
        400,
        "validation_failed",
        id="unknown-field",
    ),
    pytest.param(
        json.dumps({"email": "a@b.example", "password": "x" * 100_000}).encode(),
        413,
        "body_too_large",
        id="100-kb-body",
    ),
]


@pytest.mark.parametrize(("body", "status", "code"), BAD_SIGN_IN_BODIES)
async def test_bad_sign_in_bodies_answer_a_4xx_problem(
    body: bytes, status: int, code: str, client: AsyncTestClient[Litestar]
) -> None:
    response = await client.post(
        "/api/auth/sign-in", content=body, headers={"content-type": "application/json"}
    )

    assert_problem(response, status, code)
    assert "hunter2" not in response.text


@pytest.mark.parametrize(
    ("body", "field"),
    [
        pytest.param({"email": 42, "password": "x"}, "email", id="wrong-type"),
        pytest.param({"email": "a@b.example"}, "password", id="missing"),
        pytest.param(
            {"email": "a@b.example", "password": "x", "role": "owner"}, "role", id="unknown"
        ),
    ],
)
async def test_validation_problem_says_which_field(
    body: dict[str, object], field: str, client: AsyncTestClient[Litestar]
) -> None:
    response = await client.post("/api/auth/sign-in", json=body)

    problem = assert_problem(response, 400, "validation_failed")
    assert field in json.dumps(problem["errors"])


async def test_unknown_path_is_a_404_problem(client: AsyncTestClient[Litestar]) -> None:
    response = await client.get("/api/no-such-thing")

    assert_problem(response, 404, "not_found")


async def test_wrong_method_is_a_405_problem_naming_the_allowed_ones(
    client: AsyncTestClient[Litestar],
) -> None:
    response = await client.get("/api/auth/sign-in")

    assert_problem(response, 405, "method_not_allowed")
    assert "POST" in response.headers["allow"]


CASES = [
    pytest.param("GET", "/api/no-such-thing", 404, "not_found", id="not-found"),
    pytest.param("GET", "/api/me", 401, "not_authenticated", id="not-authenticated"),
    pytest.param("GET", "/api/auth/sign-in", 405, "method_not_allowed", id="method-not-allowed"),
]
TITLES = {
    "not_found": ("Cette ressource n'existe pas.", "This resource does not exist."),
    "not_authenticated": ("Veuillez vous connecter.", "Please sign in."),
    "method_not_allowed": (
        "Cette méthode n'est pas acceptée ici.",
        "This method is not allowed here.",
    ),
}


@pytest.mark.parametrize(("method", "path", "status", "code"), CASES)
@pytest.mark.parametrize(
    ("accept_language", "french"),
    [
        pytest.param("fr", True, id="fr"),
        pytest.param("fr-CA,fr;q=0.9,en;q=0.5", True, id="fr-CA"),
        pytest.param("en-GB,fr;q=0.5", False, id="en-first"),
        pytest.param("de", False, id="other-language"),
        pytest.param(None, False, id="none"),
    ],
)
async def test_titles_are_french_when_asked_and_english_otherwise(
    method: str,
    path: str,
    status: int,
    code: str,
    accept_language: str | None,
    french: bool,
    client: AsyncTestClient[Litestar],
) -> None:
    headers = {"accept-language": accept_language} if accept_language else {}

    response = await client.request(method, path, headers=headers)

    body = assert_problem(response, status, code)
    fr, en = TITLES[code]
    assert body["title"] == (fr if french else en)


@get("/boom", sync_to_thread=False)
def unexpected_failure() -> None:
    raise RuntimeError(f"could not store message: {SECRET}")


@get("/boom-http", sync_to_thread=False)
def http_failure() -> None:
    raise InternalServerException(detail=f"could not store message: {SECRET}")


@pytest.fixture
async def failing_client() -> AsyncIterator[AsyncTestClient[Litestar]]:
    """A separate app with Havre's exception handlers and routes that fail on purpose; it leaves
    logging alone (logging_config=None) so the test can read what was logged."""
    failing = Litestar(
        route_handlers=[unexpected_failure, http_failure],
        exception_handlers=EXCEPTION_HANDLERS,
        logging_config=None,
        debug=False,
    )
    async with AsyncTestClient(app=failing) as client:
        yield client


@pytest.mark.parametrize("path", ["/boom", "/boom-http"])
async def test_a_500_does_not_leak_the_exception_text(
    path: str, failing_client: AsyncTestClient[Litestar], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        response = await failing_client.get(path, headers={"accept-language": "fr"})

    body = assert_problem(response, 500, "internal_error")
    assert body["title"] == "Une erreur inattendue s'est produite. L'équipe a été prévenue."
    assert SECRET not in response.text
    assert "could not store" not in response.text
    assert set(body) == {"type", "title", "status", "code"}
    logged = [record.getMessage() for record in caplog.records if record.name == "havre.errors"]
    assert logged, "the failure was not logged"
    assert all(SECRET not in message for message in logged)
    assert any(path in message for message in logged)


def test_a_problem_code_cannot_get_two_different_titles() -> None:
    from server.i18n import MESSAGES, register_messages

    same = {"unknown_team": MESSAGES["unknown_team"]}
    register_messages(same)  # the same words again: nothing to object to
    with pytest.raises(ValueError, match="unknown_team"):
        register_messages({"unknown_team": {"fr": "Autre chose", "en": "Something else"}})
    with pytest.raises(ValueError, match="French and English"):
        register_messages({"brand_new_code": {"fr": "Seulement en français"}})  # type: ignore[dict-item]
    assert "brand_new_code" not in MESSAGES


# Writes PostgreSQL refuses, each in a transaction rolled back, on a new tenant (`t`): a value
# only a constraint of Havre's schema knows is wrong, or a key taken meanwhile by another request.
NEW_TENANT = """CREATE TEMP TABLE t (id uuid) ON COMMIT DROP;
    WITH new AS (
        INSERT INTO organisations (slug, name, kind, admin_email)
        VALUES ('e-' || substr(md5(random()::text), 1, 12), 'Ligne', 'other', 'a@b.example')
        RETURNING id)
    INSERT INTO t SELECT id FROM new"""
REFUSED_WRITES = {
    "unique": "INSERT INTO teams (organisation_id, slug, name) SELECT id, 'general', 'A' FROM t;"
    "INSERT INTO teams (organisation_id, slug, name) SELECT id, 'general', 'B' FROM t",
    "check": "UPDATE organisations SET retention_days = 0 WHERE id IN (SELECT id FROM t)",
    "not-null": "INSERT INTO teams (organisation_id, slug) SELECT id, 'general' FROM t",
    "foreign-key": "INSERT INTO memberships (organisation_id, staff_id, role)"
    " SELECT id, gen_random_uuid(), 'listener' FROM t",
    "out-of-range": "UPDATE organisations SET retention_days = 2147483648"
    " WHERE id IN (SELECT id FROM t)",
    "too-long": "CREATE TEMP TABLE codes (code varchar(3)); INSERT INTO codes VALUES ('general')",
}


@post("/store/{write:str}", status_code=204)
async def store(request: Request[object, object, State], write: FromPath[str]) -> None:
    """Runs one of REFUSED_WRITES on the test database, always rolled back."""
    conn = await asyncpg.connect(request.app.state.database_url)
    try:
        async with conn.transaction():
            await conn.execute(NEW_TENANT)
            await conn.execute(REFUSED_WRITES[write])
            raise AssertionError(f"PostgreSQL took the {write} write")
    finally:
        await conn.close()


@pytest.fixture
async def storing_client(servers: Servers) -> AsyncIterator[AsyncTestClient[Litestar]]:
    """A separate app with Havre's exception handlers and a route that writes for real."""
    storing = Litestar(
        route_handlers=[store],
        exception_handlers=EXCEPTION_HANDLERS,
        state=State({"database_url": servers.database_url}),
        logging_config=None,
        debug=False,
    )
    async with AsyncTestClient(app=storing) as client:
        yield client


@pytest.mark.parametrize(
    ("write", "status", "code", "fields"),
    [
        ("unique", 409, "already_exists", ["slug"]),
        ("check", 400, "invalid_value", ["retention_days"]),
        ("not-null", 400, "invalid_value", ["name"]),
        ("foreign-key", 409, "reference_changed", ["staff_id"]),
        ("out-of-range", 400, "value_out_of_range", []),
        ("too-long", 400, "value_too_long", []),
    ],
)
async def test_a_write_postgresql_refuses_is_a_4xx_problem_naming_the_field(
    write: str,
    status: int,
    code: str,
    fields: list[str],
    storing_client: AsyncTestClient[Litestar],
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="havre.errors"):
        response = await storing_client.post(f"/store/{write}", headers={"accept-language": "fr"})

    body = assert_problem(response, status, code)
    errors: list[dict[str, str]] = body.get("errors", [])  # type: ignore[assignment]
    assert [error["field"] for error in errors] == fields
    assert all(error["code"] == code and error["message"] == body["title"] for error in errors)
    # PostgreSQL's detail quotes the values refused; neither the answer nor the log does.
    logged = " ".join(r.getMessage() for r in caplog.records if r.name == "havre.errors")
    assert logged, "the refusal was not logged"
    for said in (response.text, logged):
        assert "general" not in said
        assert "Key (" not in said
