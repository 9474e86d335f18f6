"""Every staff page fits its screen: each admin section, the console, supervision and the account
page leave no horizontal scroll at 1280 px, and the page header (brand, navigation, language,
sign-out) fits a 375 px phone, in French and English."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.async_api import Browser, Page, expect

from tests.conftest import PASSWORD, MakeStaff, MakeTenant

ADMIN_SECTIONS = ("", "branding", "hours", "teams", "referrals", "replies", "staff", "widget",
                  "privacy", "audit", "dashboard")  # fmt: skip
TEAMS = [
    {"slug": "nuit", "name": "Écoute de nuit des étudiantes et étudiants", "languages": ["fr"]},
    {"slug": "jour", "name": "Permanence de jour", "languages": ["fr", "en"]},
    {"slug": "english", "name": "English-speaking listeners", "languages": ["en"]},
]
LONG_EMAILS = [
    "camille.dupont-de-la-fontaine.benevole@association-ecoute-etudiante.example",
    "jean-baptiste.marchand-lefebvre@service-de-sante-universitaire.example",
]


async def signed_in(browser: Browser, live_url: str, email: str, width: int, height: int) -> Page:
    context = await browser.new_context(viewport={"width": width, "height": height})
    page = await context.new_page()
    await page.goto(f"{live_url}/sign-in?next=/account/")
    await page.locator("input[type=email]").fill(email)
    await page.locator("input[type=password]").fill(PASSWORD)
    await page.locator("form button[type=submit]").first.click()
    await expect(page).to_have_url(f"{live_url}/account/")
    return page


async def busy_line(owner: Any, make_tenant: MakeTenant, make_staff: MakeStaff) -> tuple[str, str]:
    """A line with several teams, staff with long addresses and a filled audit log; returns its
    slug and an owner's e-mail (the owner sees every link of the header)."""
    tenant = await make_tenant(teams=TEAMS)
    email = await make_staff(tenant.slug, "owner", "owner.responsable-de-la-ligne@" + tenant.slug)
    await owner.execute(
        "UPDATE staff_users SET display_name = 'Dominique Responsable de la ligne' "
        "WHERE email = $1",
        email,
    )
    for address, role in zip(LONG_EMAILS, ("listener", "supervisor"), strict=True):
        await make_staff(tenant.slug, role, address.replace("@", f".{tenant.slug}@"))
    org = await owner.fetchval("SELECT id FROM organisations WHERE slug = $1", tenant.slug)
    actor = await owner.fetchval("SELECT id FROM staff_users WHERE email = $1", email)
    changes = [
        {"field": "branding.primary_color", "from": "#1f4e79", "to": "#ffee00"},
        {"field": "teams", "from": [t["name"] for t in TEAMS], "to": [TEAMS[0]["name"]]},
    ]
    for n in range(30):
        await owner.execute(
            "INSERT INTO audit_log (organisation_id, actor_id, action, target, details) "
            "VALUES ($1, $2, $3, $4, $5)",
            org,
            actor,
            ("settings.teams", "staff.role_changed", "staff.sign_in")[n % 3],
            (tenant.slug, LONG_EMAILS[0], "")[n % 3],
            ({"changes": changes}, {"from": "listener", "to": "supervisor"}, {})[n % 3],
        )
    return tenant.slug, email


def pages_of(slug: str) -> list[str]:
    admin = [f"/admin/{slug}/{section}" for section in ADMIN_SECTIONS]
    return [*admin, "/console/", "/console/supervision", "/account/"]


async def opened(page: Page, url: str) -> None:
    await page.goto(url)
    await page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("lang", ["fr", "en"])
async def test_every_staff_page_fits_1280_pixels(
    browser: Browser,
    live_url: str,
    owner: Any,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
    lang: str,
) -> None:
    slug, email = await busy_line(owner, make_tenant, make_staff)
    page = await signed_in(browser, live_url, email, 1280, 800)

    too_wide: dict[str, int] = {}
    for path in pages_of(slug):
        await opened(page, f"{live_url}{path}?lang={lang}")
        await expect(page.locator("main")).to_be_visible()
        width = await page.evaluate("document.documentElement.scrollWidth")
        if width > 1280:
            too_wide[path] = width

    assert not too_wide, f"wider than 1280 px: {too_wide}"
    await page.context.close()


@pytest.mark.parametrize("lang", ["fr", "en"])
async def test_the_header_fits_a_375_pixel_phone(
    browser: Browser,
    live_url: str,
    owner: Any,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
    lang: str,
) -> None:
    slug, email = await busy_line(owner, make_tenant, make_staff)
    page = await signed_in(browser, live_url, email, 375, 667)

    overflowing: dict[str, dict[str, int]] = {}
    for path in pages_of(slug):
        await opened(page, f"{live_url}{path}?lang={lang}")
        header = page.locator("header.bar")
        await expect(header.locator("#sign-out")).to_be_attached()
        sizes: dict[str, int] = await header.evaluate(
            """header => ({
                header_scroll: header.scrollWidth,
                header_client: header.clientWidth,
                document: document.documentElement.scrollWidth,
            })"""
        )
        if sizes["header_scroll"] > sizes["header_client"] or sizes["document"] > 375:
            overflowing[path] = sizes

    assert not overflowing, f"overflowing at 375 px: {overflowing}"
    await page.context.close()
