"""The listener console's queue in Chromium: a waiting visitor at imminent risk whose page has
gone is listed after the visitor who is there, marked "Left the page"."""

from __future__ import annotations

from typing import TypeAlias

import asyncpg
from playwright.async_api import Browser, BrowserContext, expect

from tests.conftest import MakeStaff, MakeTenant
from tests.console.browser import ALWAYS_OPEN, IMMINENT, signed_in_console
from tests.conversations.conftest import StartVisitor, page_gone_past_the_grace

Owner: TypeAlias = "asyncpg.Connection[asyncpg.Record]"


async def test_a_visitor_whose_page_has_gone_is_listed_last_and_marked_left(
    browser: Browser,
    contexts: list[BrowserContext],
    live_url: str,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
    start_visitor: StartVisitor,
    owner: Owner,
) -> None:
    tenant = await make_tenant(hours=ALWAYS_OPEN)
    page = await signed_in_console(
        browser, contexts, live_url, await make_staff(tenant.slug, "listener")
    )
    at_risk, started = await start_visitor(tenant.slug, "fr")
    await at_risk.say(IMMINENT)
    await start_visitor(tenant.slug, "fr")
    entries = page.locator("#queue-list li")
    await expect(entries).to_have_count(2)
    await expect(entries.first).to_contain_text("imminent")

    await page_gone_past_the_grace(owner, at_risk, started["conversation_id"])

    await expect(entries.last).to_contain_text("Left the page")
    await expect(entries.last).to_contain_text("imminent")
    await expect(entries.first).not_to_contain_text("Left the page")
    await expect(entries.last.get_by_role("button", name="Take")).to_be_enabled()
    assert page.errors == []  # type: ignore[attr-defined]
