"""Fixtures against real servers: the embedded PostgreSQL and Redis by default, or the ones
named by TEST_DATABASE_URL / TEST_REDIS_URL."""

from __future__ import annotations

import asyncio
import base64
import os
import secrets
import shutil
import socket
import tempfile
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg

# Loaded now rather than by its plugin at the end of the session, where CPython 3.11.7 can
# fail to compile it ("AST constructor recursion depth mismatch") after deep stacks.
import hypothesis  # noqa: F401
import msgspec
import pytest
import uvicorn
from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.app import create_app
from server.db import Database, _init_connection
from server.embedded import embedded_servers
from server.migrate import migrate
from server.settings import Settings, load_settings
from server.staff.accounts import create_staff
from server.tenants.files import apply_tenants
from server.tenants.structs import Referral, TenantFile

REPO = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery staple"


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


class Servers(msgspec.Struct, frozen=True):
    """Where the tests' own database lives; the server's default database is `admin_url`."""

    admin_url: str
    database_url: str
    redis_url: str


@pytest.fixture(scope="session")
def server_urls() -> Iterator[tuple[str, str]]:
    given_db, given_redis = os.environ.get("TEST_DATABASE_URL"), os.environ.get("TEST_REDIS_URL")
    if given_db and given_redis:
        yield given_db, given_redis
        return
    folder = Path(tempfile.mkdtemp(prefix="havre-test-"))
    try:
        with embedded_servers(folder) as embedded:
            yield embedded.database_url, embedded.redis_url
    finally:
        shutil.rmtree(folder, ignore_errors=True)


async def create_database(admin_url: str) -> str:
    name = f"havre_test_{secrets.token_hex(4)}"
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return with_database(admin_url, name)


async def drop_database(admin_url: str, url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


@pytest.fixture(scope="session")
async def servers(server_urls: tuple[str, str]) -> AsyncIterator[Servers]:
    admin_url, redis_url = server_urls
    database_url = await create_database(admin_url)
    await migrate(database_url)
    yield Servers(admin_url=admin_url, database_url=database_url, redis_url=redis_url)
    await drop_database(admin_url, database_url)


UNLIMITED = {
    "HAVRE_STARTS_PER_CLIENT_MINUTE": "1000",
    "HAVRE_STARTS_PER_CLIENT_HOUR": "100000",
    "HAVRE_STARTS_PER_LINE_MINUTE": "100000",
    "HAVRE_MESSAGES_BURST": "1000",
    "HAVRE_MESSAGES_PER_10_MINUTES": "100000",
    "HAVRE_VISITOR_FRAMES_PER_10S": "100000",
}


def settings_env(servers: Servers, **extra: str) -> dict[str, str]:
    return {
        "DATABASE_URL": servers.database_url,
        "REDIS_URL": servers.redis_url,
        "HAVRE_REDIS_PREFIX": f"havre-test-{secrets.token_hex(4)}:",
        "HAVRE_JWT_KEYS": f"k1:{secrets.token_urlsafe(40)},k0:{secrets.token_urlsafe(40)}",
        "HAVRE_CSRF_SECRET": secrets.token_urlsafe(40),
        "HAVRE_MESSAGE_KEYS": f"m1:{base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()}",
        "HAVRE_ENV": "test",
        "HAVRE_DATA_DIR": tempfile.gettempdir(),
        "HAVRE_TIMER_INTERVAL": "1",
        "HAVRE_ALERT_INTERVAL": "1",
        # Every test talks from one address: the limits are tested with their own servers
        # (tests/conversations/test_rate_limits.py), not by every test.
        **UNLIMITED,
        **extra,
    }


@pytest.fixture(scope="session")
def settings(servers: Servers) -> Settings:
    return load_settings(settings_env(servers))


@pytest.fixture(scope="session")
async def app(settings: Settings) -> Litestar:
    return create_app(settings)


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    """A fresh cookie jar per test, on the session's application."""
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as test_client:
        yield test_client


@pytest.fixture(scope="session")
async def owner(servers: Servers) -> AsyncIterator[asyncpg.Connection[asyncpg.Record]]:
    """The tables' owner: for arranging data the way an operator would (CLI, tenant files)."""
    conn = await asyncpg.connect(servers.database_url)
    await _init_connection(conn)
    yield conn
    await conn.close()


@pytest.fixture(scope="session")
async def db(settings: Settings) -> AsyncIterator[Database]:
    """The application's pool: the role row-level security applies to."""
    database = await Database.connect(settings.database)
    yield database
    await database.close()


async def eventually(condition: Callable[[], Awaitable[bool]], wait: float = 10.0) -> None:
    """Polls a condition on a real server that announces nothing (a row written after a
    socket closed, a key a heartbeat sets) until it holds; fails after `wait` seconds."""
    async with asyncio.timeout(wait):
        while True:
            if await condition():
                return
            await asyncio.sleep(0.05)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _Server(uvicorn.Server):
    """uvicorn's server, telling a waiting thread when it listens (or has given up)."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.listening = threading.Event()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        try:
            await super().startup(sockets)
        finally:
            self.listening.set()


@contextmanager
def serve_in_thread(settings: Settings) -> Iterator[str]:
    """The application served by uvicorn in a thread with its own event loop."""
    port = free_port()
    server = _Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=lambda: asyncio.run(server.serve()), daemon=True)
    thread.start()
    assert server.listening.wait(timeout=60), "the live server did not start in time"
    assert server.started, "the live server failed to start"
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_host(settings: Settings) -> Iterator[str]:
    """host:port of a live Havre sharing the session's database and Redis."""
    with serve_in_thread(settings) as host:
        yield host


@pytest.fixture(scope="session")
def live_url(live_host: str) -> str:
    return f"http://{live_host}"


def unique_slug(prefix: str = "t") -> str:
    return f"{prefix}-{secrets.token_hex(4)}"


def tenant_file(slug: str | None = None, **overrides: Any) -> TenantFile:
    slug = slug or unique_slug()
    base: dict[str, Any] = {
        "slug": slug,
        "name": f"Line {slug}",
        "kind": "association",
        "admin_email": f"admin@{slug}.example",
        "teams": [{"slug": "general", "name": "General", "languages": ["fr"]}],
        "hours": [
            {"days": ["mon", "tue", "wed", "thu", "fri"], "opens": "09:00", "closes": "17:00"}
        ],
        "referrals": [
            msgspec.to_builtins(
                Referral(key="3114", name="3114", phone="3114", topics=["suicide"], emergency=True)
            )
        ],
        "canned_replies": [
            {
                "key": "hello",
                "locale": "fr",
                "title": "Bonjour",
                "body": "Bonjour, je vous écoute.",
            },
            {"key": "hello", "locale": "en", "title": "Hello", "body": "Hello, I am listening."},
        ],
    }
    base.update(overrides)
    return msgspec.convert(base, TenantFile)


MakeTenant = Callable[..., Awaitable[TenantFile]]
MakeStaff = Callable[..., Awaitable[str]]


@pytest.fixture
def make_tenant(owner: asyncpg.Connection[asyncpg.Record]) -> MakeTenant:
    async def make(slug: str | None = None, **overrides: Any) -> TenantFile:
        tenant = tenant_file(slug, **overrides)
        await apply_tenants(owner, [tenant])
        return tenant

    return make


@pytest.fixture
def make_staff(owner: asyncpg.Connection[asyncpg.Record]) -> MakeStaff:
    """Creates an account with a role in a tenant; returns its e-mail (password: PASSWORD)."""

    async def make(organisation: str, role: str = "listener", email: str | None = None) -> str:
        email = email or f"{role}-{secrets.token_hex(4)}@{organisation}.example"
        await create_staff(
            owner, email=email, organisation=organisation, role=role, password=PASSWORD
        )
        return email

    return make


async def sign_in(client: AsyncTestClient[Litestar], email: str) -> dict[str, Any]:
    response = await client.post("/api/auth/sign-in", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that drives Chromium is marked `browser`, wherever it lives, so that
    `-m "not browser"` gives the fast loop and `-m browser` the browser tests alone."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
