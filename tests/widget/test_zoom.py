"""Reflow (WCAG 1.4.10): at 320 CSS pixels wide, and at 200 % zoom of a 1280×800 window
(640×400 CSS pixels at a device scale factor of 2, which is what browser zoom does), the
message box, Send, Quick exit and the emergency numbers stay on screen and work, and
nothing scrolls sideways."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, Frame, Page, expect

from tests.conftest import MakeTenant
from tests.widget.conftest import HostSite, on_screen, open_widget

SCREENS = {"320px-wide": (320, 640), "200pc-zoom-of-1280x800": (640, 400)}


@pytest.fixture(params=list(SCREENS))
async def zoomed(request: pytest.FixtureRequest, browser: Browser) -> AsyncIterator[Page]:
    width, height = SCREENS[request.param]
    context = await browser.new_context(
        viewport={"width": width, "height": height}, device_scale_factor=2
    )
    yield await context.new_page()
    await context.close()


async def no_sideways_scroll(page: Page, frame: Frame) -> None:
    for document in (page.main_frame, frame):
        width = await document.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert width[0] <= width[1], document.url


async def test_chat_controls_stay_on_screen_without_sideways_scrolling(
    zoomed: Page, host_site: HostSite, widget_tenant: MakeTenant
) -> None:
    page = zoomed
    tenant = await widget_tenant(
        referrals=[
            {"key": "3114", "name": "3114", "phone": "3114", "emergency": True},
            {"key": "samu", "name": "SAMU", "phone": "15", "emergency": True},
            {"key": "sms", "name": "SMS urgence", "sms": "114", "emergency": True},
        ]
    )
    frame = await open_widget(page, host_site, tenant.slug)
    await on_screen(page, frame.locator(".hint"), scroll=True)  # what quick exit does not do
    await on_screen(page, frame.locator("#consent"), scroll=True)
    await frame.locator("#consent").check()
    await on_screen(page, frame.locator("#start"), scroll=True)
    await frame.locator("#start").click()

    await on_screen(page, frame.get_by_role("button", name="Sortie rapide"))
    for href in ("tel:3114", "tel:15", "sms:114"):
        await on_screen(page, frame.locator(f".urgent .strip a[href='{href}']"))
    await on_screen(page, frame.get_by_label("Votre message"), scroll=True)
    await on_screen(page, frame.get_by_role("button", name="Envoyer"), scroll=True)
    await no_sideways_scroll(page, frame)

    await frame.get_by_label("Votre message").fill("Je suis là")
    await frame.get_by_role("button", name="Envoyer").click()
    await expect(frame.locator(".msg.visitor .mark")).to_have_text("Envoyé")
    await no_sideways_scroll(page, frame)

    await frame.get_by_role("button", name="Sortie rapide").click()
    await page.wait_for_url(host_site.exit_url)
