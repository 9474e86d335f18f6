"""One config fetch on the whole path from page load to a usable chat: the loader hands the
config it fetched to the chat's frame. The frame fetches its own only in another language, and
the loader refreshes a config older than its cache lifetime (60 s) before handing it over."""

from __future__ import annotations

from playwright.async_api import Page, Request, expect

from tests.conftest import MakeTenant
from tests.widget.conftest import HostSite, chat_frame, launcher_point, open_widget


def watch_configs(page: Page) -> list[Request]:
    seen: list[Request] = []
    page.on("request", lambda r: seen.append(r) if "/api/widget/" in r.url else None)
    return seen


async def test_the_chat_uses_the_config_the_loader_fetched(
    page: Page, host_site: HostSite, widget_tenant: MakeTenant
) -> None:
    tenant = await widget_tenant(branding={"welcome": {"fr": "Bonsoir.", "en": "Good evening."}})
    configs = watch_configs(page)
    frame = await open_widget(page, host_site, tenant.slug)
    await expect(frame.locator("#welcome")).to_have_text("Bonsoir.")
    assert [r.frame for r in configs] == [page.main_frame]  # the loader's, and only it

    # Another language: the chat reloads and fetches the config in that language itself.
    await frame.locator("#language").select_option("en")
    frame = await chat_frame(page)
    await expect(frame.locator("#welcome")).to_have_text("Good evening.")
    assert len(configs) == 2
    assert configs[1].url.endswith(f"/api/widget/{tenant.slug}/config?locale=en")
    assert configs[1].frame != page.main_frame


async def test_a_config_older_than_a_minute_is_refreshed_by_the_loader(
    page: Page, host_site: HostSite, widget_tenant: MakeTenant
) -> None:
    tenant = await widget_tenant()
    configs = watch_configs(page)
    await page.clock.install()
    await page.goto(host_site.url(tenant.slug))
    await page.wait_for_selector("havre-widget", state="attached")
    await page.clock.fast_forward("01:01")
    await page.mouse.click(*await launcher_point(page))
    frame = await chat_frame(page)
    await expect(frame.locator("#consent")).to_be_visible()
    assert [r.frame for r in configs] == [page.main_frame, page.main_frame]
