"""One evening, end to end, across the real pieces in Chromium: a visitor in the real widget on
a partner's site (another origin), a listener, a colleague and a supervisor, each in their own
browser context. Nothing here talks to the server except through the pages."""

from __future__ import annotations

import json
import uuid

from playwright.async_api import Browser, BrowserContext, expect

from tests.browser.journey import (
    WIDGET,
    Owner,
    listener_ends_with_wrapup,
    listener_sends_card,
    listener_transfers_to_team,
    listener_writes,
    name_staff,
    new_page,
    supervised_row,
    supervisor_signs_in,
    supervisor_whispers,
    visitor_log,
    visitor_starts_a_chat,
    visitor_writes,
)
from tests.conftest import MakeStaff, MakeTenant
from tests.console.browser import (  # noqa: F401 - contexts is a fixture
    TEAMS,
    contexts,
    signed_in_console,
    take_from_queue,
)
from tests.widget.conftest import HostSite, host_site, widget_tenant  # noqa: F401 - fixtures

# A message tests/triage/corpus.tsv labels imminent.
RISKY = "je vais sauter du pont ce soir"
WHISPER = "Demande-lui s'il est en sécurité ce soir."


async def test_an_evening_from_the_widget_to_the_wrapup_under_supervision(
    browser: Browser,
    contexts: list[BrowserContext],  # noqa: F811
    live_url: str,
    host_site: HostSite,  # noqa: F811
    widget_tenant: MakeTenant,  # noqa: F811
    make_staff: MakeStaff,
    owner: Owner,
) -> None:
    tenant = await widget_tenant(teams=TEAMS, topics=["loneliness", "suicide"])
    camille = await make_staff(tenant.slug, "listener")
    sacha = await make_staff(tenant.slug, "listener")
    dominique = await make_staff(tenant.slug, "supervisor")
    for email, name in ((camille, "Camille"), (sacha, "Sacha"), (dominique, "Dominique")):
        await name_staff(owner, email, name)

    # The supervisor watches the line's live conversations.
    supervision = await new_page(browser, contexts, locale="en-GB")
    await supervisor_signs_in(supervision, live_url, dominique)

    # The listener signs in and goes available.
    console = await signed_in_console(browser, contexts, live_url, camille)
    await console.get_by_label("Available").check()

    # A visitor on the partner's site opens the real widget, consents and writes.
    visitor = await new_page(browser, contexts, viewport={"width": 1024, "height": 768})
    chat = await visitor_starts_a_chat(visitor, host_site, tenant.slug)
    await visitor_writes(chat, "Bonsoir, je n'arrive pas à dormir")
    row = supervised_row(supervision, tenant.name)
    await expect(row).to_contain_text("Waiting")

    # The listener takes the chat; they write to each other.
    await take_from_queue(console, tenant.name)
    panel = console.get_by_role("tabpanel")
    await expect(chat.locator("#status")).to_have_text("Un·e bénévole formé·e est avec vous.")
    await expect(panel.get_by_role("log")).to_contain_text("Bonsoir, je n'arrive pas à dormir")
    await listener_writes(panel, "Bonsoir, je suis là. Qu'est-ce qui vous tient éveillé·e ?")
    await expect(visitor_log(chat)).to_contain_text("Qu'est-ce qui vous tient éveillé·e ?")
    await visitor_writes(chat, "Je me sens seul depuis des semaines.")
    await expect(panel.get_by_role("log")).to_contain_text("Je me sens seul depuis des semaines.")

    # The supervisor sees it live with its listener, reads it and whispers to the listener.
    await expect(row).to_contain_text("Camille")
    await expect(row).to_contain_text("Active")
    await row.get_by_role("button", name="Join").click()
    await expect(supervision.locator("#sv-transcript")).to_contain_text("seul depuis des semaines")
    await supervisor_whispers(supervision, WHISPER)
    whisper = panel.get_by_role("log").locator("li.kind-whisper")
    await expect(whisper).to_contain_text("Supervisor Dominique (only you see this)")
    await expect(whisper).to_contain_text(WHISPER)

    # A referral card reaches the visitor; the whisper, said before it, never did.
    await listener_sends_card(panel, "3114")
    await expect(visitor_log(chat).locator(".msg.listener").last).to_contain_text("3114")
    await expect(visitor_log(chat)).not_to_contain_text(WHISPER)

    # A risky message: the supervisor is alerted, the listener's crisis panel names them.
    await visitor_writes(chat, RISKY)
    alert = supervision.locator("#sv-alert-list li.sv-alert-risk")
    await expect(alert).to_contain_text(tenant.name)
    await expect(alert).to_contain_text("Imminent risk")
    await expect(row).to_contain_text("Imminent")
    crisis = panel.locator("[data-ref=crisis]")
    await expect(crisis).to_be_visible()
    await expect(crisis).to_contain_text("Dominique")

    # The listener hands it over to the night team, with a note.
    await listener_transfers_to_team(panel, "night", "Idées suicidaires, superviseure alertée.")
    await expect(console.get_by_role("tab")).to_have_count(0)
    await expect(row).to_contain_text("Waiting")

    # A colleague takes it from the night team's queue, with its history, and ends it.
    colleague = await signed_in_console(browser, contexts, live_url, sacha)
    waiting = colleague.locator("#queue-list li").filter(has_text=tenant.name)
    await expect(waiting).to_contain_text("Night watch")
    await take_from_queue(colleague, tenant.name)
    theirs = colleague.get_by_role("tabpanel")
    await expect(theirs.get_by_role("log")).to_contain_text(RISKY)
    await expect(theirs.get_by_role("log")).to_contain_text("superviseure alertée")
    await expect(row).to_contain_text("Sacha")
    await listener_writes(theirs, "Je prends le relais, je suis avec vous.")
    await expect(visitor_log(chat)).to_contain_text("Je prends le relais")
    # The wrap-up names topics in the listener's language ("suicide" is "Suicidal thoughts").
    await listener_ends_with_wrapup(theirs, "Suicidal thoughts", "emergency", at_high_risk=True)
    await expect(chat.locator("#status")).to_contain_text(WIDGET["ended"])
    await expect(colleague.get_by_role("tab")).to_have_count(0)
    await expect(row).to_have_count(0)  # no longer live

    # What was stored: ended by the colleague, with the wrap-up.
    stored = await owner.fetchrow(
        "SELECT c.state, c.wrapup, c.listener_id, c.transfers FROM conversations c "
        "JOIN organisations o ON o.id = c.organisation_id WHERE o.slug = $1",
        tenant.slug,
    )
    assert stored is not None
    wrapup = stored["wrapup"]
    wrapup = wrapup if isinstance(wrapup, dict) else json.loads(wrapup)
    assert (stored["state"], stored["transfers"]) == ("ended", 1)
    assert (wrapup["topics"], wrapup["outcome"]) == (["suicide"], "emergency")
    sacha_id = await owner.fetchval("SELECT id FROM staff_users WHERE email = $1", sacha)
    assert stored["listener_id"] == uuid.UUID(str(sacha_id))
    for page in (visitor, console, colleague, supervision):
        assert page.errors == [], page.url  # type: ignore[attr-defined]
