"""axe-core on the chat (in its iframe): no serious or critical violation."""

from __future__ import annotations

import uuid
from typing import Any

from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Frame, Page, expect

from tests.conftest import MakeTenant
from tests.conversations.conftest import OpenListener
from tests.widget.conftest import (
    HostSite,
    chat_frame,
    claimed,
    closed_english_team,
    launcher_point,
    open_widget,
    start_chat,
)


async def serious(frame: Frame) -> list[dict[str, Any]]:
    results = await Axe().run(frame)
    violations: list[dict[str, Any]] = results.response["violations"]
    return [v for v in violations if v["impact"] in ("serious", "critical")]


async def test_prechat_and_conversation_pass_axe(
    page: Page, host_site: HostSite, widget_tenant: MakeTenant
) -> None:
    tenant = await widget_tenant(
        teams=[{"slug": "etudes", "name": "Études", "topics": ["studies"]}]
    )
    await page.goto(host_site.url(tenant.slug))
    await page.wait_for_selector("havre-widget", state="attached")
    await page.mouse.click(*await launcher_point(page))
    frame = await chat_frame(page)
    await expect(frame.locator("#consent")).to_be_visible()
    assert await serious(frame) == []
    await frame.locator("#consent").check()
    await frame.locator("#start").click()
    await expect(frame.locator("#status")).to_contain_text("position")
    await frame.get_by_label("Votre message").fill("Bonsoir")
    await frame.get_by_label("Votre message").press("Enter")
    await expect(frame.locator(".msg.visitor .mark")).to_have_text("Envoyé")
    assert await serious(frame) == []


async def test_closed_view_passes_axe_at_320_pixels(
    page: Page, host_site: HostSite, widget_tenant: MakeTenant
) -> None:
    tenant = await widget_tenant(hours=[])
    await page.set_viewport_size({"width": 320, "height": 640})
    await page.goto(host_site.url(tenant.slug, locale="en"))
    await page.wait_for_selector("havre-widget", state="attached")
    await page.mouse.click(*await launcher_point(page))
    frame = await chat_frame(page)
    await expect(frame.locator("#closed")).to_be_visible()
    assert await serious(frame) == []
    width = await frame.evaluate("document.documentElement.scrollWidth")
    assert width <= 320


async def test_emergency_list_end_confirmation_and_crisis_end_pass_axe(
    page: Page, host_site: HostSite, widget_tenant: MakeTenant, open_listener: OpenListener
) -> None:
    tenant = await widget_tenant()
    listener = await open_listener(tenant.slug)
    frame = await open_widget(page, host_site, tenant.slug)
    await frame.get_by_role("button", name="Plus").click()
    await expect(frame.locator("#urgent-list")).to_be_visible()
    assert await serious(frame) == []

    await start_chat(frame)
    cid = await claimed(listener, tenant.slug)
    await listener.send(
        {"type": "send", "conversation_id": cid, "client_id": str(uuid.uuid4()),
         "body": "3114\nTéléphone 3114", "kind": "referral"}
    )  # fmt: skip
    await expect(frame.locator(".msg.referral")).to_be_visible()
    await frame.get_by_role("button", name="Terminer la discussion").click()
    await expect(frame.locator("#confirm-end")).to_be_visible()
    assert await serious(frame) == []

    await listener.send(
        {"type": "end", "conversation_id": cid,
         "wrapup": {"topics": [], "risk_level": "imminent", "outcome": "emergency"}}
    )  # fmt: skip
    await expect(frame.locator("#crisis-note")).to_be_visible()
    assert await serious(frame) == []


async def test_the_other_language_view_passes_axe(
    page: Page, host_site: HostSite, widget_tenant: MakeTenant
) -> None:
    tenant = await widget_tenant(
        time_zone="Europe/Paris",
        hours=closed_english_team(),
        teams=[
            {"slug": "general", "name": "General", "languages": ["fr"]},
            {"slug": "english", "name": "English", "languages": ["en"]},
        ],
    )
    frame = await open_widget(page, host_site, tenant.slug, locale="en")
    await expect(frame.locator("#switch-language")).to_be_visible()
    assert await serious(frame) == []
