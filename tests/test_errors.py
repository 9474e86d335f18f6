"""Every error is an RFC 9457 problem: stable code, localised title, no leaked internals."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator

import httpx
import pytest
from litestar import Litestar, get
from litestar.exceptions import InternalServerException
from litestar.testing import AsyncTestClient

from server.errors import EXCEPTION_HANDLERS

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
