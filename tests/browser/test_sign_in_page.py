"""A listener signs in through the real page in Chromium: cookies, CSRF and sign-out."""

from __future__ import annotations

from playwright.async_api import Browser, Route, expect

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
    bodies: list[str] = []

    async def relay(route: Route) -> None:
        # What the page's scripts receive, kept before the page goes on (and navigates away).
        response = await route.fetch()
        bodies.append(await response.text())
        await route.fulfill(response=response)

    await page.route(f"{live_url}/api/auth/**", relay)
    async with page.expect_response(f"{live_url}/api/auth/sign-in"):
        await page.get_by_role("button", name="Sign in").click()
    await expect(page).to_have_url(f"{live_url}/console/")
    tokens = {c["value"] for c in await context.cookies() if c["name"].startswith("havre_")}

    await context.clear_cookies(name="havre_access")
    async with page.expect_response(f"{live_url}/api/auth/refresh"):
        await page.goto(f"{live_url}/console/")
    # The sign-in page uses the refresh cookie and returns without asking again.
    await expect(page).to_have_url(f"{live_url}/console/")
    await expect(page.get_by_text(email)).to_be_visible()
    tokens |= {c["value"] for c in await context.cookies() if c["name"].startswith("havre_")}
    # What the page's scripts could read holds no token: only the httpOnly cookies do.
    assert len(bodies) >= 2  # the sign-in and the refresh
    for body in bodies:
        assert "token" not in body
        assert not any(value in body for value in tokens if len(value) > 20)
    await context.close()
