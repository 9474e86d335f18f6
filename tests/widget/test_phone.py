"""The widget on a phone (mobile emulation in Chromium, touch, device scale 2): portrait, a
small phone, landscape, and a 375×380 viewport standing for the on-screen keyboard. The chat
fills the screen; the message box, Send and the newest message stay in view; emergency
numbers are one tap away; ending asks first; the end of a high-risk chat brings the crisis
numbers back; cards a listener sends can be tapped; a visitor is told when nobody is there
and when only the other language is answered."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from playwright.async_api import Browser, Frame, Page, expect

from tests.conftest import MakeTenant
from tests.conversations.clients import set_presence
from tests.conversations.conftest import OpenListener
from tests.widget.conftest import (
    HostSite,
    chat_frame,
    claimed,
    closed_english_team,
    on_screen,
    open_widget,
    start_chat,
)

PHONES = {"375x667": (375, 667), "320x568": (320, 568), "667x375-landscape": (667, 375),
          "375x380-keyboard": (375, 380)}  # fmt: skip


async def phone_page(browser: Browser, width: int, height: int, locale: str = "fr-FR") -> Page:
    context = await browser.new_context(
        viewport={"width": width, "height": height},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale=locale,
    )
    return await context.new_page()


@pytest.fixture(params=list(PHONES))
async def phone(request: pytest.FixtureRequest, browser: Browser) -> AsyncIterator[Page]:
    page = await phone_page(browser, *PHONES[request.param])
    yield page
    await page.context.close()


@pytest.fixture
async def portrait(browser: Browser) -> AsyncIterator[Page]:
    page = await phone_page(browser, 375, 667)
    yield page
    await page.context.close()


async def start_visible_without_scrolling(page: Page, frame: Frame) -> None:
    await frame.locator("#consent").check()
    await on_screen(page, frame.locator("#start"))
    assert await frame.locator(".body").evaluate("body => body.scrollTop") == 0


async def test_the_composer_and_the_newest_message_stay_in_view(
    phone: Page, host_site: HostSite, widget_tenant: MakeTenant, open_listener: OpenListener
) -> None:
    page = phone
    tenant = await widget_tenant(
        referrals=[
            {"key": "3114", "name": "3114", "phone": "3114", "emergency": True},
            {"key": "samu", "name": "SAMU", "phone": "15", "emergency": True},
            {"key": "sms", "name": "SMS urgence", "sms": "114", "emergency": True},
        ]
    )
    listener = await open_listener(tenant.slug)
    frame = await open_widget(page, host_site, tenant.slug)
    size = page.viewport_size
    assert size is not None
    # The chat fills the screen.
    assert await frame.evaluate("[innerWidth, innerHeight]") == [size["width"], size["height"]]
    for href in ("tel:3114", "tel:15", "sms:114"):
        await on_screen(page, frame.locator(f".urgent .strip a[href='{href}']"))
    if size["height"] >= 667:
        await start_visible_without_scrolling(page, frame)
    await start_chat(frame)

    cid = await claimed(listener, tenant.slug)
    for n in range(6):
        await listener.say(cid, f"Message {n} : " + "je vous lis, prenez votre temps. " * 4)
    await expect(frame.locator(".msg.listener")).to_have_count(6)
    await frame.get_by_label("Votre message").fill("Merci")
    await frame.get_by_role("button", name="Envoyer").click()
    await expect(frame.locator(".msg.visitor .mark")).to_have_text("Envoyé")

    await on_screen(page, frame.get_by_label("Votre message"))
    await on_screen(page, frame.get_by_role("button", name="Envoyer"))
    await on_screen(page, frame.locator(".msg").last)
    await on_screen(page, frame.get_by_role("button", name="Sortie rapide"))
    assert await frame.locator(".msg.listener time").count() == 6  # discreet timestamps


def crisis_link(frame: Frame) -> Any:
    return frame.locator(".referrals").get_by_role("link", name="Appeler 3114")


async def test_ending_asks_first_and_a_high_risk_end_brings_the_crisis_numbers_back(
    portrait: Page, live_chat: Any
) -> None:
    page = portrait
    frame, listener, cid = await live_chat(page)

    await frame.get_by_role("button", name="Terminer la discussion").click()
    await expect(frame.locator("#confirm-end")).to_be_visible()
    await expect(frame.locator("#composer")).to_be_hidden()
    await frame.get_by_role("button", name="Continuer à écrire").click()
    await expect(frame.get_by_label("Votre message")).to_be_focused()

    await frame.get_by_label("Votre message").fill("Je veux mourir, j'ai les médicaments à côté")
    await frame.get_by_role("button", name="Envoyer").click()
    await expect(frame.locator(".msg.visitor .mark")).to_have_text("Envoyé")
    await frame.get_by_role("button", name="Terminer la discussion").click()
    await frame.get_by_role("button", name="Oui, terminer").click()
    await listener.of_type("state", conversation_id=cid, state="ended")

    await expect(frame.locator("#crisis-note")).to_be_visible()
    await expect(crisis_link(frame)).to_have_attribute("href", "tel:3114")
    await expect(frame.locator("#rating legend")).to_contain_text("facultatif")
    await expect(frame.locator("#rating")).to_contain_text("5 : très aidé·e")


async def test_a_high_risk_chat_that_ended_while_the_page_was_away_still_brings_the_numbers(
    portrait: Page, live_chat: Any
) -> None:
    page = portrait
    frame, listener, cid = await live_chat(page)
    chat_url = frame.url
    await frame.get_by_label("Votre message").fill("Je veux mourir, j'ai les médicaments à côté")
    await frame.get_by_role("button", name="Envoyer").click()
    await expect(frame.locator(".msg.visitor .mark")).to_have_text("Envoyé")

    # The visitor's page goes away (a lost connection, a closed tab) and the chat is ended.
    async with frame.expect_navigation():
        await frame.evaluate("location.href = 'about:blank'")
    await listener.send(
        {"type": "end", "conversation_id": cid,
         "wrapup": {"topics": [], "risk_level": "imminent", "outcome": "emergency"}}
    )  # fmt: skip
    await listener.of_type("state", conversation_id=cid, state="ended")
    async with frame.expect_navigation():
        await frame.evaluate("url => { location.href = url; }", chat_url)

    frame = await chat_frame(page)
    await expect(frame.locator("#crisis-note")).to_be_visible()
    await expect(crisis_link(frame)).to_have_attribute("href", "tel:3114")


async def test_an_ordinary_end_shows_no_crisis_block(portrait: Page, live_chat: Any) -> None:
    page = portrait
    frame, listener, cid = await live_chat(page)
    await listener.send(
        {"type": "end", "conversation_id": cid,
         "wrapup": {"topics": [], "risk_level": "none", "outcome": "supported"}}
    )  # fmt: skip
    await expect(frame.locator("#rating")).to_be_visible()
    assert await frame.locator("#crisis-note").count() == 0


async def test_a_card_sent_by_the_listener_can_be_tapped(portrait: Page, live_chat: Any) -> None:
    page = portrait
    frame, listener, cid = await live_chat(page)
    # As the console writes them (tools.js referralCard): a known referral, then one the
    # line no longer lists.
    for body in (
        "3114\nTéléphone 3114",
        "Maison des ados\nTéléphone 01 23 45 67 89\nhttps://mda.example",
    ):
        await listener.send(
            {"type": "send", "conversation_id": cid, "client_id": str(uuid.uuid4()),
             "body": body, "kind": "referral"}
        )  # fmt: skip
    cards = frame.locator(".msg.referral")
    await expect(cards).to_have_count(2)
    await expect(cards.nth(0).get_by_role("link", name="Appeler 3114")).to_have_attribute(
        "href", "tel:3114"
    )
    phone = cards.nth(1).get_by_role("link", name="Téléphone 01 23 45 67 89")
    await expect(phone).to_have_attribute("href", "tel:0123456789")
    await expect(cards.nth(1).get_by_role("link", name="https://mda.example")).to_have_attribute(
        "href", "https://mda.example"
    )


async def test_a_visitor_is_told_when_nobody_is_there_and_when_someone_arrives(
    portrait: Page, host_site: HostSite, widget_tenant: MakeTenant, open_listener: OpenListener
) -> None:
    page = portrait
    tenant = await widget_tenant()
    listener = await open_listener(tenant.slug)  # signed in, but not available
    frame = await open_widget(page, host_site, tenant.slug)
    await start_chat(frame)
    status = frame.locator("#status")
    await expect(status).to_contain_text("Personne n'est disponible")
    await expect(status).not_to_contain_text("Attente estimée")

    await set_presence(listener, "available")
    await expect(status).to_have_text("Vous êtes en position 1 dans la file d'attente.")


async def test_an_english_visitor_is_offered_french_when_only_french_is_answered(
    browser: Browser, host_site: HostSite, widget_tenant: MakeTenant
) -> None:
    page = await phone_page(browser, 375, 667, locale="en-GB")
    tenant = await widget_tenant(
        time_zone="Europe/Paris",
        hours=closed_english_team(),
        teams=[
            {"slug": "general", "name": "General", "languages": ["fr"]},
            {"slug": "english", "name": "English", "languages": ["en"]},
        ],
    )
    frame = await open_widget(page, host_site, tenant.slug, locale="en")
    await expect(frame.locator("#closed")).to_have_text("Nobody is answering in English right now.")
    assert await frame.locator("#consent").count() == 0  # no promise the line cannot keep
    await on_screen(page, frame.locator("#switch-language"))
    await frame.get_by_role("button", name="Écrire en français").click()
    await expect(frame.locator("#consent")).to_be_visible()
    assert await frame.evaluate("document.documentElement.lang") == "fr"
    await page.context.close()


async def test_the_pre_chat_fits_without_scrolling_in_both_languages(
    portrait: Page, host_site: HostSite, widget_tenant: MakeTenant
) -> None:
    page = portrait
    tenant = await widget_tenant(
        teams=[{"slug": "general", "name": "General", "topics": ["loneliness", "studies"]}],
        branding={"welcome": {"fr": "Bonsoir. " * 20, "en": "Good evening. " * 20}},
    )
    for locale in ("fr", "en"):
        frame = await open_widget(page, host_site, tenant.slug, locale=locale)
        await start_visible_without_scrolling(page, frame)
