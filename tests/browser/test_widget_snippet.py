"""The admin's widget page: the one-line snippet is copied with one button, or, where the browser
gives no clipboard, selected for Ctrl+C with a status saying so."""

from __future__ import annotations

from typing import Any

from playwright.async_api import Browser, Page, expect

from tests.browser.test_admin_console import english_admin, signed_in_admin
from tests.conftest import MakeStaff, MakeTenant

NO_CLIPBOARD = """
Object.defineProperty(Navigator.prototype, "clipboard", {
  get: () => ({ writeText: () => Promise.reject(new DOMException("denied", "NotAllowedError")) }),
});
document.execCommand = () => false;
"""


async def widget_page(
    browser: Browser, live_url: str, owner: Any, make_tenant: MakeTenant, make_staff: MakeStaff
) -> tuple[Page, str]:
    tenant = await make_tenant()
    email = await english_admin(owner, make_staff, tenant.slug)
    page = await signed_in_admin(browser, live_url, email, f"/admin/{tenant.slug}/widget")
    snippet = await page.locator("#snippet").text_content() or ""
    assert f'data-tenant="{tenant.slug}"' in snippet
    return page, snippet


async def test_the_snippet_is_copied_with_one_button(
    browser: Browser, live_url: str, owner: Any, make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    page, snippet = await widget_page(browser, live_url, owner, make_tenant, make_staff)
    await page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_url)

    await page.get_by_role("button", name="Copy the code").click()

    await expect(page.locator("#copy-status")).to_have_text("Code copied.")
    assert await page.evaluate("navigator.clipboard.readText()") == snippet
    await page.context.close()


async def test_without_a_clipboard_the_snippet_is_selected_and_the_status_says_so(
    browser: Browser, live_url: str, owner: Any, make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    page, snippet = await widget_page(browser, live_url, owner, make_tenant, make_staff)
    await page.context.add_init_script(NO_CLIPBOARD)
    await page.reload()

    await page.get_by_role("button", name="Copy the code").click()

    await expect(page.locator("#copy-status")).to_have_text(
        "Code selected: copy it with Ctrl+C (⌘+C on a Mac)."
    )
    assert await page.evaluate("window.getSelection().toString()") == snippet
    await page.context.close()
