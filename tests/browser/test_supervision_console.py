"""The supervisor console in Chromium: a supervisor sees a live conversation, reads it silently,
whispers to its listener (never to the visitor), and is alerted when the visitor is at risk."""

from __future__ import annotations

from typing import TypeAlias

import asyncpg
from playwright.async_api import Browser, Page, expect

from tests.conftest import PASSWORD, MakeStaff, MakeTenant
from tests.conversations.clients import Console
from tests.conversations.conftest import (  # noqa: F401 - fixtures
    OpenListener,
    StartVisitor,
    open_listener,
    open_tenant,
    start_visitor,
)

Owner: TypeAlias = "asyncpg.Connection[asyncpg.Record]"
IMMINENT = "j'ai acheté des médicaments, je vais tout prendre ce soir"
HOSTILE = "<img src=x onerror=\"document.title='pwned'\"> {{ 7*7 }}"


async def sign_in(page: Page, live_url: str, email: str) -> None:
    await page.goto(f"{live_url}/console/supervision")
    await expect(page).to_have_url(f"{live_url}/sign-in?next=/console/supervision")
    await page.get_by_label("E-mail address").fill(email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page).to_have_url(f"{live_url}/console/supervision")


async def test_a_supervisor_reads_whispers_and_is_alerted_in_the_browser(
    browser: Browser,
    live_url: str,
    open_tenant: MakeTenant,  # noqa: F811 - the fixture imported above
    make_staff: MakeStaff,
    start_visitor: StartVisitor,  # noqa: F811 - the fixture imported above
    open_listener: OpenListener,  # noqa: F811 - the fixture imported above
    owner: Owner,
) -> None:
    tenant = await open_tenant()
    supervisor_email = await make_staff(tenant.slug, "supervisor")
    await owner.execute(
        "UPDATE staff_users SET display_name = 'Dominique', locale = 'en' WHERE email = $1",
        supervisor_email,
    )
    listener: Console = await open_listener(tenant.slug)
    await owner.execute(
        "UPDATE staff_users SET display_name = 'Camille' WHERE email = $1",
        listener.email,  # type: ignore[attr-defined]
    )
    visitor, started = await start_visitor(tenant.slug)
    cid = started["conversation_id"]
    await listener.send({"type": "claim", "conversation_id": cid})
    await visitor.of_type("state", state="active")
    await visitor.say("Bonsoir, je n'arrive pas à dormir")
    await visitor.say(HOSTILE)

    context = await browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 800})
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    await sign_in(page, live_url, supervisor_email)

    row = page.locator(f'tr[data-conversation="{cid}"]')
    await expect(row).to_contain_text(tenant.name)
    await expect(row).to_contain_text("General")  # the team's name, not its slug
    await expect(page.locator("#sv-loading")).to_be_hidden()
    await expect(page.locator("#sv-empty")).to_be_hidden()
    await expect(row).to_contain_text("Camille")
    await expect(row).to_contain_text("Active")

    await row.get_by_role("button", name="Join").click()
    transcript = page.locator("#sv-transcript")
    await expect(transcript).to_contain_text("Bonsoir, je n'arrive pas à dormir")
    await expect(transcript).to_contain_text(HOSTILE)  # shown as text, never as markup
    assert await transcript.locator("img").count() == 0
    await expect(page.locator("#sv-reading-about")).to_contain_text("Camille")
    # Reading and whispering fit on one screen.
    for part in ("#sv-transcript", "#sv-whisper-body", "#sv-take-over"):
        box = await page.locator(part).bounding_box()
        assert box is not None
        assert box["y"] >= 0, part
        assert box["y"] + box["height"] <= 800, part

    await page.get_by_label("Whisper to the listener").fill("Ask whether they are safe tonight.")
    await page.get_by_role("button", name="Whisper", exact=True).click()
    whisper = await listener.next(lambda f: f["type"] == "message" and f["kind"] == "whisper")
    assert (whisper["author"], whisper["body"]) == (
        "supervisor",
        "Ask whether they are safe tonight.",
    )
    await expect(transcript).to_contain_text("Ask whether they are safe tonight.")
    await expect(page.locator("#sv-reading-note")).to_have_text("Whisper sent.")

    # The visitor never receives it: the listener's next message reaches them, the whisper not.
    await listener.say(cid, "Are you safe tonight?")
    await visitor.of_type("message", author="listener")
    assert all(m["kind"] != "whisper" for m in visitor.received("message"))
    assert "safe tonight." not in str(visitor.frames).replace("Are you safe tonight?", "")

    await visitor.say(IMMINENT)
    alert = page.locator("#sv-alert-list li.sv-alert-risk")
    await expect(alert).to_contain_text(tenant.name)
    await expect(alert).to_contain_text("Imminent risk in Camille's conversation")
    await expect(alert).to_contain_text("means: medication")
    await expect(transcript).to_contain_text(IMMINENT)
    await expect(row).to_contain_text("Imminent")
    risk = await listener.of_type("risk", conversation_id=cid)
    assert risk["alerted"] == ["Dominique"]

    assert await page.title() != "pwned"
    assert errors == []
    await context.close()


async def test_a_listener_is_shown_a_403_page_instead_of_the_supervisor_console(
    browser: Browser, live_url: str, make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    tenant = await make_tenant()
    email = await make_staff(tenant.slug, "listener")
    context = await browser.new_context(locale="en-GB")
    page = await context.new_page()
    await page.goto(f"{live_url}/sign-in")
    await page.get_by_label("E-mail address").fill(email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page).to_have_url(f"{live_url}/console/")

    response = await page.goto(f"{live_url}/console/supervision?lang=en")
    assert response is not None
    assert response.status == 403
    await expect(page.get_by_role("heading", name="Restricted access")).to_be_visible()
    await expect(page.locator("#sv-rows")).to_have_count(0)
    await context.close()
