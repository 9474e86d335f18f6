"""What the widget says at the edges of a chat: the server's message length limit, the line
about to close while the visitor waits, and a place in the queue given up."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import TypeAlias
from zoneinfo import ZoneInfo

import asyncpg
import msgspec
from playwright.async_api import Page, expect

from server.settings import Settings
from tests.conftest import MakeTenant, eventually, serve_in_thread
from tests.conversations.conftest import ALWAYS_OPEN
from tests.widget.conftest import (
    HostSite,
    locale_texts,
    open_widget,
    serve_host_site,
    start_chat,
)

Owner: TypeAlias = "asyncpg.Connection[asyncpg.Record]"


async def conversation_of(owner: Owner, slug: str) -> uuid.UUID:
    found: uuid.UUID = await owner.fetchval(
        "SELECT c.id FROM conversations c JOIN organisations o ON o.id = c.organisation_id "
        "WHERE o.slug = $1",
        slug,
    )
    return found


async def test_the_composer_stops_at_the_servers_limit_and_a_longer_message_is_explained(
    page: Page, settings: Settings, make_tenant: MakeTenant
) -> None:
    limited = msgspec.structs.replace(
        settings, chat=msgspec.structs.replace(settings.chat, max_message_chars=120)
    )
    with serve_in_thread(limited) as host, serve_host_site(f"http://{host}") as site:
        tenant = await make_tenant(
            hours=ALWAYS_OPEN, allowed_origins=[site.origin], exit_url=site.exit_url
        )
        frame = await open_widget(page, site, tenant.slug, locale="en")
        await start_chat(frame)
        composer = frame.locator("#message")
        await expect(composer).to_have_attribute("maxlength", "120")

        # A client that ignores maxlength (a script, an old page) is told the limit.
        await composer.evaluate("box => box.removeAttribute('maxlength')")
        await composer.fill("x" * 121)
        await composer.press("Enter")
        told = locale_texts("en")["error_message_too_long"].replace("{max}", "120")
        await expect(frame.locator("#log")).to_contain_text(told)


async def test_a_waiting_visitor_hears_the_line_is_closing_then_sees_referrals_when_given_up(
    page: Page, host_site: HostSite, widget_tenant: MakeTenant, owner: Owner
) -> None:
    now = datetime.now(ZoneInfo("Europe/Paris"))
    every_day = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    tenant = await widget_tenant(
        hours=[
            {
                "days": every_day,
                "opens": (now - timedelta(hours=2)).strftime("%H:%M"),
                "closes": (now + timedelta(minutes=40)).strftime("%H:%M"),
            }
        ]
    )
    frame = await open_widget(page, host_site, tenant.slug, locale="fr")
    await start_chat(frame)
    cid = await conversation_of(owner, tenant.slug)
    texts = locale_texts("fr")

    # The cut-off grows past the time left, as an admin could make it: whoever waits is told.
    await owner.execute(
        "UPDATE organisations SET closing_cutoff_minutes = 60 WHERE slug = $1", tenant.slug
    )
    closing = texts["warning_closing"].split("{minutes}")[0]
    # The timers' next pass (every second here) sees it; a loaded machine may take longer.
    await expect(frame.locator("#log")).to_contain_text(closing, timeout=20_000)

    # The page goes silent (offline, as a phone in a tunnel) and stays so past the grace.
    went_offline = await owner.fetchval("SELECT now()")
    await page.context.set_offline(True)

    async def disconnect_seen() -> bool:
        return bool(
            await owner.fetchval(
                "SELECT visitor_seen_at >= $2 FROM conversations WHERE id = $1", cid, went_offline
            )
        )

    await eventually(disconnect_seen)
    await owner.execute(
        "UPDATE conversations SET visitor_seen_at = now() - interval '1 hour' WHERE id = $1",
        cid,
    )

    async def abandoned() -> bool:
        state = await owner.fetchval("SELECT state FROM conversations WHERE id = $1", cid)
        return bool(state == "abandoned")

    await eventually(abandoned)
    # Back online, the widget learns its place was given up, and where else to turn.
    await page.context.set_offline(False)
    await expect(frame.locator("#status")).to_have_text(texts["abandoned"], timeout=15_000)
    await expect(frame.locator("#after")).to_contain_text("3114")
