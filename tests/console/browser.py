"""What the listener console's browser tests share: a signed-in console page in its own
Chromium context, taking a chat from the queue, and matching a visitor's frames."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect

from tests.conftest import PASSWORD
from tests.conversations.clients import Frame

ALWAYS_OPEN = [
    {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "opens": "00:00", "closes": "00:00"}
]
TEAMS = [
    {"slug": "general", "name": "General", "languages": ["fr"]},
    {"slug": "night", "name": "Night watch", "languages": ["fr"]},
]
IMMINENT = "j'ai acheté des médicaments, je vais tout prendre ce soir"


@pytest.fixture
async def contexts(browser: Browser) -> AsyncIterator[list[BrowserContext]]:
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        await context.close()


async def signed_in_console(
    browser: Browser, contexts: list[BrowserContext], live_url: str, email: str
) -> Page:
    context = await browser.new_context(locale="en-GB", viewport={"width": 1400, "height": 900})
    contexts.append(context)
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors  # type: ignore[attr-defined]
    await page.goto(f"{live_url}/console/")
    await page.get_by_label("E-mail address").fill(email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page).to_have_url(f"{live_url}/console/")
    # The account's language is French by default; the page's switch asks for English.
    await page.goto(f"{live_url}/console/?lang=en")
    await expect(page.locator("#connection")).to_have_text("Connected")
    return page


async def take_from_queue(page: Page, tenant_name: str) -> None:
    entry = page.locator("#queue-list li").filter(has_text=tenant_name)
    await expect(entry).to_have_count(1)
    await entry.get_by_role("button", name="Take").click()
    await expect(page.get_by_role("tab")).to_have_count(1)


def message_with(body: str, kind: str | None = None) -> Any:
    def match(frame: Frame) -> bool:
        return (
            frame["type"] == "message"
            and body in frame["body"]
            and (kind is None or frame["kind"] == kind)
        )

    return match
