"""Quick exit by Shift pressed three times, wherever the keyboard focus is once the chat was
opened (open or minimised): inside the chat's frame or on the host page. Capitals typed with
Shift do not count, and the host page's keys are left alone until the chat is first opened."""

from __future__ import annotations

from typing import Any

from playwright.async_api import Frame, Page, expect

from tests.conftest import MakeTenant
from tests.conversations.conftest import OpenListener
from tests.widget.conftest import HostSite, open_widget, start_chat


async def type_capitals(page: Page, word: str) -> None:
    """Each letter typed with Shift held, as people type SOS: Shift goes down three times."""
    for letter in word:
        await page.keyboard.down("Shift")
        await page.keyboard.press(f"Key{letter}")
        await page.keyboard.up("Shift")


async def shift_three_times(page: Page) -> None:
    for _ in range(3):
        await page.keyboard.press("Shift")


async def queued(listener: Any, slug: str) -> str:
    snapshot = await listener.next(
        lambda f: f["type"] == "queue_snapshot" and any(e["tenant"] == slug for e in f["entries"])
    )
    return str(next(e for e in snapshot["entries"] if e["tenant"] == slug)["conversation_id"])


async def left_the_queue(listener: Any, cid: str) -> None:
    await listener.next(
        lambda f: (
            f["type"] == "queue_snapshot" and all(e["conversation_id"] != cid for e in f["entries"])
        )
    )


async def nothing_left(page: Page, host_site: HostSite, slug: str) -> Frame:
    """Back on the host page, the chat starts afresh: the quick exit cleared its storage."""
    await page.goto(host_site.url(slug))
    await page.wait_for_selector("havre-widget", state="attached")
    frame = await open_widget(page, host_site, slug)
    await expect(frame.locator("#consent")).to_be_visible()
    assert await frame.evaluate("sessionStorage.length") == 0
    assert await page.evaluate("sessionStorage.length + localStorage.length") == 0
    return frame


async def test_shift_three_times_in_the_chat_exits_but_capitals_do_not(
    page: Page, host_site: HostSite, widget_tenant: MakeTenant, open_listener: OpenListener
) -> None:
    tenant = await widget_tenant()
    listener = await open_listener(tenant.slug)
    frame = await open_widget(page, host_site, tenant.slug)
    await start_chat(frame)
    cid = await queued(listener, tenant.slug)
    message = frame.get_by_label("Votre message")
    await message.focus()
    await type_capitals(page, "SOS")
    await expect(message).to_have_value("SOS")  # still there: no exit

    await shift_three_times(page)
    await page.wait_for_url(host_site.exit_url)
    await left_the_queue(listener, cid)
    await nothing_left(page, host_site, tenant.slug)


async def test_shift_three_times_on_the_host_page_exits_while_the_chat_is_open(
    page: Page, host_site: HostSite, widget_tenant: MakeTenant, open_listener: OpenListener
) -> None:
    tenant = await widget_tenant()
    listener = await open_listener(tenant.slug)
    frame = await open_widget(page, host_site, tenant.slug, search="1")
    await start_chat(frame)
    cid = await queued(listener, tenant.slug)
    search = page.locator("#search")
    await search.focus()
    await type_capitals(page, "SOS")
    await expect(search).to_have_value("SOS")  # the host's keys still work, no exit
    await expect(frame.locator("#message")).to_be_visible()

    await shift_three_times(page)
    await page.wait_for_url(host_site.exit_url)
    await left_the_queue(listener, cid)
    await nothing_left(page, host_site, tenant.slug)


async def test_shift_three_times_on_the_host_page_exits_while_the_chat_is_minimised(
    page: Page, host_site: HostSite, widget_tenant: MakeTenant, open_listener: OpenListener
) -> None:
    tenant = await widget_tenant()
    listener = await open_listener(tenant.slug)
    frame = await open_widget(page, host_site, tenant.slug, search="1")
    await start_chat(frame)
    cid = await queued(listener, tenant.slug)
    await page.evaluate("Havre.close()")
    await page.locator("#search").focus()

    await shift_three_times(page)
    await page.wait_for_url(host_site.exit_url)
    await left_the_queue(listener, cid)
    await nothing_left(page, host_site, tenant.slug)


async def test_shift_on_the_host_page_does_nothing_before_the_chat_was_ever_opened(
    page: Page, host_site: HostSite, widget_tenant: MakeTenant
) -> None:
    tenant = await widget_tenant()
    await page.goto(host_site.url(tenant.slug, search="1"))
    await page.wait_for_selector("havre-widget", state="attached")
    await page.locator("#search").focus()
    await shift_three_times(page)
    await page.keyboard.type("meteo")
    await expect(page.locator("#search")).to_have_value("meteo")
    # An exit would have begun at the third Shift (or 500 ms later at most): none did.
    await page.wait_for_timeout(700)
    assert page.url == host_site.url(tenant.slug, search="1")
