"""What a visitor reads when a line's protection refuses a start, in a real Chromium: fair
use, a block, and the puzzle a line under attack asks the browser to solve. The widget keeps
an anonymous device token (localStorage of Havre's origin, partitioned by the host site), and
the quick exit removes it."""

from __future__ import annotations

import httpx
from playwright.async_api import Page, expect

from tests.conftest import MakeTenant
from tests.conversations.conftest import OpenListener, access_token
from tests.widget.conftest import HostSite, claimed, open_widget, start_chat

DEVICE = "localStorage.getItem('havre:device')"


async def test_fair_use_says_when_to_come_back_and_who_answers_meanwhile(
    page: Page, host_site: HostSite, widget_tenant: MakeTenant
) -> None:
    tenant = await widget_tenant(protection={"fair_use": {"conversations": 1, "hours": 48}})
    frame = await open_widget(page, host_site, tenant.slug)
    await start_chat(frame)
    token = await frame.evaluate(DEVICE)
    assert token
    assert len(token) >= 16

    tab = await page.context.new_page()
    again = await open_widget(tab, host_site, tenant.slug)
    await again.locator("#consent").check()
    await again.locator("#start").click()
    refused = again.locator("#closed")
    await expect(refused).to_contain_text("en 48 heures")
    await expect(refused).to_contain_text("Vous pourrez réécrire à partir de")
    await expect(refused).to_be_focused()
    await expect(again.locator(".referrals .card").first).to_be_visible()
    await expect(again.locator("#message")).to_have_count(0)


async def test_a_blocked_visitor_reads_a_kind_refusal_with_the_referrals(
    page: Page,
    host_site: HostSite,
    widget_tenant: MakeTenant,
    open_listener: OpenListener,
    live_url: str,
) -> None:
    tenant = await widget_tenant()
    listener = await open_listener(tenant.slug)
    frame = await open_widget(page, host_site, tenant.slug, locale="en")
    await start_chat(frame)
    cid = await claimed(listener, tenant.slug)
    token = await access_token(live_url, listener.email)  # type: ignore[attr-defined]
    async with httpx.AsyncClient(base_url=live_url) as http:
        blocked = await http.post(
            f"/api/tenants/{tenant.slug}/conversations/{cid}/block",
            json={"reason": "prank", "hours": 1},
            headers={"authorization": f"Bearer {token}"},
        )
    assert blocked.status_code == 200

    tab = await page.context.new_page()
    again = await open_widget(tab, host_site, tenant.slug, locale="en")
    await again.locator("#consent").check()
    await again.locator("#start").click()
    refused = again.locator("#closed")
    await expect(refused).to_have_text(
        "This line cannot open a new chat from this device for now. If you need help now, "
        "these services answer:"
    )
    await expect(again.locator(".referrals .card").first).to_be_visible()


async def test_a_line_under_attack_starts_once_the_browser_solved_its_puzzle(
    page: Page, host_site: HostSite, widget_tenant: MakeTenant, open_listener: OpenListener
) -> None:
    tenant = await widget_tenant(protection={"challenge": True})
    listener = await open_listener(tenant.slug)
    frame = await open_widget(page, host_site, tenant.slug)

    await start_chat(frame)  # the server refuses a start without a solved puzzle

    await expect(frame.locator("#status")).to_contain_text("position 1")
    assert await claimed(listener, tenant.slug)
    assert page.errors == []  # type: ignore[attr-defined]


async def test_the_quick_exit_removes_the_device_token(
    page: Page, host_site: HostSite, widget_tenant: MakeTenant
) -> None:
    tenant = await widget_tenant()
    frame = await open_widget(page, host_site, tenant.slug)
    await start_chat(frame)
    assert await frame.evaluate(DEVICE)

    await frame.locator("#quick-exit").click()
    await page.wait_for_url(host_site.exit_url)

    frame = await open_widget(page, host_site, tenant.slug)
    assert await frame.evaluate(DEVICE) is None
