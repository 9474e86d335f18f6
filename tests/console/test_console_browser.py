"""The listener console in Chromium, continued: reconnection without loss, notifications
of a hidden tab, hostile strings, the session clock, and keyboard tabs."""

from __future__ import annotations

import re

from playwright.async_api import Browser, BrowserContext, WebSocketRoute, expect

from tests.conftest import MakeStaff, MakeTenant
from tests.console.browser import (
    ALWAYS_OPEN,
    message_with,
    signed_in_console,
    take_from_queue,
)
from tests.conversations.conftest import StartVisitor


async def test_after_losing_its_socket_the_console_reconnects_and_loses_no_message(
    browser: Browser,
    contexts: list[BrowserContext],
    live_url: str,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
    start_visitor: StartVisitor,
) -> None:
    tenant = await make_tenant(hours=ALWAYS_OPEN)
    page = await signed_in_console(
        browser, contexts, live_url, await make_staff(tenant.slug, "listener")
    )
    visitor, _ = await start_visitor(tenant.slug, "fr")
    await take_from_queue(page, tenant.name)
    panel = page.get_by_role("tabpanel")
    log = panel.get_by_role("log")
    await visitor.say("Avant la coupure")
    await expect(log).to_contain_text("Avant la coupure")

    # From now on the console's socket goes through the test, which can cut it.
    sockets: list[tuple[WebSocketRoute, WebSocketRoute]] = []
    blocked = False

    async def relay(socket: WebSocketRoute) -> None:
        if blocked:
            await socket.close(code=1013, reason="try again later")
            return
        sockets.append((socket, socket.connect_to_server()))

    await page.route_web_socket(re.compile(r".*/ws/console$"), relay)
    await page.reload()
    # A reloaded console is given its conversation again, with its history.
    await expect(log).to_contain_text("Avant la coupure")
    await expect(page.locator("#connection")).to_have_text("Connected")

    blocked = True
    page_side, server_side = sockets[-1]
    await server_side.close(code=1001, reason="going away")
    await page_side.close(code=4000, reason="network lost")
    await expect(page.locator("#connection")).to_have_text("Connection lost, reconnecting…")

    await visitor.say("Pendant la coupure")
    message = panel.get_by_label("Message", exact=True)
    await message.fill("Je vous lis toujours.")
    await message.press("Enter")
    await expect(log.locator("li").filter(has_text="Je vous lis toujours.")).to_contain_text(
        "sending…"
    )

    blocked = False
    await expect(page.locator("#connection")).to_have_text("Connected", timeout=15000)
    await expect(log).to_contain_text("Pendant la coupure")
    await visitor.next(message_with("Je vous lis toujours.", "text"))
    await expect(log.locator("li").filter(has_text="Je vous lis toujours.")).not_to_contain_text(
        "sending…"
    )
    await expect(log.locator("li").filter(has_text="Pendant la coupure")).to_have_count(1)
    await expect(log.locator("li").filter(has_text="Avant la coupure")).to_have_count(1)


async def test_hostile_strings_in_every_field_show_as_text_and_never_run(
    browser: Browser,
    contexts: list[BrowserContext],
    live_url: str,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
    start_visitor: StartVisitor,
) -> None:
    hostile = "<img src=x onerror=window.pwned=1><script>window.pwned=2</script>{{7*7}}"
    link = "javascript:window.pwned=3"
    tenant = await make_tenant(
        hours=ALWAYS_OPEN,
        name=f"Line {hostile}"[:200],
        teams=[{"slug": "general", "name": hostile[:200], "languages": ["fr"]}],
        referrals=[
            {"key": "evil", "name": hostile[:200], "topics": ["suicide"], "emergency": True,
             "phone": "3114", "url": f"https://x.example/{link}"}
        ],
        canned_replies=[
            {"key": "evil", "locale": "fr", "title": hostile[:200], "body": hostile},
        ],
    )  # fmt: skip
    page = await signed_in_console(
        browser, contexts, live_url, await make_staff(tenant.slug, "listener")
    )
    visitor, _ = await start_visitor(tenant.slug, "fr")
    await take_from_queue(page, "Line <img")
    panel = page.get_by_role("tabpanel")
    await visitor.say(hostile)
    await visitor.say(link)
    log = panel.get_by_role("log")
    await expect(log).to_contain_text(link)

    await panel.get_by_label("Message", exact=True).press("Control+/")
    await panel.get_by_label("Search canned replies").press("Enter")
    await panel.get_by_label("Message", exact=True).press("Enter")
    await panel.locator("summary", has_text="Referrals").click()
    await panel.get_by_role("button", name="Send the card : <img").click()
    await panel.get_by_label("Private note (the visitor does not see it)").check()
    await panel.get_by_label("Message", exact=True).fill(hostile)
    await panel.get_by_label("Message", exact=True).press("Enter")

    await expect(
        log.locator("li").filter(has_text="<script>window.pwned=2</script>")
    ).to_have_count(4)
    await expect(panel.locator(".conv-meta")).to_contain_text("<img src=x")
    assert await page.evaluate("window.pwned") is None
    assert await page.locator("#console img, #console script").count() == 0
    assert page.errors == []  # type: ignore[attr-defined]


COUNT_BEEPS = """
window.beeps = 0;
const createOscillator = AudioContext.prototype.createOscillator;
AudioContext.prototype.createOscillator = function () {
  window.beeps += 1;
  return createOscillator.call(this);
};
"""
SET_HIDDEN = """(hidden) => {
  Object.defineProperty(document, "visibilityState", {
    configurable: true, get: () => (hidden ? "hidden" : "visible"),
  });
  document.dispatchEvent(new Event("visibilitychange"));
}"""


async def test_a_hidden_tab_beeps_and_counts_new_chats_in_its_title_unless_turned_off(
    browser: Browser,
    contexts: list[BrowserContext],
    live_url: str,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
    start_visitor: StartVisitor,
) -> None:
    tenant = await make_tenant(hours=ALWAYS_OPEN)
    page = await signed_in_console(
        browser, contexts, live_url, await make_staff(tenant.slug, "listener")
    )
    await page.add_init_script(COUNT_BEEPS)
    await page.reload()
    await expect(page.locator("#connection")).to_have_text("Connected")
    await page.get_by_label("Available").click()  # a gesture: browsers allow sound after one
    await page.evaluate(SET_HIDDEN, True)

    await start_visitor(tenant.slug, "fr")
    await expect(page).to_have_title("(1) Listener console · Havre")
    assert await page.evaluate("window.beeps") == 1
    await page.evaluate(SET_HIDDEN, False)
    await expect(page).to_have_title("Listener console · Havre")

    await page.get_by_text("Preferences").click()
    await page.get_by_label("Sound for new chats").uncheck()
    await page.get_by_label("Counter in the tab title").uncheck()
    await page.evaluate(SET_HIDDEN, True)
    await start_visitor(tenant.slug, "fr")
    await expect(page.locator("#queue-count")).to_have_text("(2)")
    assert await page.title() == "Listener console · Havre"
    assert await page.evaluate("window.beeps") == 1

    # The choice stays in this browser.
    await page.reload()
    await page.get_by_text("Preferences").click()
    await expect(page.get_by_label("Sound for new chats")).not_to_be_checked()
    await expect(page.get_by_label("Counter in the tab title")).not_to_be_checked()


async def test_the_time_left_counts_down_and_can_be_extended_once(
    browser: Browser,
    contexts: list[BrowserContext],
    live_url: str,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
    start_visitor: StartVisitor,
) -> None:
    tenant = await make_tenant(hours=ALWAYS_OPEN)  # a 45-minute session limit
    page = await signed_in_console(
        browser, contexts, live_url, await make_staff(tenant.slug, "listener")
    )
    await start_visitor(tenant.slug, "fr")
    await take_from_queue(page, tenant.name)
    panel = page.get_by_role("tabpanel")
    time_left = panel.locator("[data-ref=time-left]")
    await expect(time_left).to_have_text(re.compile(r"^44:\d\d$"))
    first = await time_left.text_content()
    await expect(time_left).not_to_have_text(first or "")  # it counts

    await panel.get_by_role("button", name="Extend by 15 min").click()
    await expect(time_left).to_have_text(re.compile(r"^59:\d\d$"))
    await expect(panel.get_by_role("button", name="Extend by 15 min")).to_be_disabled()
    # The server moved the limit: a reloaded console is told the new one.
    await page.reload()
    await expect(page.get_by_role("tabpanel").locator("[data-ref=time-left]")).to_have_text(
        re.compile(r"^59:\d\d$")
    )
    await expect(
        page.get_by_role("tabpanel").get_by_role("button", name="Extend by 15 min")
    ).to_be_disabled()


async def test_conversation_tabs_follow_the_arrow_keys(
    browser: Browser,
    contexts: list[BrowserContext],
    live_url: str,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
    start_visitor: StartVisitor,
) -> None:
    tenant = await make_tenant(hours=ALWAYS_OPEN)
    page = await signed_in_console(
        browser, contexts, live_url, await make_staff(tenant.slug, "listener")
    )
    one, _ = await start_visitor(tenant.slug, "fr")
    two, _ = await start_visitor(tenant.slug, "fr")
    take = page.locator("#queue-list li").first.get_by_role("button", name="Take")
    await take.click()
    await expect(page.get_by_role("tab")).to_have_count(1)
    await page.locator("#queue-list li").first.get_by_role("button", name="Take").click()
    tabs = page.get_by_role("tab")
    await expect(tabs).to_have_count(2)
    await one.say("Premier")
    await two.say("Second")

    # The queue gives the longest waiting first: the first tab is the first visitor's.
    log = page.get_by_role("tabpanel").get_by_role("log")
    await expect(tabs.nth(1)).to_have_attribute("aria-selected", "true")  # taken last: in front
    await tabs.nth(0).click()
    await expect(tabs.nth(0)).to_have_attribute("aria-selected", "true")
    await expect(tabs.nth(0)).to_be_focused()
    await expect(log).to_contain_text("Premier")
    await page.keyboard.press("ArrowRight")
    await expect(tabs.nth(1)).to_have_attribute("aria-selected", "true")
    await expect(tabs.nth(1)).to_be_focused()
    await expect(page.get_by_role("tabpanel")).to_have_count(1)
    await expect(log).to_contain_text("Second")
    await expect(log).not_to_contain_text("Premier")
    await page.keyboard.press("Home")
    await expect(tabs.nth(0)).to_have_attribute("aria-selected", "true")
    await expect(log).to_contain_text("Premier")


async def test_a_slash_at_the_start_of_a_message_opens_the_canned_replies_in_its_language(
    browser: Browser,
    contexts: list[BrowserContext],
    live_url: str,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
    start_visitor: StartVisitor,
) -> None:
    tenant = await make_tenant(hours=ALWAYS_OPEN)
    page = await signed_in_console(
        browser, contexts, live_url, await make_staff(tenant.slug, "listener")
    )
    await start_visitor(tenant.slug, "en")
    await take_from_queue(page, tenant.name)
    panel = page.get_by_role("tabpanel")
    message = panel.get_by_label("Message", exact=True)

    await message.press("/")

    search = panel.get_by_label("Search canned replies")
    await expect(search).to_be_focused()
    replies = panel.locator(".canned-list button")
    await expect(replies).to_have_count(1)  # the English one only
    await expect(replies).to_contain_text("Hello, I am listening.")
    await search.fill("zzz")
    await expect(panel.locator(".canned-list .none")).to_have_text(
        "No canned reply matches this search."
    )
    await search.fill("")
    await search.press("ArrowDown")
    await expect(replies.first).to_be_focused()
    await page.keyboard.press("Escape")
    await expect(message).to_be_focused()
    await expect(message).to_have_value("")


async def test_a_chat_taken_opens_in_front_named_so_tabs_can_be_told_apart(
    browser: Browser,
    contexts: list[BrowserContext],
    live_url: str,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
    start_visitor: StartVisitor,
) -> None:
    tenant = await make_tenant(hours=ALWAYS_OPEN)
    page = await signed_in_console(
        browser, contexts, live_url, await make_staff(tenant.slug, "listener")
    )
    one, first = await start_visitor(tenant.slug, "fr")
    _, second = await start_visitor(tenant.slug, "fr")
    take = page.locator("#queue-list li").first.get_by_role("button", name="Take")
    await take.click()
    tabs = page.get_by_role("tab")
    await expect(tabs).to_have_count(1)
    await one.say("Bonsoir")
    await page.locator("#queue-list li").first.get_by_role("button", name="Take").click()

    await expect(tabs).to_have_count(2)
    # The chat just taken is in front, its message box ready; each tab names its visitor.
    await expect(tabs.nth(1)).to_have_attribute("aria-selected", "true")
    panel = page.get_by_role("tabpanel")
    await expect(panel.get_by_label("Message", exact=True)).to_be_focused()
    await expect(tabs.nth(0)).to_contain_text(f"Visitor {first['conversation_id'][:4].upper()}")
    await expect(tabs.nth(1)).to_contain_text(f"Visitor {second['conversation_id'][:4].upper()}")

    await tabs.nth(0).click()
    said = panel.get_by_role("log").locator("li").filter(has_text="Bonsoir")
    await expect(said.locator("time")).to_have_text(re.compile(r"^\d{2}:\d{2}"))


async def test_a_reload_keeps_the_listener_available(
    browser: Browser,
    contexts: list[BrowserContext],
    live_url: str,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
) -> None:
    tenant = await make_tenant(hours=ALWAYS_OPEN)
    page = await signed_in_console(
        browser, contexts, live_url, await make_staff(tenant.slug, "listener")
    )
    await page.get_by_label("Available").check()
    await expect(page.locator("fieldset.presence")).not_to_have_attribute("aria-busy", "true")

    await page.reload()
    await expect(page.locator("#connection")).to_have_text("Connected")
    await expect(page.get_by_label("Available")).to_be_checked()
    await expect(page.locator("fieldset.presence")).not_to_have_attribute("aria-busy", "true")
