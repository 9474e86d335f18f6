"""A listener signs in through the real page in Chromium: cookies, CSRF and sign-out."""

from __future__ import annotations

from playwright.async_api import Browser, expect

from tests.conftest import PASSWORD, MakeStaff, MakeTenant


async def test_listener_signs_in_sees_their_line_and_signs_out(
    browser: Browser, live_url: str, make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    tenant = await make_tenant()
    email = await make_staff(tenant.slug, "listener")
    context = await browser.new_context(locale="fr-FR")
    page = await context.new_page()

    await page.goto(f"{live_url}/console/")
    await expect(page).to_have_url(f"{live_url}/sign-in?next=/console/")
    await page.get_by_label("Adresse e-mail").fill(email)
    await page.get_by_label("Mot de passe").fill(PASSWORD)
    await page.get_by_role("button", name="Se connecter").click()

    await expect(page).to_have_url(f"{live_url}/console/")
    await expect(page.get_by_text(email)).to_be_visible()
    await expect(page.get_by_text(tenant.name)).to_be_visible()
    cookies = {c["name"]: c for c in await context.cookies()}
    assert cookies["havre_access"]["httpOnly"] is True
    assert cookies["havre_access"]["secure"] is True

    await page.get_by_role("button", name="Se déconnecter").click()
    await expect(page).to_have_url(f"{live_url}/sign-in")
    await page.goto(f"{live_url}/console/")
    await expect(page).to_have_url(f"{live_url}/sign-in?next=/console/")
    await context.close()


async def test_wrong_password_shows_the_error_in_the_visitor_language(
    browser: Browser, live_url: str, make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    tenant = await make_tenant()
    email = await make_staff(tenant.slug, "listener")
    context = await browser.new_context(locale="en-GB")
    page = await context.new_page()
    await page.goto(f"{live_url}/sign-in")
    await page.get_by_label("E-mail address").fill(email)
    await page.get_by_label("Password").fill("not the password")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("alert")).to_contain_text("Wrong e-mail address or password")
    await expect(page).to_have_url(f"{live_url}/sign-in")
    await context.close()


async def test_a_session_survives_an_expired_access_cookie_through_refresh(
    browser: Browser, live_url: str, make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    tenant = await make_tenant()
    email = await make_staff(tenant.slug, "supervisor")
    context = await browser.new_context(locale="en-GB")
    page = await context.new_page()
    await page.goto(f"{live_url}/sign-in")
    await page.get_by_label("E-mail address").fill(email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page).to_have_url(f"{live_url}/console/")

    await context.clear_cookies(name="havre_access")
    await page.goto(f"{live_url}/console/")
    # The sign-in page uses the refresh cookie and returns without asking again.
    await expect(page).to_have_url(f"{live_url}/console/")
    await expect(page.get_by_text(email)).to_be_visible()
    await context.close()
