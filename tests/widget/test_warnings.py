"""The visitor sees the session-time warnings, worded by the locale files: the session limit
is near, and a silent visitor is about to be ended (driven by the live server's timers)."""

from __future__ import annotations

import re
import uuid

import asyncpg
import pytest
from playwright.async_api import Page, expect

from tests.conftest import MakeTenant
from tests.conversations.conftest import OpenListener
from tests.widget.conftest import HostSite, locale_texts, open_widget, start_chat


def worded(template: str) -> re.Pattern[str]:
    """The locale text with any number of minutes in place of {minutes}."""
    return re.compile("^" + re.escape(template).replace(re.escape("{minutes}"), r"\d+") + "$")


@pytest.mark.parametrize("locale", ["fr", "en"])
async def test_visitor_sees_the_session_ending_and_inactivity_warnings(
    page: Page,
    host_site: HostSite,
    widget_tenant: MakeTenant,
    open_listener: OpenListener,
    owner: asyncpg.Connection[asyncpg.Record],
    locale: str,
) -> None:
    texts = locale_texts(locale)
    # The line's own word for who answers, in both languages.
    tenant = await widget_tenant(
        teams=[{"slug": "general", "name": "General", "languages": ["fr", "en"]}],
        branding={"role_word": {"fr": "une psychologue du service", "en": "a psychologist"}},
    )
    listener = await open_listener(tenant.slug)
    frame = await open_widget(page, host_site, tenant.slug, locale=locale)
    consent = {"fr": "avec une psychologue du service,", "en": "with a psychologist,"}[locale]
    await expect(frame.locator("label[for=consent]")).to_contain_text(consent)
    await start_chat(frame)
    snapshot = await listener.next(
        lambda f: f["type"] == "queue_snapshot" and len(f["entries"]) > 0
    )
    cid = snapshot["entries"][0]["conversation_id"]
    await listener.send({"type": "claim", "conversation_id": cid})
    await expect(frame.locator("#status")).to_have_text(
        {"fr": "Une psychologue du service est avec vous.", "en": "A psychologist is with you."}[
            locale
        ]
    )
    warnings = frame.locator(".msg.warning p")

    # Four minutes left: the next timer pass warns both sides.
    await owner.execute(
        "UPDATE conversations SET session_ends_at = now() + interval '4 minutes' WHERE id = $1",
        uuid.UUID(cid),
    )
    await expect(warnings).to_have_count(1, timeout=10000)
    await expect(warnings.nth(0)).to_have_text(worded(texts["warning_session_ending"]))
    assert "4" in await warnings.nth(0).inner_text()

    # The visitor has been silent for 14 of the 15 minutes the tenant allows.
    await owner.execute(
        "UPDATE conversations SET last_visitor_at = now() - interval '14 minutes' WHERE id = $1",
        uuid.UUID(cid),
    )
    await expect(warnings).to_have_count(2, timeout=10000)
    await expect(warnings.nth(1)).to_have_text(worded(texts["warning_inactivity"]))
    assert await frame.locator("#log").get_attribute("aria-live") == "polite"
