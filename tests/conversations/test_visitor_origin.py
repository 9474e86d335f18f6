"""Which pages may open a visitor socket: Havre's own (the widget's chat at /w/SLUG and the
hosted page at /c/SLUG are served by Havre) and the websites a tenant allows. Any other page,
a sandboxed one (`null`) or a client that names none is refused with 4403
`origin_not_allowed`, before anything of the conversation is read or stored."""

from __future__ import annotations

import contextlib
import uuid
from typing import Any, TypeAlias

import asyncpg
import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from server.conversations.origins import is_havre_origin, listed, origin_key
from server.settings import Settings
from tests.conftest import MakeTenant
from tests.conversations.clients import Client, havre_origin

Owner: TypeAlias = "asyncpg.Connection[asyncpg.Record]"
PARTNER = "https://partner.example"
NOT_ORIGINS = [
    "null", "", None, "file://", "https://x.example/path", "https://user@x.example",
    "https://x.example:99999", "x.example",
]  # fmt: skip


async def start(live_url: str, tenant: str) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=live_url) as http:
        response = await http.post(
            "/api/conversations", json={"tenant": tenant, "locale": "fr", "consent": True}
        )
    assert response.status_code == 201, response.text
    started: dict[str, Any] = response.json()
    return started


async def hello_from(host: str, token: str, origin: str | None) -> Client:
    """A visitor socket opened from a page of this origin (None: no Origin header at all)."""
    headers = {"Origin": origin} if origin is not None else {}
    client = Client(await connect(f"ws://{host}/ws/visitor", additional_headers=headers))
    with contextlib.suppress(ConnectionClosed):  # refused before hello: it may be closed already
        await client.send({"type": "hello", "token": token})
    return client


async def last_seen(owner: Owner, cid: str) -> Any:
    return await owner.fetchval(
        "SELECT visitor_seen_at FROM conversations WHERE id = $1", uuid.UUID(cid)
    )


@pytest.mark.parametrize(
    "origin",
    ["https://evil.example", "null", None, "http://127.0.0.1", PARTNER],
    ids=["another_site", "null", "no_origin", "same_host_other_port", "another_tenants_site"],
)
async def test_a_page_havre_and_the_tenant_do_not_allow_is_refused_before_anything_is_read(
    open_tenant: MakeTenant, live_url: str, live_host: str, owner: Owner, origin: str | None
) -> None:
    await open_tenant(allowed_origins=[PARTNER])  # allowed by another tenant only
    tenant = await open_tenant()
    started = await start(live_url, tenant.slug)
    cid = started["conversation_id"]
    seen_before = await last_seen(owner, cid)

    client = await hello_from(live_host, started["token"], origin)

    assert await client.closed() == (4403, "origin_not_allowed")
    assert client.frames == []  # no welcome, no history
    assert await last_seen(owner, cid) == seen_before  # no sign of life written either


@pytest.mark.parametrize("which", ["address_opened", "public_url"])
async def test_havres_own_origin_is_accepted(
    open_tenant: MakeTenant, live_url: str, live_host: str, settings: Settings, which: str
) -> None:
    tenant = await open_tenant()
    started = await start(live_url, tenant.slug)
    # The chat page at the address the socket is opened at, or at HAVRE_PUBLIC_URL (a proxy
    # in front of Havre may change the Host it forwards).
    origin = havre_origin(live_host) if which == "address_opened" else settings.server.public_url
    client = await hello_from(live_host, started["token"], origin)
    try:
        welcome = await client.of_type("welcome")
        assert welcome["conversation_id"] == started["conversation_id"]
    finally:
        await client.close()


async def test_a_tenants_allowed_website_may_open_its_own_visitors_sockets(
    open_tenant: MakeTenant, live_url: str, live_host: str
) -> None:
    tenant = await open_tenant(allowed_origins=[PARTNER])
    started = await start(live_url, tenant.slug)
    client = await hello_from(live_host, started["token"], PARTNER)
    try:
        assert (await client.of_type("welcome"))["state"] == "queued"
        await client.send({"type": "ping"})
        await client.of_type("pong")
    finally:
        await client.close()


def test_origins_compare_as_scheme_host_and_port() -> None:
    assert origin_key("HTTPS://Partner.Example:443") == origin_key("https://partner.example")
    assert origin_key("http://partner.example") != origin_key("https://partner.example")
    assert origin_key("https://partner.example:8443") != origin_key("https://partner.example")
    for not_an_origin in NOT_ORIGINS:
        assert origin_key(not_an_origin) is None, not_an_origin
    assert listed("https://partner.example", ["https://partner.example:443"])
    assert not listed("https://partner.example.evil", ["https://partner.example"])
    public = "https://chat.example.org"
    assert is_havre_origin("https://chat.example.org", "10.0.0.5:8000", public)
    assert is_havre_origin("http://127.0.0.1:8123", "127.0.0.1:8123", public)
    assert not is_havre_origin("https://evil.example", "chat.example.org", public)
    assert not is_havre_origin(None, "chat.example.org", public)
