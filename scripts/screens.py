"""A PNG of every screen, in French and English, at phone, keyboard-open, landscape and
desktop sizes, so anyone can review the product at a glance: the visitor's widget
(widget-*.png) and every staff page (staff-*.png: sign-in, the listener console with a chat in
crisis, supervision, the account page and every administration section).

    .venv/bin/python scripts/screens.py [FOLDER]     (default: ./screens)

Uses DATABASE_URL / REDIS_URL when both are set (a scratch database is created there and
dropped), otherwise embedded servers in a temporary folder. Drives the system Chromium; a
listener is played over the console's WebSocket.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import uuid
from collections.abc import Awaitable, Callable
from contextlib import nullcontext
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import httpx
import jwt
import msgspec

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("HAVRE_ENV", "test")  # accounts hashed cheaply, as in the test suite

from playwright.async_api import Browser, Frame, Page, async_playwright  # noqa: E402

from server.db import _init_connection  # noqa: E402
from server.demo import load_demo  # noqa: E402
from server.embedded import embedded_servers  # noqa: E402
from server.migrate import migrate  # noqa: E402
from server.settings import load_settings  # noqa: E402
from server.staff.accounts import create_staff  # noqa: E402
from server.tenants.files import apply_tenants  # noqa: E402
from server.tenants.parsing import parse_tenant_file  # noqa: E402
from server.tenants.structs import TenantFile  # noqa: E402
from server.widget.routes import ASSETS  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS  # noqa: E402
from tests.conftest import (  # noqa: E402
    PASSWORD,
    Servers,
    create_database,
    drop_database,
    serve_in_thread,
    settings_env,
)
from tests.conversations.clients import (  # noqa: E402
    Console,
    open_console,
    open_visitor,
    set_presence,
)
from tests.widget.conftest import ALWAYS_OPEN, HostSite, chat_frame, serve_host_site  # noqa: E402

VIEWPORTS = {
    "phone-375x667": (375, 667),
    "keyboard-375x380": (375, 380),
    "landscape-667x375": (667, 375),
    "desktop-1280x800": (1280, 800),
}
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
Shot = Callable[[str], Awaitable[None]]


class Demo:
    """The demo association, open around the clock (its English team closed), on a host site."""

    def __init__(self, site: HostSite, http: httpx.AsyncClient, havre_host: str) -> None:
        self.site = site
        self.http = http
        self.havre_host = havre_host
        self.console: Console | None = None

    async def listener(self) -> Console:
        if self.console is None:
            response = await self.http.post(
                "/api/auth/sign-in",
                json={"email": "ecoutant@ecoute-nuit.example", "password": PASSWORD},
            )
            self.console = await open_console(self.havre_host, response.json()["access_token"])
        return self.console


async def open_chat(page: Page, site: HostSite, slug: str, locale: str) -> Frame:
    await page.goto(site.url(slug, locale=locale))
    await page.wait_for_selector("havre-widget", state="attached")
    await page.evaluate("Havre.open()")
    frame = await chat_frame(page)
    await frame.locator("#app:not([aria-busy])").wait_for()
    return frame


async def conversation(page: Page, demo: Demo, locale: str, shot: Shot) -> None:
    frame = await open_chat(page, demo.site, "ecoute-nuit", locale)
    await shot("prechat")
    await frame.locator("#consent").check()
    await frame.locator("#start").click()
    await frame.locator("#status").wait_for()
    console = await demo.listener()
    await set_presence(console, "away")
    await frame.get_by_text(ASSETS.texts[locale]["nobody"]).wait_for()
    await shot("queue-nobody-available")
    token = await frame.evaluate("JSON.parse(sessionStorage.getItem('havre:ecoute-nuit')).token")
    cid = jwt.decode(token, options={"verify_signature": False})["sub"]
    await set_presence(console, "available")
    await console.send({"type": "claim", "conversation_id": cid})
    await console.of_type("assigned")
    await frame.locator("#message").fill("Bonsoir, je n'arrive pas à dormir, tout tourne en rond.")
    await frame.locator("#send").click()
    for body, kind in (
        ("Bonsoir, je suis là et je vous lis. Prenez le temps qu'il vous faut.", "text"),
        ("Qu'est-ce qui tourne en rond, ce soir ?", "text"),
        ("SOS Amitié\nTéléphone 09 72 39 40 50\nhttps://www.sos-amitie.com", "referral"),
    ):
        await console.send(
            {"type": "send", "conversation_id": cid, "client_id": str(uuid.uuid4()),
             "body": body, "kind": kind}
        )  # fmt: skip
    await frame.locator(".msg.referral").wait_for()
    await frame.locator("#message").focus()
    await shot("chat")
    await frame.locator("#end").click()
    await shot("end-confirm")
    await frame.locator("#end-no").click()
    await frame.locator("#message").fill("J'ai tout préparé pour ce soir, les médicaments sont là.")
    await frame.locator("#send").click()
    await frame.locator(".msg.visitor .mark").last.wait_for()
    await console.send(
        {"type": "end", "conversation_id": cid,
         "wrapup": {"topics": [], "risk_level": "imminent", "outcome": "emergency"}}
    )  # fmt: skip
    await frame.locator("#crisis-note").wait_for()
    await shot("ended-after-high-risk")


async def other_language(page: Page, demo: Demo, locale: str, shot: Shot) -> None:
    await open_chat(page, demo.site, "soir", "en" if locale == "en" else "fr")
    await shot("other-language-only")


async def closed(page: Page, demo: Demo, locale: str, shot: Shot) -> None:
    await open_chat(page, demo.site, "ferme", locale)
    await shot("closed")


async def not_allowed(page: Page, demo: Demo, locale: str, shot: Shot) -> None:
    await page.goto(demo.site.url("interdit", locale=locale))
    await page.wait_for_selector("havre-widget", state="attached")
    await page.evaluate("Havre.open()")
    await page.wait_for_timeout(300)  # nothing to await inside the closed shadow root
    await shot("site-not-allowed")


async def expanded_emergency(page: Page, demo: Demo, locale: str, shot: Shot) -> None:
    frame = await open_chat(page, demo.site, "ferme", locale)
    await frame.locator(".strip .more").click()
    await shot("emergency-expanded")


async def fair_use(page: Page, demo: Demo, locale: str, shot: Shot) -> None:
    """A second start from the same device on a line that allows one: the kind refusal."""
    first = await page.context.new_page()  # another tab: the same device, its own session
    frame = await open_chat(first, demo.site, "plafond", locale)
    await frame.locator("#consent").check()
    await frame.locator("#start").click()
    await frame.locator("#message, #closed").first.wait_for()
    await first.close()
    frame = await open_chat(page, demo.site, "plafond", locale)
    await frame.locator("#consent").check()
    await frame.locator("#start").click()
    await frame.locator("#closed").wait_for()
    await shot("fair-use-reached")


SCENES = [conversation, other_language, closed, not_allowed, expanded_emergency, fair_use]

ADMIN = "admin@ecoute-nuit.example"  # the demo line's owner: every staff page is theirs
ADMIN_SECTIONS = ["", "branding", "hours", "teams", "referrals", "replies", "staff", "widget",
                  "privacy", "protection", "audit", "dashboard"]  # fmt: skip


async def chat_in_crisis(demo: Demo) -> None:
    """A visitor in the owner's console: claimed over the console protocol (the page, signed
    in as the same person, shows it), with an imminent-risk message."""
    http = demo.http
    signed = await http.post("/api/auth/sign-in", json={"email": ADMIN, "password": PASSWORD})
    console = await open_console(demo.havre_host, signed.json()["access_token"])
    started = await http.post(
        "/api/conversations", json={"tenant": "ecoute-nuit", "locale": "fr", "consent": True}
    )
    cid = started.json()["conversation_id"]
    await console.send({"type": "claim", "conversation_id": cid})
    await console.of_type("assigned")
    visitor = await open_visitor(demo.havre_host, started.json()["token"])
    await visitor.say("Bonsoir. J'ai tout préparé pour ce soir, les médicaments sont là.")
    await console.of_type("risk", conversation_id=cid)
    await console.say(cid, "Bonsoir, je suis là. Merci de me le dire. Vous êtes en sécurité là ?")
    await console.close()  # the conversation stays the owner's; the socket is not needed


async def staff_pages(page: Page, demo: Demo, locale: str, shot: Shot) -> None:
    base = f"http://{demo.havre_host}"
    await page.goto(f"{base}/sign-in?next=/console/&lang={locale}")
    await shot("sign-in")
    await page.locator("#email").fill(ADMIN)
    await page.locator("#password").fill(PASSWORD)
    await page.locator("#sign-in button[type=submit]").click()
    await page.wait_for_url(f"{base}/console/")
    await page.goto(f"{base}/console/?lang={locale}")
    await page.locator("[role=tabpanel] .crisis").wait_for()
    await shot("console-chat-in-crisis")
    await page.goto(f"{base}/console/supervision?lang={locale}")
    await page.locator("#sv-rows tr").first.wait_for()
    await shot("supervision")
    await page.goto(f"{base}/account/?lang={locale}")
    await shot("account")
    await page.goto(f"{base}/admin/?lang={locale}")
    await shot("admin-lines")
    for section in ADMIN_SECTIONS:
        await page.goto(f"{base}/admin/ecoute-nuit/{section}?lang={locale}")
        await page.wait_for_load_state("networkidle")
        await shot(f"admin-{section or 'overview'}")


async def capture(browser: Browser, demo: Demo, folder: Path) -> list[Path]:
    written: list[Path] = []
    for view, (width, height) in VIEWPORTS.items():
        mobile = width < 1000
        for locale in ("fr", "en"):
            for scene in SCENES:
                context = await browser.new_context(
                    viewport={"width": width, "height": height},
                    device_scale_factor=2 if mobile else 1,
                    is_mobile=mobile,
                    has_touch=mobile,
                    locale=locale,
                )
                page = await context.new_page()

                async def shot(
                    name: str, page: Page = page, suffix: str = f"{locale}-{view}"
                ) -> None:
                    path = folder / f"widget-{name}-{suffix}.png"
                    await page.screenshot(path=path)
                    written.append(path)

                try:
                    await scene(page, demo, locale, shot)
                finally:
                    await context.close()
    await chat_in_crisis(demo)
    for view, (width, height) in VIEWPORTS.items():
        for locale in ("fr", "en"):
            context = await browser.new_context(
                viewport={"width": width, "height": height}, locale=locale
            )
            page = await context.new_page()

            async def staff_shot(
                name: str, page: Page = page, suffix: str = f"{locale}-{view}"
            ) -> None:
                path = folder / f"staff-{name}-{suffix}.png"
                await page.screenshot(path=path, full_page=True)
                written.append(path)

            try:
                await staff_pages(page, demo, locale, staff_shot)
            finally:
                await context.close()
    return written


def demo_tenants(site: HostSite) -> list[TenantFile]:
    """The demo association open at every hour; the same with its English team closed; a
    closed line; a line that does not let the host site frame it; a line whose fair use
    allows one conversation per device."""
    source = parse_tenant_file(REPO / "tenants" / "ecoute-nuit.toml")
    today = datetime.now(ZoneInfo(source.time_zone)).weekday()
    english = {"days": [DAYS[(today + 3) % 7]], "opens": "10:00", "closes": "11:00",
               "team": "english"}  # fmt: skip
    base: dict[str, Any] = msgspec.to_builtins(source)
    base.update(allowed_origins=[site.origin], exit_url=site.exit_url, exceptions=[])
    base["hours"] = ALWAYS_OPEN
    evening = {**base, "slug": "soir", "name": "Écoute du soir", "hours": [*ALWAYS_OPEN, english]}
    shut = {**base, "slug": "ferme", "name": "Ligne fermée", "hours": []}
    refused = {**base, "slug": "interdit", "name": "Ligne", "allowed_origins": []}
    capped = {**base, "slug": "plafond", "name": "Ligne", "teams": [],
              "protection": {"fair_use": {"conversations": 1, "hours": 48}}}  # fmt: skip
    return [msgspec.convert(t, TenantFile) for t in (base, evening, shut, refused, capped)]


async def main(folder: Path) -> None:
    given_db, given_redis = os.environ.get("DATABASE_URL"), os.environ.get("REDIS_URL")
    scratch = Path(tempfile.mkdtemp(prefix="havre-screens-"))
    embedded = nullcontext(None) if given_db and given_redis else embedded_servers(scratch)
    with embedded as urls:
        admin_url = given_db or urls.database_url  # type: ignore[union-attr]
        redis_url = given_redis or urls.redis_url  # type: ignore[union-attr]
        database_url = await create_database(admin_url)
        try:
            await migrate(database_url)
            servers = Servers(admin_url=admin_url, database_url=database_url, redis_url=redis_url)
            settings = load_settings(settings_env(servers))
            with serve_in_thread(settings) as host, serve_host_site(f"http://{host}") as site:
                # The demo (its staff, past conversations, audit trail), then its association
                # open around the clock and framed by the host site.
                await load_demo(database_url, REPO / "tenants", site.origin)
                owner = await asyncpg.connect(database_url)
                await _init_connection(owner)
                await apply_tenants(owner, demo_tenants(site))
                await create_staff(
                    owner, email=ADMIN, organisation="ecoute-nuit", role="owner",
                    password=PASSWORD,
                )  # fmt: skip
                # The played listener answers both languages' visitors: no team of their own.
                await owner.execute(
                    "DELETE FROM team_members WHERE staff_id = "
                    "(SELECT id FROM staff_users WHERE email = 'ecoutant@ecoute-nuit.example')"
                )
                await create_staff(
                    owner, email="ecoutant@ecoute-nuit.example", organisation="ecoute-nuit",
                    role="listener", password=PASSWORD, display_name="Camille",
                )  # fmt: skip
                await owner.execute(
                    "UPDATE staff_users SET visitor_name = 'Camille' "
                    "WHERE email = 'ecoutant@ecoute-nuit.example'"
                )
                await owner.close()
                async with (
                    httpx.AsyncClient(base_url=f"http://{host}") as http,
                    async_playwright() as playwright,
                ):
                    browser = await playwright.chromium.launch(
                        executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True
                    )
                    demo = Demo(site, http, host)
                    written = await capture(browser, demo, folder)
                    await browser.close()
        finally:
            await drop_database(admin_url, database_url)
    print(f"{len(written)} screens in {folder}")


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "screens")
    target.mkdir(parents=True, exist_ok=True)
    asyncio.run(main(target))
