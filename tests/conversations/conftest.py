from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import httpx
import pytest

from tests.conftest import PASSWORD, MakeStaff, MakeTenant, eventually
from tests.conversations.clients import Console, Visitor, open_console, open_visitor

ALWAYS_OPEN = [
    {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "opens": "00:00", "closes": "00:00"}
]


@pytest.fixture
def open_tenant(make_tenant: MakeTenant) -> MakeTenant:
    """A tenant open around the clock, so tests do not depend on the time they run."""

    async def make(slug: str | None = None, **overrides: Any) -> Any:
        overrides.setdefault("hours", ALWAYS_OPEN)
        return await make_tenant(slug, **overrides)

    return make


async def access_token(live_url: str, email: str) -> str:
    async with httpx.AsyncClient(base_url=live_url) as http:
        response = await http.post("/api/auth/sign-in", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


StartVisitor = Callable[..., Awaitable[tuple[Visitor, dict[str, Any]]]]
OpenListener = Callable[..., Awaitable[Console]]


@pytest.fixture
async def start_visitor(live_url: str, live_host: str) -> Any:
    opened: list[Visitor] = []

    async def start(tenant: str, locale: str = "fr", topic: str | None = None) -> Any:
        async with httpx.AsyncClient(base_url=live_url) as http:
            response = await http.post(
                "/api/conversations",
                json={"tenant": tenant, "locale": locale, "consent": True, "topic": topic},
            )
        assert response.status_code == 201, response.text
        started = response.json()
        visitor = await open_visitor(live_host, started["token"])
        opened.append(visitor)
        return visitor, started

    yield start
    for visitor in opened:
        await visitor.close()


@pytest.fixture
async def open_listener(live_url: str, live_host: str, make_staff: MakeStaff) -> Any:
    opened: list[Console] = []

    async def open_(tenant: str, role: str = "listener", email: str | None = None) -> Console:
        email = email or await make_staff(tenant, role)
        console = await open_console(live_host, await access_token(live_url, email))
        console.email = email  # type: ignore[attr-defined]
        opened.append(console)
        return console

    yield open_
    for console in opened:
        await console.close()


async def page_gone_past_the_grace(
    owner: asyncpg.Connection[asyncpg.Record], visitor: Visitor, cid: str
) -> None:
    """A waiting visitor's page closes; once the server has written that moment as its last
    sign of life, the moment is moved ten minutes back, past HAVRE_QUEUE_GRACE's default."""
    before_close = await owner.fetchval("SELECT now()")
    await visitor.close()

    async def written() -> bool:
        return bool(
            await owner.fetchval(
                "SELECT visitor_seen_at >= $2 FROM conversations WHERE id = $1",
                uuid.UUID(cid),
                before_close,
            )
        )

    await eventually(written)
    await owner.execute(
        "UPDATE conversations SET visitor_seen_at = now() - interval '10 minutes' WHERE id = $1",
        uuid.UUID(cid),
    )


async def claimed(
    listener: Console, start_visitor: StartVisitor, tenant: str, topic: str | None = None
) -> tuple[Visitor, str]:
    """A new visitor of the tenant, whose conversation the listener claims; the visitor's
    token is kept on it (`visitor.token`) for reconnecting."""
    visitor, started = await start_visitor(tenant, topic=topic)
    visitor.token = started["token"]  # type: ignore[attr-defined]
    cid = started["conversation_id"]
    await listener.send({"type": "claim", "conversation_id": cid})
    await listener.next(
        lambda f: f["type"] == "assigned" and f["conversation"]["conversation_id"] == cid
    )
    await visitor.of_type("state", state="active")
    return visitor, cid
