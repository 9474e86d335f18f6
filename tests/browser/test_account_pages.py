"""Staff-account pages in Chromium: turning on two-step sign-in and signing in with a code, and
an invitation from the admin page to a new colleague's first sign-in."""

from __future__ import annotations

import re
import time
from typing import Any
from urllib.parse import urlsplit

import pyotp
from playwright.async_api import Browser, ConsoleMessage, Page, expect

from tests.conftest import PASSWORD, MakeStaff, MakeTenant


def csp_violations(page: Page) -> list[str]:
    """Console errors about the Content-Security-Policy (an inline script or style, say)."""
    found: list[str] = []

    def keep(message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            found.append(message.text)

    page.on("console", keep)
    return found


async def sign_in_with_password(page: Page, email: str, password: str = PASSWORD) -> None:
    await page.get_by_label("E-mail address").fill(email)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Sign in").click()


async def test_a_listener_turns_on_two_step_sign_in_then_signs_in_with_a_code(
    browser: Browser,
    live_url: str,
    owner: Any,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
) -> None:
    tenant = await make_tenant()
    email = await make_staff(tenant.slug, "listener")
    await owner.execute("UPDATE staff_users SET locale = 'en' WHERE email = $1", email)
    context = await browser.new_context(locale="en-GB")
    page = await context.new_page()
    violations = csp_violations(page)

    await page.goto(f"{live_url}/account/")
    await expect(page).to_have_url(f"{live_url}/sign-in?next=/account/")
    await sign_in_with_password(page, email)
    await expect(page).to_have_url(f"{live_url}/account/")
    await expect(page.get_by_text("Off: only the password is asked for.")).to_be_visible()
    await page.get_by_label("Name", exact=True).fill("Sam")
    await page.locator("#profile").get_by_role("button", name="Save").click()
    await expect(page.locator("#profile .notice")).to_have_text(re.compile("^Saved."))

    await page.get_by_role("button", name="Turn on two-step sign-in").click()
    qr = page.get_by_role("img", name="QR code to scan with the authenticator app")
    await expect(qr).to_be_visible()
    assert (await qr.get_attribute("src") or "").startswith("data:image/svg+xml")
    assert await qr.evaluate("image => image.naturalWidth") > 0  # the data: URI loaded
    secret_text = page.locator("#totp-secret")
    await expect(secret_text).to_have_text(re.compile(r"^[A-Z2-7]{32}$"))
    secret = await secret_text.inner_text()
    await page.get_by_label("6-digit code shown by the app").fill("000000")
    await page.get_by_role("button", name="Confirm").click()
    await expect(page.get_by_role("alert")).to_contain_text("This code is not valid")
    await page.get_by_label("6-digit code shown by the app").fill(pyotp.TOTP(secret).now())
    await page.get_by_role("button", name="Confirm").click()

    codes = page.locator("#recovery-codes li")
    await expect(codes).to_have_count(10)
    await expect(codes.first).to_have_text(re.compile(r"^[a-z2-9]{4}(-[a-z2-9]{4}){3}$"))
    await expect(page.get_by_text("On: a code from your app is asked for")).to_be_visible()
    await page.get_by_role("button", name="I have saved my codes").click()
    await expect(codes).to_have_count(0)
    await expect(page.locator("#codes-left")).to_have_text("10")

    await page.get_by_role("button", name="Sign out").click()
    await expect(page).to_have_url(f"{live_url}/sign-in")
    await sign_in_with_password(page, email)
    await expect(page.get_by_role("heading", name="Two-step sign-in")).to_be_visible()
    await expect(page.get_by_label("E-mail address")).to_be_hidden()
    assert not {c["name"] for c in await context.cookies()} & {"havre_access", "havre_refresh"}
    code = page.get_by_label("Authenticator app code, or a recovery code")
    await code.fill("111111")
    await page.get_by_role("button", name="Verify").click()
    await expect(page.locator("#second-step-error")).to_contain_text("This code is not valid")
    # The next time step: the one used to confirm the enrolment cannot be used again.
    await code.fill(pyotp.TOTP(secret).at(time.time() + 30))
    await page.get_by_role("button", name="Verify").click()

    await expect(page).to_have_url(f"{live_url}/console/")
    await expect(page.get_by_text(email)).to_be_visible()
    assert violations == []
    await context.close()


async def test_an_owner_invites_a_colleague_who_creates_an_account_and_lands_in_the_console(
    browser: Browser,
    live_url: str,
    owner: Any,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
) -> None:
    tenant = await make_tenant()
    tenant_owner = await make_staff(tenant.slug, "owner")
    await owner.execute("UPDATE staff_users SET locale = 'en' WHERE email = $1", tenant_owner)
    newcomer = f"newcomer-{int(time.time() * 1000)}@example.org"
    admin_context = await browser.new_context(locale="en-GB")
    admin = await admin_context.new_page()
    violations = csp_violations(admin)

    await admin.goto(f"{live_url}/admin/{tenant.slug}/staff")
    await sign_in_with_password(admin, tenant_owner)
    await expect(admin).to_have_url(f"{live_url}/admin/{tenant.slug}/staff")
    await expect(admin.get_by_role("cell", name=tenant_owner).first).to_be_visible()
    invite_form = admin.locator("#invite-form")
    await invite_form.get_by_label("E-mail address").fill(newcomer)
    await invite_form.get_by_label("Role").select_option("supervisor")
    await invite_form.get_by_label("General").check()
    await invite_form.get_by_role("button", name="Invite").click()
    link_box = admin.locator("#invite-link")
    # The link names HAVRE_PUBLIC_URL; the live test server listens on a port of its own.
    await expect(link_box).to_have_value(re.compile(r"^http://[^/]+/invite/[A-Za-z0-9_-]{40,}$"))
    link = live_url + urlsplit(await link_box.input_value()).path
    await admin.get_by_role("button", name="Copy the link").click()
    await expect(admin.locator("#invite-copied")).to_have_text("Link copied.")
    await expect(admin.locator("#invitations")).to_contain_text(newcomer)

    guest_context = await browser.new_context(locale="en-GB")
    guest = await guest_context.new_page()
    guest_violations = csp_violations(guest)
    await guest.goto(link)
    await expect(
        guest.get_by_text(f"You are invited to join {tenant.name} on Havre")
    ).to_be_visible()
    hostile_name = 'Camille <img src=x onerror="window.pwned=1"> {{ 7*7 }}'
    await guest.get_by_label("Your name (seen by your colleagues)").fill(hostile_name)
    password = guest.get_by_label("Password (at least 12 characters)")
    await password.fill("short")
    await guest.get_by_role("button", name="Create my account and join").click()
    await expect(guest.get_by_role("alert")).to_have_text(
        "The password must be at least 12 characters long."
    )
    await password.fill("a long new passphrase")
    await guest.get_by_label("Language").select_option("en")
    await guest.get_by_role("button", name="Create my account and join").click()
    await expect(guest).to_have_url(f"{live_url}/console/")
    await expect(guest.get_by_text(newcomer)).to_be_visible()

    await admin.reload()
    row = admin.get_by_role("row").filter(has_text=newcomer)
    await expect(row).to_contain_text(hostile_name)  # shown as text, not markup
    assert await admin.evaluate("window.pwned") is None
    await expect(row.get_by_role("combobox").first).to_have_value("supervisor")
    await expect(row.get_by_role("checkbox", name="General")).to_be_checked()  # not Ctrl-click
    await expect(admin.locator("#invitations")).to_contain_text("No pending invitation.")
    await row.get_by_label(re.compile("^Chats at once")).fill("3")
    await row.get_by_role("button", name="Save").click()
    await expect(admin.locator("#members-status")).to_have_text("Saved.")
    row = admin.get_by_role("row").filter(has_text=newcomer)
    await expect(row.get_by_label(re.compile("^Chats at once"))).to_have_value("3")
    await row.get_by_label(re.compile("^Chats at once")).fill("30")
    await row.get_by_role("button", name="Save").click()
    await expect(row.get_by_role("alert")).to_have_text(
        "Capacity is 1 to 20 chats (empty: the line's default)."
    )
    admin.on("dialog", lambda dialog: dialog.accept())
    await row.get_by_role("button", name="Deactivate").click()
    await expect(row).to_contain_text("deactivated")
    await expect(row.get_by_role("button", name="Reactivate")).to_be_visible()
    assert violations == []
    assert guest_violations == []
    await guest_context.close()
    await admin_context.close()
