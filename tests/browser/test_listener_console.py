"""The listener console in Chromium: a whole conversation from the queue through a transfer
to the wrap-up, the crisis panel on a risky message, a supervisor's whisper, auto mode.

More of the console's behaviour in the browser: tests/console/test_console_browser.py."""

from __future__ import annotations

import json
import uuid

import asyncpg
from playwright.async_api import Browser, BrowserContext, expect

from tests.conftest import MakeStaff, MakeTenant
from tests.console.browser import (  # noqa: F401 - contexts is a fixture
    ALWAYS_OPEN,
    IMMINENT,
    TEAMS,
    contexts,
    message_with,
    signed_in_console,
    take_from_queue,
)
from tests.conversations.conftest import (  # noqa: F401 - fixtures
    OpenListener,
    StartVisitor,
    open_listener,
    start_visitor,
)


async def test_a_chat_goes_from_the_queue_through_a_transfer_to_a_wrapup_in_postgresql(
    browser: Browser,
    contexts: list[BrowserContext],  # noqa: F811
    live_url: str,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
    start_visitor: StartVisitor,  # noqa: F811
    owner: asyncpg.Connection[asyncpg.Record],
) -> None:
    tenant = await make_tenant(hours=ALWAYS_OPEN, teams=TEAMS, topics=["loneliness", "suicide"])
    first = await make_staff(tenant.slug, "listener")
    second = await make_staff(tenant.slug, "listener")
    page = await signed_in_console(browser, contexts, live_url, first)
    await page.get_by_label("Available").check()
    await expect(page.locator("#capacity")).to_have_text("2")

    visitor, started = await start_visitor(tenant.slug, "fr")
    cid = started["conversation_id"]
    entry = page.locator("#queue-list li").filter(has_text=tenant.name)
    # Tenant, team, topic, language, waiting time, risk: and no text of the visitor's.
    await expect(entry).to_contain_text("waiting for")
    await expect(entry).to_contain_text("FR")
    await take_from_queue(page, tenant.name)
    panel = page.get_by_role("tabpanel")
    await expect(page.locator("#active-count")).to_have_text("1")

    # Both ways.
    await visitor.send({"type": "typing"})
    await expect(panel.get_by_text("The visitor is typing…")).to_be_visible()
    await visitor.say("Bonsoir, je n'arrive pas à dormir")
    await expect(panel.get_by_role("log")).to_contain_text("Bonsoir, je n'arrive pas à dormir")
    await expect(panel.get_by_text("The visitor is typing…")).to_be_hidden()
    message = panel.get_by_label("Message", exact=True)
    await message.fill("Bonsoir, je suis là.")
    await message.press("Enter")
    await visitor.next(message_with("Bonsoir, je suis là.", "text"))

    # A canned reply, through its shortcut and its search.
    await message.press("Control+/")
    search = panel.get_by_label("Search canned replies")
    await expect(search).to_be_focused()
    await search.fill("bonj")
    await search.press("Enter")
    await expect(message).to_have_value("Bonjour, je vous écoute.")
    await message.press("Enter")
    await visitor.next(message_with("Bonjour, je vous écoute.", "text"))

    # A referral card.
    await panel.locator("summary", has_text="Referrals").click()
    await panel.get_by_role("button", name="Send the card : 3114").click()
    card = await visitor.next(message_with("3114", "referral"))
    assert "Tél. 3114" in card["body"]

    # Transfer to a team, with a hand-over note.
    await panel.locator("summary", has_text="Transfer").click()
    await panel.get_by_label("To a team").select_option("night")
    await panel.get_by_label("Hand-over note (private)").fill("Insomnie, orientée 3114.")
    await panel.get_by_role("button", name="Transfer the conversation").click()
    await expect(page.get_by_role("tab")).to_have_count(0)
    await expect(page.locator("#active-count")).to_have_text("0")

    # The colleague takes it from the queue, with the whole history and the note.
    colleague = await signed_in_console(browser, contexts, live_url, second)
    await expect(colleague.locator("#queue-list li").filter(has_text=tenant.name)).to_contain_text(
        "Night watch"
    )
    await take_from_queue(colleague, tenant.name)
    theirs = colleague.get_by_role("tabpanel")
    log = theirs.get_by_role("log")
    await expect(log).to_contain_text("Bonsoir, je n'arrive pas à dormir")
    await expect(log).to_contain_text("Insomnie, orientée 3114.")
    assert visitor.received("message")[-1]["body"] != "Insomnie, orientée 3114."

    # …and ends it with the wrap-up.
    await theirs.locator("summary", has_text="End").click()
    await theirs.get_by_role("checkbox", name="Suicidal thoughts").check()
    await theirs.get_by_label("Outcome").select_option("referred")
    await theirs.get_by_label("Private note (optional)").fill("Rappellera peut-être.")
    await theirs.get_by_role("button", name="End the conversation").click()
    await visitor.next(lambda f: f["type"] == "state" and f["state"] == "ended")
    await expect(colleague.get_by_role("tab")).to_have_count(0)

    row = await owner.fetchrow(
        "SELECT c.state, c.wrapup, s.email FROM conversations c "
        "JOIN staff_users s ON s.id = c.listener_id WHERE c.id = $1",
        cid,
    )
    assert row is not None
    wrapup = row["wrapup"] if isinstance(row["wrapup"], dict) else json.loads(row["wrapup"])
    assert row["state"] == "ended"
    assert row["email"] == second
    assert wrapup["topics"] == ["suicide"]
    assert wrapup["outcome"] == "referred"
    assert page.errors == colleague.errors == []  # type: ignore[attr-defined]


async def test_a_risky_message_opens_the_crisis_panel_with_the_emergency_referrals(
    browser: Browser,
    contexts: list[BrowserContext],  # noqa: F811
    live_url: str,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
    start_visitor: StartVisitor,  # noqa: F811
    open_listener: OpenListener,  # noqa: F811
) -> None:
    tenant = await make_tenant(
        hours=ALWAYS_OPEN,
        referrals=[
            {"key": "sos", "name": "SOS Amitié", "topics": ["loneliness"], "phone": "0972394050"},
            {"key": "3114", "name": "3114", "topics": ["suicide"], "phone": "3114",
             "emergency": True},
        ],
    )  # fmt: skip
    page = await signed_in_console(
        browser, contexts, live_url, await make_staff(tenant.slug, "listener")
    )
    supervisor = await open_listener(tenant.slug, "supervisor")  # a supervisor online
    visitor, _ = await start_visitor(tenant.slug, "fr")
    await take_from_queue(page, tenant.name)
    panel = page.get_by_role("tabpanel")
    crisis = panel.locator(".crisis")
    await expect(crisis).to_be_hidden()
    referrals = panel.locator(".referral-list li")
    await expect(referrals.first).to_contain_text("SOS Amitié")  # the tenant's own order

    await visitor.say(IMMINENT)

    await expect(crisis).to_be_visible()
    await expect(crisis.get_by_role("heading", name="Suicide risk: assess")).to_be_visible()
    # The server names the supervisors it alerted (here, the one with a console open).
    name = supervisor.email.split("@")[0]  # type: ignore[attr-defined]
    await expect(crisis).to_contain_text(f"Supervisors alerted: {name}.")
    await expect(panel.locator(".conv-risk")).to_contain_text("imminent")
    await expect(panel.locator(".reasons")).to_contain_text("means: medication")
    await expect(page.get_by_role("tab")).to_have_class("crisis")
    await expect(referrals.first).to_contain_text("3114")  # crisis lines first now

    await crisis.get_by_label("Plan: do they know how?").check()
    await crisis.get_by_label("Details").nth(1).fill("médicaments à la maison")
    await crisis.get_by_role("button", name="Save the assessment as a private note").click()
    await expect(panel.get_by_role("log")).to_contain_text("médicaments à la maison")

    await crisis.get_by_role("button", name="Send the card : 3114").click()
    await visitor.next(message_with("3114", "referral"))
    assert not [f for f in visitor.received("message") if f["kind"] == "note"]


async def test_a_supervisors_whisper_shows_to_the_listener_only_and_distinctly(
    browser: Browser,
    contexts: list[BrowserContext],  # noqa: F811
    live_url: str,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
    start_visitor: StartVisitor,  # noqa: F811
    open_listener: OpenListener,  # noqa: F811
) -> None:
    tenant = await make_tenant(hours=ALWAYS_OPEN)
    page = await signed_in_console(
        browser, contexts, live_url, await make_staff(tenant.slug, "listener")
    )
    supervisor = await open_listener(tenant.slug, "supervisor")
    visitor, started = await start_visitor(tenant.slug, "fr")
    await take_from_queue(page, tenant.name)

    whisper_id = str(uuid.uuid4())
    await supervisor.send(
        {"type": "whisper", "conversation_id": started["conversation_id"],
         "client_id": whisper_id, "body": "Pense à demander s'il est en sécurité."}
    )  # fmt: skip
    await supervisor.next(lambda f: f.get("client_id") == whisper_id and f["type"] == "ack")

    whisper = page.get_by_role("tabpanel").get_by_role("log").locator("li.kind-whisper")
    # The server names the supervisor (display name, else the e-mail's local part).
    name = supervisor.email.split("@")[0]  # type: ignore[attr-defined]
    await expect(whisper).to_contain_text(f"Supervisor {name} (only you see this)")
    await expect(whisper).to_contain_text("Pense à demander s'il est en sécurité.")
    await visitor.say("Vous êtes là ?")
    await expect(page.get_by_role("tabpanel").get_by_role("log")).to_contain_text("Vous êtes là ?")
    assert all(f["kind"] != "whisper" for f in visitor.received("message"))


async def test_in_auto_mode_an_available_listener_is_given_the_chat_without_taking_it(
    browser: Browser,
    contexts: list[BrowserContext],  # noqa: F811
    live_url: str,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
    start_visitor: StartVisitor,  # noqa: F811
) -> None:
    tenant = await make_tenant(hours=ALWAYS_OPEN, routing={"mode": "auto"})
    page = await signed_in_console(
        browser, contexts, live_url, await make_staff(tenant.slug, "listener")
    )
    await page.get_by_label("Available").check()
    await expect(page.get_by_label("Available")).to_be_checked()

    visitor, _ = await start_visitor(tenant.slug, "fr")

    await expect(page.get_by_role("tab")).to_have_count(1)
    await expect(page.locator("#active-count")).to_have_text("1")
    await visitor.say("Il y a quelqu'un ?")
    await expect(page.get_by_role("tabpanel").get_by_role("log")).to_contain_text(
        "Il y a quelqu'un ?"
    )


async def test_a_transfer_to_a_colleague_opens_the_chat_in_their_console_with_its_history(
    browser: Browser,
    contexts: list[BrowserContext],  # noqa: F811
    live_url: str,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
    start_visitor: StartVisitor,  # noqa: F811
) -> None:
    tenant = await make_tenant(hours=ALWAYS_OPEN)
    first = await make_staff(tenant.slug, "listener")
    second = await make_staff(tenant.slug, "listener")
    page = await signed_in_console(browser, contexts, live_url, first)
    colleague = await signed_in_console(browser, contexts, live_url, second)
    visitor, _ = await start_visitor(tenant.slug, "fr")
    await take_from_queue(page, tenant.name)
    await visitor.say("Je préférerais parler à quelqu'un d'autre")
    panel = page.get_by_role("tabpanel")
    await expect(panel.get_by_role("log")).to_contain_text("quelqu'un d'autre")

    await panel.locator("summary", has_text="Transfer").click()
    # Colleagues are listed by name (no display name here: the local part), never by address.
    await panel.get_by_label("To a colleague").select_option(label=second.split("@")[0])
    await panel.get_by_role("button", name="Transfer the conversation").click()
    # Their console opened "away": the server refuses, and the listener keeps the chat.
    await expect(page.locator("#console-problem")).to_contain_text(
        "This colleague is not available for a new conversation."
    )
    await expect(page.get_by_role("tab")).to_have_count(1)
    await expect(colleague.get_by_role("tab")).to_have_count(0)

    await colleague.get_by_label("Available").check()
    # Busy until the server has stored it (its `presence` frame answers).
    await expect(colleague.locator("fieldset.presence")).not_to_have_attribute("aria-busy", "true")
    await panel.get_by_role("button", name="Transfer the conversation").click()
    await expect(page.get_by_role("tab")).to_have_count(0)
    await expect(colleague.get_by_role("tab")).to_have_count(1)
    await expect(colleague.get_by_role("tabpanel").get_by_role("log")).to_contain_text(
        "Je préférerais parler à quelqu'un d'autre"
    )


async def test_the_status_bar_and_panel_show_what_the_server_says_about_this_listener(
    browser: Browser,
    contexts: list[BrowserContext],  # noqa: F811
    live_url: str,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
    start_visitor: StartVisitor,  # noqa: F811
    owner: asyncpg.Connection[asyncpg.Record],
) -> None:
    """Capacity and load from the `presence` frame, the supervised flag of a new listener's
    conversation, and the supervision link only for supervisors."""
    tenant = await make_tenant(hours=ALWAYS_OPEN)
    email = await make_staff(tenant.slug, "listener")
    await owner.execute(
        "UPDATE memberships SET capacity = 3, supervised_conversations = 1 "
        "WHERE staff_id = (SELECT id FROM staff_users WHERE email = $1)",
        email,
    )
    page = await signed_in_console(browser, contexts, live_url, email)
    await expect(page.locator("#capacity")).to_have_text("3")
    await expect(page.locator("#active-count")).to_have_text("0")
    await expect(page.get_by_role("link", name="Supervision console")).to_have_count(0)

    visitor, _ = await start_visitor(tenant.slug, "fr")
    await take_from_queue(page, tenant.name)
    await expect(page.locator("#active-count")).to_have_text("1")
    await expect(page.get_by_role("tabpanel")).to_contain_text(
        "A supervisor follows your first conversations: this is one of them."
    )
    await visitor.send({"type": "end"})  # the count is the server's, not the tabs shown
    await expect(page.get_by_role("tabpanel")).to_contain_text("The visitor ended")
    await expect(page.locator("#active-count")).to_have_text("0")

    supervisor = await signed_in_console(
        browser, contexts, live_url, await make_staff(tenant.slug, "supervisor")
    )
    link = supervisor.get_by_role("link", name="Supervision console")
    await expect(link).to_have_attribute("href", "/console/supervision")


async def test_a_visitor_who_quick_exits_stays_in_the_console_to_be_wrapped_up(
    browser: Browser,
    contexts: list[BrowserContext],  # noqa: F811
    live_url: str,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
    start_visitor: StartVisitor,  # noqa: F811
    owner: asyncpg.Connection[asyncpg.Record],
) -> None:
    tenant = await make_tenant(hours=ALWAYS_OPEN)
    page = await signed_in_console(
        browser, contexts, live_url, await make_staff(tenant.slug, "listener")
    )
    visitor, started = await start_visitor(tenant.slug, "fr")
    await take_from_queue(page, tenant.name)
    panel = page.get_by_role("tabpanel")
    await visitor.say(IMMINENT)
    await expect(panel.locator(".crisis")).to_be_visible()

    await visitor.send({"type": "end", "quick_exit": True})

    # Still there, marked as a quick exit, with the crisis assessment and the wrap-up open.
    await expect(panel.locator("[data-ref=ended]")).to_contain_text("used quick exit")
    await expect(panel.locator(".crisis")).to_be_visible()
    await expect(panel.locator(".composer")).to_be_hidden()
    await expect(panel.locator(".emergency-list")).to_be_hidden()  # nothing more reaches them
    await expect(panel.get_by_label("Outcome")).to_have_value("")  # imminent: never preset
    # The place is free at once: the status bar counts no chat held.
    await expect(page.locator("#active-count")).to_have_text("0")

    await panel.get_by_label("Outcome").select_option("visitor_left")
    await panel.get_by_role("button", name="End the conversation").click()
    await expect(panel.locator("[data-ref=wrapup-confirm]")).to_be_visible()
    await panel.get_by_role("button", name="Confirm and end").click()
    await expect(page.get_by_role("tab")).to_have_count(0)
    row = await owner.fetchrow(
        "SELECT end_reason, wrapup FROM conversations WHERE id = $1",
        uuid.UUID(started["conversation_id"]),
    )
    wrapup = json.loads(row["wrapup"]) if isinstance(row["wrapup"], str) else row["wrapup"]
    assert (row["end_reason"], wrapup["outcome"], wrapup["risk_level"]) == (
        "quick_exit", "visitor_left", "imminent"
    )  # fmt: skip


async def test_a_tab_says_how_long_the_visitor_has_waited_for_an_answer(
    browser: Browser,
    contexts: list[BrowserContext],  # noqa: F811
    live_url: str,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
    start_visitor: StartVisitor,  # noqa: F811
) -> None:
    tenant = await make_tenant(hours=ALWAYS_OPEN)
    page = await signed_in_console(
        browser, contexts, live_url, await make_staff(tenant.slug, "listener")
    )
    await page.clock.install()  # the page's clock, moved on below instead of waiting
    await page.reload()
    await expect(page.locator("#connection")).to_have_text("Connected")
    visitor, _ = await start_visitor(tenant.slug, "fr")
    await take_from_queue(page, tenant.name)
    tab = page.get_by_role("tab")
    panel = page.get_by_role("tabpanel")

    await visitor.say("Vous êtes là ?")
    await expect(panel.get_by_role("log")).to_contain_text("Vous êtes là ?")
    await expect(tab.locator(".waiting")).to_have_text("")
    await page.clock.fast_forward("03:10")
    await expect(tab).to_contain_text("waiting 3 min")

    await panel.get_by_label("Message", exact=True).fill("Oui, je suis là.")
    await panel.get_by_role("button", name="Send").click()
    await expect(tab.locator(".waiting")).to_have_text("")
