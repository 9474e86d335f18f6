"""Blocking a visitor in Chromium: a listener blocks the visitor of their conversation from the
console's tools (a confirmation in place), the conversation ends as "Visitor blocked" with its
wrap-up still to write; a supervisor finds the block on the list of blocks and lifts it."""

from __future__ import annotations

import json
import uuid

import asyncpg
from playwright.async_api import Browser, BrowserContext, expect

from tests.browser.test_pages_accessibility import serious
from tests.conftest import PASSWORD, MakeStaff, MakeTenant, eventually
from tests.console.browser import (  # noqa: F401 - contexts is a fixture
    ALWAYS_OPEN,
    contexts,
    signed_in_console,
    take_from_queue,
)
from tests.conversations.conftest import StartVisitor, start_visitor  # noqa: F401 - a fixture


async def test_a_listener_blocks_the_visitor_and_a_supervisor_lifts_the_block(
    browser: Browser,
    contexts: list[BrowserContext],  # noqa: F811
    live_url: str,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
    start_visitor: StartVisitor,  # noqa: F811
    owner: asyncpg.Connection[asyncpg.Record],
) -> None:
    tenant = await make_tenant(hours=ALWAYS_OPEN)
    listener = await make_staff(tenant.slug, "listener")
    supervisor = await make_staff(tenant.slug, "supervisor")
    await owner.execute(
        "UPDATE staff_users SET display_name = 'Camille' WHERE email = $1", listener
    )
    await owner.execute(
        "UPDATE staff_users SET display_name = 'Dominique', locale = 'en' WHERE email = $1",
        supervisor,
    )
    page = await signed_in_console(browser, contexts, live_url, listener)
    await page.get_by_label("Available").check()
    visitor, started = await start_visitor(tenant.slug, "fr")
    cid = started["conversation_id"]
    await take_from_queue(page, tenant.name)
    panel = page.get_by_role("tabpanel")
    await visitor.say("message injurieux")
    await expect(panel.get_by_role("log")).to_contain_text("message injurieux")

    # The box says what blocking does; the first press only asks to confirm.
    summary = panel.locator("summary", has_text="Block this visitor")
    await summary.focus()
    await page.keyboard.press("Enter")
    box = panel.locator("details[data-ref=block-box]")
    await expect(box).to_contain_text("The conversation ends.")
    await expect(box).to_contain_text("A supervisor can lift the block.")
    await expect(box.get_by_label("Duration")).to_have_value("24")
    await box.get_by_label("Reason").select_option("abuse")
    await box.get_by_label("Duration").select_option("168")
    await box.get_by_role("button", name="Block and end").click()
    confirm = box.get_by_role("button", name="Confirm the block")
    await expect(confirm).to_be_focused()
    await expect(box.get_by_role("alert").first).to_contain_text("Block this visitor?")
    assert await serious(page) == []
    assert not await owner.fetchval(
        "SELECT count(*) FROM visitor_blocks WHERE conversation_id = $1", uuid.UUID(cid)
    )

    # A request that never reaches the server is said in words, and nothing changes.
    await page.route("**/block", lambda route: route.abort())
    await page.keyboard.press("Enter")
    await expect(box.get_by_role("alert").last).to_have_text(
        "The server is not answering: nobody was blocked. Try again."
    )
    submit = box.get_by_role("button", name="Block and end")
    await expect(submit).to_be_focused()
    await expect(panel.locator("[data-ref=ended]")).to_be_hidden()
    await page.unroute("**/block")

    await page.keyboard.press("Enter")
    await expect(confirm).to_be_focused()
    await page.keyboard.press("Enter")

    await expect(panel.locator("[data-ref=ended]")).to_have_text("Visitor blocked")
    await expect(panel.get_by_role("log")).to_contain_text(
        "Blocked for 7 days: Abuse or harassment."
    )
    await expect(box).to_be_hidden()
    await expect(panel.locator(".composer")).to_be_hidden()
    ended = await visitor.next(lambda f: f["type"] == "state" and f["state"] == "ended")
    assert ended["reason"] == "blocked"
    block = await owner.fetchrow(
        "SELECT id, reason, until - created_at AS length FROM visitor_blocks "
        "WHERE conversation_id = $1",
        uuid.UUID(cid),
    )
    assert block is not None
    assert (block["reason"], block["length"].days) == ("abuse", 7)

    # The wrap-up is still to write, and is recorded.
    wrapup = panel.locator("details[data-ref=end-box]")
    await expect(wrapup).to_have_attribute("open", "")
    await expect(wrapup.get_by_label("Outcome")).to_have_value("other")
    await wrapup.get_by_role("button", name="End the conversation").click()

    async def recorded() -> bool:
        row = await owner.fetchval("SELECT wrapup FROM conversations WHERE id = $1", uuid.UUID(cid))
        return row is not None

    await eventually(recorded)
    stored = await owner.fetchval("SELECT wrapup FROM conversations WHERE id = $1", uuid.UUID(cid))
    assert (json.loads(stored) if isinstance(stored, str) else stored)["outcome"] == "other"

    # A supervisor finds it from the supervision console, and lifts it.
    context = await browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 800})
    contexts.append(context)
    sv = await context.new_page()
    errors: list[str] = []
    sv.on("pageerror", lambda error: errors.append(str(error)))
    await sv.goto(f"{live_url}/console/supervision")
    await sv.get_by_label("E-mail address").fill(supervisor)
    await sv.get_by_label("Password").fill(PASSWORD)
    await sv.get_by_role("button", name="Sign in").click()
    await expect(sv).to_have_url(f"{live_url}/console/supervision")
    await sv.get_by_role("link", name="Blocked visitors").click()
    await expect(sv).to_have_url(f"{live_url}/console/supervision/blocks")
    await expect(sv.get_by_role("heading", name="Blocked visitors", level=1)).to_be_visible()

    row = sv.locator(f'tr[data-block="{block["id"]}"]')
    await expect(row).to_contain_text("Abuse or harassment")
    await expect(row).to_contain_text("Camille")
    await expect(row).to_contain_text("In force")
    assert await serious(sv) == []
    await row.get_by_role("button", name="Lift block").click()
    await expect(row).to_contain_text("Lifted by Dominique on ")
    written = await row.locator(".blk-status").text_content()
    await expect(row.get_by_role("button")).to_have_count(0)
    await expect(sv.get_by_role("status").filter(has_text="Block lifted")).to_be_visible()
    await expect(row.locator(".blk-status")).to_be_focused()
    lifted = await owner.fetchval(
        "SELECT lifted_at IS NOT NULL FROM visitor_blocks WHERE id = $1", block["id"]
    )
    assert lifted

    # After a reload the server says the same.
    await sv.reload()
    # …in the same words and the same time as the script wrote (the line's time zone).
    await expect(sv.locator(f'tr[data-block="{block["id"]}"] .blk-status')).to_have_text(
        written or "?"
    )
    await sv.get_by_role("link", name="Back to supervision").click()
    await expect(sv).to_have_url(f"{live_url}/console/supervision")
    assert errors == []
    assert page.errors == []  # type: ignore[attr-defined]


async def test_a_visitor_who_ended_the_chat_can_still_be_blocked(
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
    await visitor.say("insulte, puis je pars")
    await expect(panel.get_by_role("log")).to_contain_text("insulte, puis je pars")

    await visitor.send({"type": "end"})
    ended = panel.locator("[data-ref=ended]")
    await expect(ended).to_have_text("The visitor ended the conversation.")
    box = panel.locator("details[data-ref=block-box]")
    await expect(box).to_be_visible()
    await box.locator("summary").click()
    # Blocking no longer ends anything: the words say only what it does.
    await expect(box.get_by_text("The conversation ends.")).to_be_hidden()
    await expect(box.get_by_text("A supervisor can lift the block.")).to_be_visible()
    await box.get_by_label("Reason").select_option("prank")
    await box.get_by_role("button", name="Block", exact=True).click()
    await box.get_by_role("button", name="Cancel").click()  # changed their mind, then not
    await expect(box.get_by_role("button", name="Block", exact=True)).to_be_focused()
    await page.keyboard.press("Enter")
    await box.get_by_role("button", name="Confirm the block").click()

    await expect(ended).to_have_text("Visitor blocked")
    await expect(box).to_be_hidden()
    reason = await owner.fetchval(
        "SELECT reason FROM visitor_blocks WHERE conversation_id = $1",
        uuid.UUID(started["conversation_id"]),
    )
    assert reason == "prank"
    assert page.errors == []  # type: ignore[attr-defined]
