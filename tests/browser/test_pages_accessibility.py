"""axe-core on every staff page, in French and English: the listener console (with a chat
open), supervision (reading a chat), account, and each admin section. No serious or critical
violation."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, Page, expect

from tests.conftest import PASSWORD, MakeStaff, MakeTenant
from tests.conversations.conftest import StartVisitor, start_visitor  # noqa: F401 - fixture

ALWAYS_OPEN = [
    {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "opens": "00:00", "closes": "00:00"}
]
ADMIN_SECTIONS = ("", "branding", "hours", "teams", "referrals", "replies", "staff", "widget",
                  "privacy", "audit", "dashboard")  # fmt: skip


async def serious(page: Page) -> list[dict[str, Any]]:
    results = await Axe().run(page)
    violations: list[dict[str, Any]] = results.response["violations"]
    return [
        {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("lang", ["fr", "en"])
async def test_every_staff_page_passes_axe(
    browser: Browser,
    live_url: str,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
    start_visitor: StartVisitor,  # noqa: F811
    lang: str,
) -> None:
    tenant = await make_tenant(hours=ALWAYS_OPEN)
    email = await make_staff(tenant.slug, "owner")
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    page = await context.new_page()
    await page.goto(f"{live_url}/sign-in?next=/console/")
    await page.locator("input[type=email]").fill(email)
    await page.locator("input[type=password]").fill(PASSWORD)
    await page.locator("form button[type=submit]").first.click()
    await expect(page).to_have_url(f"{live_url}/console/")

    pages = ["/console/", "/console/supervision", "/account/"]
    pages += [f"/admin/{tenant.slug}/{section}" for section in ADMIN_SECTIONS]
    found: dict[str, list[dict[str, Any]]] = {}
    for path in pages:
        await page.goto(f"{live_url}{path}?lang={lang}")
        await page.wait_for_load_state("networkidle")
        if violations := await serious(page):
            found[path] = violations

    # The console again, with a chat open and its crisis panel showing.
    visitor, _ = await start_visitor(tenant.slug, "fr")
    await page.goto(f"{live_url}/console/?lang={lang}")
    await page.locator("#queue-list button.take").first.click()
    await expect(page.get_by_role("tab")).to_have_count(1)
    await visitor.say("j'ai acheté des médicaments, je vais tout prendre ce soir")
    await expect(page.locator("section.crisis")).to_be_visible()
    if violations := await serious(page):
        found["/console/ with a chat in crisis"] = violations
    # Supervision, reading a waiting visitor's conversation.
    waiting, started = await start_visitor(tenant.slug, "fr")
    await waiting.say("Il y a quelqu'un ?")
    await page.goto(f"{live_url}/console/supervision?lang={lang}")
    row = page.locator(f'tr[data-conversation="{started["conversation_id"]}"]')
    await row.get_by_role("button").click()
    await expect(page.locator("#sv-transcript li").first).to_be_visible()
    if violations := await serious(page):
        found["/console/supervision reading"] = violations
    await context.close()
    assert found == {}
