"""The people of the end-to-end journey (tests/browser/test_journey.py), each in their own
Chromium context: a visitor on a partner's site, listeners on /console/, a supervisor on
/console/supervision. Small steps, named as the people would say them."""

from __future__ import annotations

from typing import TypeAlias

import asyncpg
from playwright.async_api import Browser, BrowserContext, Frame, Locator, Page, expect

from tests.conftest import PASSWORD
from tests.widget.conftest import HostSite, locale_texts, open_widget, start_chat

Owner: TypeAlias = "asyncpg.Connection[asyncpg.Record]"
WIDGET = locale_texts("fr")  # the visitor's widget speaks French (the host page's language)


async def name_staff(owner: Owner, email: str, name: str) -> None:
    await owner.execute(
        "UPDATE staff_users SET display_name = $2, locale = 'en' WHERE email = $1", email, name
    )


async def new_page(browser: Browser, contexts: list[BrowserContext], **options: object) -> Page:
    """A page in a context of its own (its own cookies), whose script errors are kept."""
    context = await browser.new_context(**options)  # type: ignore[arg-type]
    contexts.append(context)
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors  # type: ignore[attr-defined]
    return page


# --- the visitor, in the real widget on a partner's site ------------------------------------


async def visitor_starts_a_chat(page: Page, host_site: HostSite, slug: str) -> Frame:
    """Opens the launcher on the host page, consents and starts: the chat's frame."""
    chat = await open_widget(page, host_site, slug)
    await start_chat(chat)
    return chat


async def visitor_writes(chat: Frame, text: str) -> None:
    box = chat.get_by_label(WIDGET["message_label"])
    await box.fill(text)
    await box.press("Enter")
    await expect(chat.locator(".msg.visitor").filter(has_text=text)).to_be_visible()


def visitor_log(chat: Frame) -> Locator:
    return chat.locator("#log")


# --- the supervisor -------------------------------------------------------------------------


async def supervisor_signs_in(page: Page, live_url: str, email: str) -> None:
    await page.goto(f"{live_url}/console/supervision")
    await expect(page).to_have_url(f"{live_url}/sign-in?next=/console/supervision")
    await page.get_by_label("E-mail address").fill(email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page).to_have_url(f"{live_url}/console/supervision")


def supervised_row(page: Page, tenant_name: str) -> Locator:
    return page.locator("#sv-rows tr").filter(has_text=tenant_name)


async def supervisor_whispers(page: Page, text: str) -> None:
    await page.get_by_label("Whisper to the listener").fill(text)
    await page.get_by_role("button", name="Whisper", exact=True).click()
    await expect(page.locator("#sv-reading-note")).to_have_text("Whisper sent.")


# --- listeners ------------------------------------------------------------------------------


async def listener_writes(panel: Locator, text: str) -> None:
    box = panel.get_by_label("Message", exact=True)
    await box.fill(text)
    await box.press("Enter")


async def listener_sends_card(panel: Locator, name: str) -> None:
    await panel.locator("summary", has_text="Referrals").click()
    await panel.get_by_role("button", name=f"Send the card : {name}").click()


async def listener_transfers_to_team(panel: Locator, team: str, note: str) -> None:
    await panel.locator("summary", has_text="Transfer").click()
    await panel.get_by_label("To a team").select_option(team)
    await panel.get_by_label("Hand-over note (private)").fill(note)
    await panel.get_by_role("button", name="Transfer the conversation").click()


async def listener_ends_with_wrapup(
    panel: Locator, topic_name: str, outcome: str, *, at_high_risk: bool = False
) -> None:
    """At high or imminent risk the outcome starts empty and saving asks to confirm."""
    await panel.locator("summary", has_text="End").click()
    await panel.get_by_role("checkbox", name=topic_name).check()
    if at_high_risk:
        await expect(panel.get_by_label("Outcome")).to_have_value("")
    await panel.get_by_label("Outcome").select_option(outcome)
    await panel.get_by_role("button", name="End the conversation").click()
    if at_high_risk:
        await expect(panel.locator("[data-ref=wrapup-confirm]")).to_be_visible()
        await panel.get_by_role("button", name="Confirm and end").click()
