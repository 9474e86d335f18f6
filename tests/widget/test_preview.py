"""Preview mode: the admin console (a page on Havre's own origin) frames /w/SLUG?preview=1
and posts unsaved branding; the real views follow it, and no conversation or socket is ever
opened. A page on another origin cannot drive it."""

from __future__ import annotations

import asyncpg
from playwright.async_api import Frame, Page, expect

from tests.conftest import MakeTenant
from tests.widget.conftest import HostSite
from tests.widget.test_colours import colours

ADMIN_PAGE = "/__admin-branding-test__"
OVERRIDE = {
    "primary_color": "#8b0000",
    "text_color": "#ffffff",
    "position": "left",
    "welcome": {"fr": "Bienvenue, prenez votre temps.", "en": "Welcome, take your time."},
    "launcher_label": {"fr": "Écrire", "en": "Write"},
    "logo_url": None,
}
POST = """([override, origin]) => document.querySelector("iframe").contentWindow
    .postMessage({event: "havre:preview", payload: override}, origin)"""


async def framed_preview(page: Page, parent_url: str, src: str) -> Frame:
    await page.goto(parent_url)
    frame = page.frame_locator("iframe")
    await expect(frame.locator("#launcher-sample")).to_be_visible()
    found = next(f for f in page.frames if f != page.main_frame)
    assert found.url.endswith(src)
    return found


async def test_an_admin_page_on_havre_previews_unsaved_branding(
    page: Page,
    live_url: str,
    make_tenant: MakeTenant,
    owner: asyncpg.Connection[asyncpg.Record],
) -> None:
    tenant = await make_tenant(
        hours=[{"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                "opens": "00:00", "closes": "00:00"}],
        branding={"primary_color": "#1b2a4a", "welcome": {"fr": "Bonsoir.", "en": "Hello."}},
    )  # fmt: skip
    src = f"/w/{tenant.slug}?preview=1&locale=fr"
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method != "GET" else None)
    await page.route(
        f"{live_url}{ADMIN_PAGE}",
        lambda route: route.fulfill(
            content_type="text/html",
            body=f'<!doctype html><title>Admin</title><iframe src="{src}" title="Aperçu"></iframe>',
        ),
    )
    frame = await framed_preview(page, f"{live_url}{ADMIN_PAGE}", src)

    # As saved: the tenant's colours, welcome and the default launcher label.
    assert await colours(frame, "header") == ("#ffffff", "#1b2a4a")
    await expect(frame.locator("#welcome")).to_have_text("Bonsoir.")
    await expect(frame.locator("#launcher-sample")).to_have_text("Parler à quelqu'un")
    await expect(frame.locator("#preview-note")).to_be_visible()
    # The real pre-chat, which cannot start anything.
    await frame.locator("#consent").check()
    await expect(frame.locator("#start")).to_be_disabled()

    await page.evaluate(POST, [OVERRIDE, live_url])
    await expect(frame.locator("#welcome")).to_have_text("Bienvenue, prenez votre temps.")
    await expect(frame.locator("#launcher-sample")).to_have_text("Écrire")
    await expect(frame.locator(".launcher-row")).to_have_class("launcher-row left")
    assert await colours(frame, "header") == ("#ffffff", "#8b0000")

    # Unsaved colours that fail AA are shown as the widget would draw them: readable.
    await page.evaluate(POST, [{"primary_color": "#ffee00", "text_color": "#ffffff"}, live_url])
    await expect(frame.locator("header")).to_have_css("background-color", "rgb(255, 238, 0)")
    assert await colours(frame, "header") == ("#000000", "#ffee00")
    await expect(frame.locator("#welcome")).to_have_text("Bienvenue, prenez votre temps.")

    # Invalid fields are ignored one by one.
    invalid = {"primary_color": "red", "position": "middle", "welcome": {"fr": ""}}
    await page.evaluate(POST, [{**invalid, "text_color": "#0000ff"}, live_url])
    await expect(frame.locator("header")).to_have_css("color", "rgb(0, 0, 255)")
    assert await colours(frame, "header") == ("#0000ff", "#ffee00")
    await expect(frame.locator(".launcher-row")).to_have_class("launcher-row left")

    logo = f"{live_url}/widget/assets/logo.png"
    await page.evaluate(POST, [{"logo_url": logo}, live_url])
    await expect(frame.locator("header img.logo")).to_have_attribute("src", logo)
    await expect(frame.locator("header img.logo")).to_have_attribute("alt", "")
    await page.evaluate(POST, [{"logo_url": None}, live_url])
    await expect(frame.locator("header img")).to_have_count(0)

    await frame.get_by_role("button", name="Sortie rapide").click()  # does nothing here
    await expect(frame.locator("#welcome")).to_be_visible()
    assert page.url == f"{live_url}{ADMIN_PAGE}"
    assert sockets == []
    assert posts == []
    count = await owner.fetchval(
        "SELECT count(*) FROM conversations c JOIN organisations o ON o.id = c.organisation_id"
        " WHERE o.slug = $1",
        tenant.slug,
    )
    assert count == 0


async def test_a_page_on_another_origin_cannot_drive_the_preview(
    page: Page, live_url: str, host_site: HostSite, make_tenant: MakeTenant
) -> None:
    tenant = await make_tenant(allowed_origins=[host_site.origin])  # it may frame the preview
    src = f"{live_url}/w/{tenant.slug}?preview=1"
    frame = await framed_preview(page, f"{host_site.origin}/frame?src={src}", src)
    before = await colours(frame, "header")
    await page.evaluate(POST, [OVERRIDE, live_url])
    await page.evaluate(POST, [OVERRIDE, "*"])
    # Nothing to wait for when a message is rightly ignored: give it time to arrive.
    await page.wait_for_timeout(500)
    assert await colours(frame, "header") == before
    await expect(frame.locator("#launcher-sample")).to_have_text("Parler à quelqu'un")
