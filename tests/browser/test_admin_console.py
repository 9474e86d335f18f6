"""An admin in Chromium: branding with the live preview (the real widget in preview mode) and
the contrast warning, opening hours with what a visitor reads now, field errors next to the
field, keyboard reordering of referrals and a referral edited in place; the public widget config
then shows the changes."""

from __future__ import annotations

from typing import Any

import httpx
import msgspec
import pytest
from playwright.async_api import Browser, Page, expect
from playwright.async_api import Error as PlaywrightError

from server.referrals.defaults import national_referrals
from server.tenants.files import read_tenant
from server.tenants.structs import ReferralName
from tests.conftest import PASSWORD, MakeStaff, MakeTenant


async def english_admin(owner: Any, make_staff: MakeStaff, slug: str) -> str:
    """An admin whose own language is English (the console follows it over the browser's)."""
    email = await make_staff(slug, "admin")
    await owner.execute("UPDATE staff_users SET locale = 'en' WHERE email = $1", email)
    return email


async def signed_in_admin(browser: Browser, live_url: str, email: str, next_path: str) -> Page:
    context = await browser.new_context(locale="en-GB")
    page = await context.new_page()
    await page.goto(f"{live_url}{next_path}")
    await expect(page).to_have_url(f"{live_url}/sign-in?next={next_path}")
    await page.get_by_label("E-mail address").fill(email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page).to_have_url(f"{live_url}{next_path}")
    await scripts_ready(page)
    return page


async def scripts_ready(page: Page) -> None:
    """A settings page answers clicks once its module has run: form.js enables Save last,
    after the rows' buttons are wired (a click before that would do nothing)."""
    save = page.locator(".form-actions button[type=submit]")
    if await save.count():
        await expect(save.first).to_be_enabled()


async def widget_config(live_url: str, slug: str) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=live_url) as http:
        response = await http.get(f"/api/widget/{slug}/config", params={"locale": "en"})
    assert response.status_code == 200
    config: dict[str, Any] = response.json()
    return config


async def test_admin_changes_branding_and_hours_and_the_widget_shows_them(
    browser: Browser,
    live_url: str,
    owner: Any,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
) -> None:
    tenant = await make_tenant(hours=[], allowed_origins=[])
    email = await english_admin(owner, make_staff, tenant.slug)
    page = await signed_in_admin(browser, live_url, email, f"/admin/{tenant.slug}/branding")
    preview = page.frame_locator("#widget-preview")
    sample = preview.locator("#launcher-sample")
    await expect(sample).to_have_css("background-color", "rgb(31, 78, 121)")  # #1f4e79
    await expect(page.locator("#contrast-ok")).to_be_visible()

    # Unsaved colours reach the preview at once; a pale pair gets the contrast warning.
    await page.locator("#primary_color").fill("#ffff00")
    await page.locator("[data-name='branding.launcher_label.fr']").fill("Parler")
    await page.locator("[data-name='branding.launcher_label.en']").fill("Talk to us")
    await expect(sample).to_have_css("background-color", "rgb(255, 255, 0)")
    await expect(sample).to_have_text("Talk to us")
    warning = page.locator("#contrast-warnings li[data-code='text_on_primary_low_contrast']")
    await expect(warning).to_contain_text("WCAG AA")
    await expect(page.locator("#contrast-ok")).to_be_hidden()

    await page.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("status").filter(has_text="Changes saved.")).to_be_visible()
    await expect(warning).to_be_visible()  # still true of the saved colours
    config = await widget_config(live_url, tenant.slug)
    assert config["branding"]["primary_color"] == "#ffff00"
    assert config["branding"]["launcher_label"] == {"fr": "Parler", "en": "Talk to us"}

    # Opening hours: closed (no slot), then open around the clock.
    await page.get_by_role("link", name="Opening hours").click()
    await scripts_ready(page)
    await expect(page.locator("#hours-now-en")).to_have_text("Closed for now")
    await page.get_by_role("button", name="Add a slot").click()
    slot = page.locator("[data-list=hours] > [data-row]").last
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"):
        await slot.get_by_label(day).check()
    await slot.get_by_label("Opens").fill("00:00")
    await slot.get_by_label("Closes").fill("00:00")
    await slot.get_by_label("Closes").dispatch_event("change")
    await expect(page.locator("#hours-now-en")).to_have_text("Open now")
    await expect(page.locator("#hours-now-fr")).to_have_text("Ouvert en ce moment")

    await page.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("status").filter(has_text="Changes saved.")).to_be_visible()
    await expect(page.locator("#hours-state")).to_have_text("Open")
    config = await widget_config(live_url, tenant.slug)
    assert config["open"] is True
    assert config["hours"]["en"] == "Open now"

    # The real chat page, as a visitor gets it: the saved colour, and open (the pre-chat form).
    chat = await page.context.new_page()
    await chat.goto(f"{live_url}/w/{tenant.slug}?locale=en")
    await expect(chat.locator("header")).to_have_css(
        "background-color", "rgb(255, 255, 0)", timeout=10_000
    )
    await expect(chat.locator("#consent")).to_be_visible()
    await page.context.close()


async def test_refused_values_are_shown_next_to_their_field(
    browser: Browser,
    live_url: str,
    owner: Any,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
) -> None:
    tenant = await make_tenant(retention_days=90)
    email = await english_admin(owner, make_staff, tenant.slug)
    page = await signed_in_admin(browser, live_url, email, f"/admin/{tenant.slug}/privacy")
    field = page.get_by_label("How long conversations are kept (days)")

    await field.fill("0")
    await page.get_by_role("button", name="Save").click()

    error = page.locator(".field-error[data-for='retention_days']")
    await expect(error).to_have_text("At least 1.")
    await expect(field).to_have_attribute("aria-invalid", "true")
    await expect(field).to_be_focused()
    await field.fill("30")
    await page.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("status").filter(has_text="Changes saved.")).to_be_visible()
    await expect(field).to_have_value("30")
    await page.goto(f"{live_url}/admin/{tenant.slug}/")
    await expect(page.locator("#retention")).to_have_text("Conversations kept for: 30 days")
    await page.context.close()


async def test_referrals_are_reordered_with_the_keyboard(
    browser: Browser,
    live_url: str,
    owner: Any,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
) -> None:
    referrals = [
        {"key": "first", "name": "First line", "phone": "3114"},
        {"key": "second", "name": "Second line", "phone": "112"},
    ]
    tenant = await make_tenant(referrals=referrals)
    email = await english_admin(owner, make_staff, tenant.slug)
    page = await signed_in_admin(browser, live_url, email, f"/admin/{tenant.slug}/referrals")
    rows = page.locator("[data-list=referrals] > [data-row]")
    up = rows.nth(1).get_by_role("button", name="Move up")

    await up.focus()
    await page.keyboard.press("Enter")

    await expect(rows.nth(0).locator("[data-summary=name]")).to_have_text("Second line")
    await expect(rows.nth(0).get_by_role("button", name="Move up")).to_be_focused()
    await page.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("status").filter(has_text="Changes saved.")).to_be_visible()
    config = await widget_config(live_url, tenant.slug)
    assert [r["key"] for r in config["referrals"]] == ["second", "first"]
    await page.context.close()


async def test_a_referral_is_edited_in_place_with_its_english_name_and_topics(
    browser: Browser,
    live_url: str,
    owner: Any,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
) -> None:
    referrals = [
        {"key": "first", "name": "Première ligne", "phone": "3114", "topics": ["night-owls"]},
        {"key": "samu", "name": "SAMU — 15", "phone": "15", "emergency": True},
    ]
    tenant = await make_tenant(referrals=referrals)
    email = await english_admin(owner, make_staff, tenant.slug)
    page = await signed_in_admin(browser, live_url, email, f"/admin/{tenant.slug}/referrals")
    rows = page.locator("[data-list=referrals] > [data-row]")
    first, samu = rows.nth(0), rows.nth(1)

    # One line per referral, every form closed.
    await expect(page.locator("[data-form]:visible")).to_have_count(0)
    await expect(samu.locator("[data-summary=name]")).to_have_text("SAMU — 15")
    await expect(samu.locator("[data-summary=ways]")).to_have_text("Tel. 15")
    await expect(samu.locator("[data-summary=emergency]")).to_have_text("Emergency")
    await expect(first.locator("[data-summary=emergency]")).to_be_hidden()

    # A topic outside the vocabulary stays ticked; opening another row closes this one.
    await first.get_by_role("button", name="Edit").click()
    await expect(first.get_by_label("night owls")).to_be_checked()
    await samu.get_by_role("button", name="Edit").click()
    await expect(first.locator("[data-form]")).to_be_hidden()
    await expect(samu.get_by_role("button", name="Edit")).to_have_attribute("aria-expanded", "true")
    await expect(samu.get_by_label("Name in French")).to_be_focused()
    await samu.get_by_label("Name in English").fill("SAMU — 15, medical emergencies")
    await samu.get_by_label("Medical emergency", exact=True).check()
    # The line follows, in the admin's language; then it moves up, form and all.
    await expect(samu.locator("[data-summary=name]")).to_have_text("SAMU — 15, medical emergencies")
    await samu.get_by_role("button", name="Move up").click()
    await expect(rows.nth(0).get_by_label("Name in English")).to_have_value(
        "SAMU — 15, medical emergencies"
    )

    # A new referral comes open at the end of the list.
    await page.get_by_role("button", name="Add a referral").click()
    added = rows.nth(2)
    await expect(added.get_by_label("Name in French")).to_be_focused()
    await expect(rows.nth(0).locator("[data-form]")).to_be_hidden()
    await added.get_by_label("Name in French").fill("Nightline Paris")
    await added.get_by_label("Website").fill("https://www.nightline.fr")
    await expect(added.locator("[data-summary=ways]")).to_have_text("nightline.fr")

    await page.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("status").filter(has_text="Changes saved.")).to_be_visible()
    saved = await read_tenant(owner, tenant.slug)
    assert saved is not None
    assert [(r.key, r.name, r.topics) for r in saved.referrals] == [
        ("samu", ReferralName(fr="SAMU — 15", en="SAMU — 15, medical emergencies"), ["medical"]),
        ("first", "Première ligne", ["night-owls"]),
        ("nightline-paris", "Nightline Paris", []),
    ]
    english = await widget_config(live_url, tenant.slug)
    async with httpx.AsyncClient(base_url=live_url) as http:
        french = (await http.get(f"/api/widget/{tenant.slug}/config?locale=fr")).json()
    assert [r["name"] for r in english["referrals"]][:2] == [
        "SAMU — 15, medical emergencies",
        "Première ligne",
    ]
    assert [r["name"] for r in french["referrals"]][:2] == ["SAMU — 15", "Première ligne"]

    # A refused value reopens its row and is shown by its field, even from a closed form.
    first = rows.nth(1)
    await first.get_by_role("button", name="Edit").click()
    await first.get_by_label("Name in French").fill("")
    await first.get_by_role("button", name="Close the form").click()
    await expect(first.get_by_role("button", name="Edit")).to_be_focused()
    await expect(first.locator("[data-summary=name]")).to_have_text("New referral")
    await page.get_by_role("button", name="Save").click()
    error = first.locator(".field-error[data-for='referrals[1].name.fr']")
    await expect(error).to_have_text("This field is required.")
    await expect(first.get_by_label("Name in French")).to_be_focused()
    assert await read_tenant(owner, tenant.slug) == saved
    await page.context.close()


async def test_referral_reset_gives_the_national_list_named_in_the_admin_s_language(
    browser: Browser,
    live_url: str,
    owner: Any,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
) -> None:
    tenant = await make_tenant()
    email = await english_admin(owner, make_staff, tenant.slug)
    page = await signed_in_admin(browser, live_url, email, f"/admin/{tenant.slug}/referrals")
    asked: list[str] = []

    async def accept(dialog: Any) -> None:
        asked.append(dialog.type)
        await dialog.accept()

    page.on("dialog", accept)
    await page.get_by_role("button", name="Reset to the national defaults").click()

    await expect(page.get_by_role("status").filter(has_text="Changes saved.")).to_be_visible()
    names = page.locator("[data-list=referrals] [data-summary=name]")
    await expect(names).to_have_count(len(national_referrals()))
    await expect(names.first).to_have_text("3114 — French national suicide prevention line")
    await expect(names.nth(4)).to_have_text("SOS Amitié")
    assert asked == ["confirm"]
    await page.context.close()


@pytest.mark.parametrize("lang", ["fr", "en"])
async def test_the_referral_list_fits_a_1280_pixel_screen(
    browser: Browser,
    live_url: str,
    owner: Any,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
    lang: str,
) -> None:
    referrals = [msgspec.to_builtins(r) for r in national_referrals()]
    referrals[4]["url"] = "https://www.sos-amitie.com/" + "tres-long-chemin-" * 20
    tenant = await make_tenant(referrals=referrals)
    email = await english_admin(owner, make_staff, tenant.slug)
    page = await signed_in_admin(browser, live_url, email, f"/admin/{tenant.slug}/referrals")
    await page.set_viewport_size({"width": 1280, "height": 800})
    await page.goto(f"{live_url}/admin/{tenant.slug}/referrals?lang={lang}")
    await scripts_ready(page)
    row = page.locator("[data-list=referrals] > [data-row]").nth(4)
    width = "document.documentElement.scrollWidth"

    assert await page.evaluate(width) <= 1280
    await row.locator("[data-action=edit]").click()
    await expect(row.locator("[data-form]")).to_be_visible()
    assert await page.evaluate(width) <= 1280
    await page.context.close()


HOSTILE = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>{{ 7*7 }}'


async def test_hostile_strings_in_every_field_stay_text(
    browser: Browser,
    live_url: str,
    owner: Any,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
) -> None:
    tenant = await make_tenant(
        name=HOSTILE,
        branding={"welcome": {"fr": HOSTILE, "en": HOSTILE}},
        teams=[{"slug": "general", "name": HOSTILE, "topics": ["x"]}],
        exceptions=[{"date": "2026-12-24", "label": {"fr": HOSTILE, "en": HOSTILE}}],
        referrals=[
            {
                "key": "x",
                "name": HOSTILE,
                "url": "https://example.org/",
                "description": {"fr": HOSTILE, "en": HOSTILE},
                "hours": {"fr": HOSTILE, "en": HOSTILE},
            }
        ],
        canned_replies=[{"key": "x", "locale": "fr", "title": HOSTILE, "body": HOSTILE}],
    )
    email = await english_admin(owner, make_staff, tenant.slug)
    page = await signed_in_admin(browser, live_url, email, f"/admin/{tenant.slug}/")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.message))

    for section in ["", "branding", "hours", "teams", "referrals", "replies", "widget", "privacy"]:
        await page.goto(f"{live_url}/admin/{tenant.slug}/{section}")
        await expect(page.locator(".admin-nav-tenant strong")).to_have_text(HOSTILE)
        assert await page.evaluate("window.__xss") is None, section
        assert await page.locator("main img, main script").count() == 0, section
    await page.goto(f"{live_url}/admin/")
    await expect(page.get_by_role("link", name=HOSTILE)).to_be_visible()
    assert await page.evaluate("window.__xss") is None
    assert dialogs == []
    await page.context.close()


async def test_admin_adds_a_team_with_a_member_and_a_reply_in_english(
    browser: Browser,
    live_url: str,
    owner: Any,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
) -> None:
    tenant = await make_tenant()
    listener = await make_staff(tenant.slug, "listener")
    email = await english_admin(owner, make_staff, tenant.slug)
    page = await signed_in_admin(browser, live_url, email, f"/admin/{tenant.slug}/teams")

    await page.get_by_label("Automatic: given to the least busy available listener").check()
    await page.get_by_role("button", name="Add a team").click()
    team = page.locator("[data-list=teams] > [data-row]").last
    await team.get_by_label("Team name").fill("Nuit anglophone")
    await team.get_by_label("English", exact=True).check()
    # Ticking a topic for the line offers it, and only the line's topics, to its teams.
    await page.locator("#line-topics").get_by_label("Anxiety", exact=True).check()
    await expect(team.locator(".topics input")).to_have_count(1)
    await team.locator(".topics").get_by_label("Anxiety", exact=True).check()
    await team.get_by_label("Who answers (French)").fill("une bénévole de nuit")
    await team.get_by_label("Who answers (English)").fill("a night volunteer")
    await team.get_by_label(listener).check()
    await page.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("status").filter(has_text="Changes saved.")).to_be_visible()
    saved = page.locator("[data-list=teams] > [data-row]").last
    await expect(saved.get_by_label("Team name")).to_have_value("Nuit anglophone")
    await expect(saved.get_by_label(listener)).to_be_checked()

    await page.get_by_role("link", name="Canned replies").click()
    await scripts_ready(page)
    english = page.locator("section", has=page.get_by_role("heading", name="In English"))
    await english.get_by_role("button", name="Add a reply").click()
    reply = english.locator("[data-list=en] > [data-row]").last
    await reply.get_by_label("Title").fill("Goodbye")
    await page.get_by_role("button", name="Save").click()
    await expect(reply.locator(".field-error")).to_have_text("This field is required.")
    await expect(reply.get_by_label("Message")).to_be_focused()
    await reply.get_by_label("Message").fill("Thank you for writing tonight.")
    await page.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("status").filter(has_text="Changes saved.")).to_be_visible()

    stored_routing = await owner.fetchval(
        "SELECT routing_mode FROM organisations WHERE slug = $1", tenant.slug
    )
    members = await owner.fetch(
        "SELECT s.email FROM team_members m JOIN teams t ON t.id = m.team_id"
        " JOIN staff_users s ON s.id = m.staff_id WHERE t.slug = 'nuit-anglophone'"
    )
    replies = await owner.fetch(
        "SELECT c.key, c.locale FROM canned_replies c JOIN organisations o"
        " ON o.id = c.organisation_id WHERE o.slug = $1 ORDER BY c.key, c.locale",
        tenant.slug,
    )
    assert stored_routing == "auto"
    assert [m["email"] for m in members] == [listener]
    line = await read_tenant(owner, tenant.slug)
    assert line is not None
    assert line.topics == ["anxiety"]
    [saved_team] = [t for t in line.teams if t.name == "Nuit anglophone"]
    assert saved_team.topics == ["anxiety"]
    assert saved_team.role_word is not None
    assert saved_team.role_word.en == "a night volunteer"
    assert [(r["key"], r["locale"]) for r in replies] == [
        ("goodbye", "en"),
        ("hello", "en"),
        ("hello", "fr"),
    ]
    await page.context.close()


async def test_an_invalid_website_is_explained_next_to_the_field_and_leaving_asks_first(
    browser: Browser,
    live_url: str,
    owner: Any,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
) -> None:
    tenant = await make_tenant(allowed_origins=["https://partner.example"])
    email = await english_admin(owner, make_staff, tenant.slug)
    page = await signed_in_admin(browser, live_url, email, f"/admin/{tenant.slug}/widget")
    websites = page.locator("[data-name=allowed_origins]")
    # Typed as a person does (a click, then keys): the browser then lets the page ask before
    # it is left, which it refuses to pages nobody interacted with.
    await websites.click()
    await page.keyboard.press("End")
    await page.keyboard.type("\nwww.no-scheme.example")
    await page.locator("#widget-form button[type=submit]").click()

    error = page.locator("#widget-form .field-error")
    await expect(error).to_contain_text("www.no-scheme.example")
    await expect(websites).to_have_attribute("aria-invalid", "true")
    stored = await owner.fetchval(
        "SELECT allowed_origins FROM organisations WHERE slug = $1", tenant.slug
    )
    assert list(stored) == ["https://partner.example"]  # nothing changed

    # The change is not saved: leaving the page asks first.
    asked: list[str] = []

    async def answer(dialog: Any) -> None:
        asked.append(dialog.type)
        await dialog.dismiss()

    page.on("dialog", answer)
    with pytest.raises(PlaywrightError, match="ERR_ABORTED"):  # the admin chose to stay
        await page.goto(f"{live_url}/admin/{tenant.slug}/branding")
    assert asked == ["beforeunload"]
    await expect(page).to_have_url(f"{live_url}/admin/{tenant.slug}/widget")
    await page.context.close()
