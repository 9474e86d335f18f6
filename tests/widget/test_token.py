"""The visitor token is renewed from its real lifetime (the server's expires_in), before it
expires, and the renewed token is the one a reload resumes with. Uses a second live Havre
whose visitor tokens live 12 seconds."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from typing import Any

import msgspec
import pytest
from playwright.async_api import Page, expect

from server.settings import Settings
from tests.conftest import MakeTenant, serve_in_thread
from tests.widget.conftest import (
    ALWAYS_OPEN,
    HostSite,
    open_widget,
    reload_chat,
    serve_host_site,
    start_chat,
)

TTL = 12
STORED = "slug => JSON.parse(sessionStorage.getItem('havre:' + slug))"


@pytest.fixture(scope="module")
def short_tokens_site(settings: Settings) -> Iterator[HostSite]:
    """A host site embedding a Havre whose visitor tokens expire after TTL seconds."""
    chat = msgspec.structs.replace(settings.chat, visitor_token_ttl_seconds=TTL)
    with (
        serve_in_thread(msgspec.structs.replace(settings, chat=chat)) as host,
        serve_host_site(f"http://{host}") as site,
    ):
        yield site


def claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    decoded: dict[str, Any] = json.loads(
        base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    )
    return decoded


async def test_a_token_near_its_expiry_is_renewed_and_the_new_one_resumes_the_chat(
    page: Page, short_tokens_site: HostSite, make_tenant: MakeTenant
) -> None:
    site = short_tokens_site
    tenant = await make_tenant(
        hours=ALWAYS_OPEN, allowed_origins=[site.origin], exit_url=site.exit_url
    )
    frame = await open_widget(page, site, tenant.slug)
    await start_chat(frame)
    await frame.get_by_label("Votre message").fill("Avant")
    await frame.get_by_label("Votre message").press("Enter")
    await expect(frame.locator(".msg.visitor .mark")).to_have_text("Envoyé")
    first = await frame.evaluate(STORED, tenant.slug)
    expiry = claims(first["token"])["exp"]
    assert first["expires_at"] - first["renew_at"] == pytest.approx(TTL * 250, abs=5)

    await frame.wait_for_function(
        "([slug, token]) => JSON.parse(sessionStorage.getItem('havre:' + slug)).token !== token",
        arg=[tenant.slug, first["token"]],
        timeout=TTL * 1000,
    )
    assert time.time() < expiry  # renewed before the first token expired
    second = await frame.evaluate(STORED, tenant.slug)
    assert claims(second["token"])["exp"] > expiry
    assert second["expires_at"] > first["expires_at"]

    # Once the first token has expired, a reload resumes the chat with the renewed one.
    await frame.wait_for_function(
        "after => Date.now() > after", arg=(expiry + 1) * 1000, timeout=TTL * 1000
    )
    frame = await reload_chat(page, frame)
    await expect(frame.locator(".msg.visitor")).to_contain_text("Avant")
    await expect(frame.locator("#status")).to_contain_text("position 1")
    assert await frame.locator("#consent").count() == 0
