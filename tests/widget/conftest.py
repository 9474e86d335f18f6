"""A host page on a second origin (http.server in a thread) embedding the widget, and a
real Chromium (the browser fixture of tests/browser)."""

from __future__ import annotations

import asyncio
import html
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NamedTuple
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from playwright.async_api import Browser, Frame, Locator, Page, expect

from tests.browser.conftest import browser  # noqa: F401 - the session's Chromium
from tests.conftest import MakeTenant, free_port
from tests.conversations.clients import Console
from tests.conversations.conftest import open_listener  # noqa: F401 - a console client

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
ALWAYS_OPEN = [
    {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "opens": "00:00", "closes": "00:00"}
]
HOSTILE_CSS = (
    "* { all: unset } button { display: none !important } "
    "html, body, * { font-size: 90px !important; line-height: 3 !important }"
)
EXIT_PAGE = "<!doctype html><title>Météo</title><h1>Prévisions météo</h1>"


class HostSite:
    """A partner's site on its own origin: /embed?tenant=SLUG[&hostile=1][&locale=en]
    [&search=1 (a text field before the widget)][&strict=1 (a strict CSP, no inline style)];
    /frame?src=URL frames any page."""

    def __init__(self, havre_url: str) -> None:
        self.havre_url = havre_url
        self.port = free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        self.exit_url = f"{self.origin}/exit"

    def page(self, query: dict[str, list[str]]) -> str:
        slug = html.escape(query.get("tenant", [""])[0])
        extra = ""
        for name in ("locale", "position"):
            if name in query:
                extra += f' data-{name}="{html.escape(query[name][0])}"'
        style = f"<style>{HOSTILE_CSS}</style>" if "hostile" in query else ""
        search = '<label>Recherche <input id="search"></label>' if "search" in query else ""
        return (
            "<!doctype html><html lang='fr'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            "<title>Partenaire</title>"
            f"{style}</head><body><h1>Association partenaire</h1><p>Bienvenue.</p>"
            f'<a href="#top">Haut de page</a>{search}'
            f'<script src="{self.havre_url}/widget.js" data-tenant="{slug}"{extra} async></script>'
            "</body></html>"
        )

    def url(self, slug: str, **params: str) -> str:
        query = "&".join(f"{k}={v}" for k, v in {"tenant": slug, **params}.items())
        return f"{self.origin}/embed?{query}"

    def frame_page(self, query: dict[str, list[str]]) -> str:
        src = html.escape(query.get("src", [""])[0])
        return (
            "<!doctype html><html lang='fr'><head><meta charset='utf-8'><title>Cadre</title>"
            f'</head><body><iframe src="{src}" title="Aperçu" width="400" height="600">'
            "</iframe></body></html>"
        )


@pytest.fixture(scope="session")
def host_site(live_url: str) -> Iterator[HostSite]:
    with serve_host_site(live_url) as site:
        yield site


@contextmanager
def serve_host_site(havre_url: str) -> Iterator[HostSite]:
    """A host site embedding the Havre at havre_url, served from a thread until the end."""
    site = HostSite(havre_url)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            policy = None
            if parts.path == "/embed":
                query = parse_qs(parts.query)
                body = site.page(query).encode()
                if "strict" in query:
                    # A host with a strict policy of its own: no inline style, only Havre's
                    # scripts, frames and connections.
                    policy = (
                        f"default-src 'self'; script-src {site.havre_url}; style-src 'self'; "
                        f"connect-src {site.havre_url}; frame-src {site.havre_url}"
                    )
            elif parts.path == "/frame":
                body = site.frame_page(parse_qs(parts.query)).encode()
            elif parts.path == "/exit":
                body = EXIT_PAGE.encode()
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            if policy:
                self.send_header("Content-Security-Policy", policy)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", site.port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield site
    server.shutdown()
    server.server_close()


@pytest.fixture
def widget_tenant(make_tenant: MakeTenant, host_site: HostSite) -> MakeTenant:
    """An always-open tenant that lets the host site frame it, its exit on the host site."""

    async def make(slug: str | None = None, **overrides: Any) -> Any:
        overrides.setdefault("hours", ALWAYS_OPEN)
        overrides.setdefault("allowed_origins", [host_site.origin])
        overrides.setdefault("exit_url", host_site.exit_url)
        return await make_tenant(slug, **overrides)

    return make


@pytest.fixture
async def page(browser: Browser) -> AsyncIterator[Page]:  # noqa: F811
    context = await browser.new_context(viewport={"width": 1024, "height": 768})
    tab = await context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.errors = errors  # type: ignore[attr-defined]
    yield tab
    await context.close()


async def chat_frame(page: Page) -> Frame:
    """The iframe the loader created (inside its closed shadow root), once it has loaded."""

    async def find() -> Frame:
        while True:
            for frame in page.frames:
                if "/w/" in frame.url:
                    return frame
            await asyncio.sleep(0.05)

    frame = await asyncio.wait_for(find(), 10.0)
    await frame.wait_for_load_state()
    return frame


async def reload_chat(page: Page, frame: Frame) -> Frame:
    """The chat's frame reloaded by the visitor, once its new document has loaded."""
    async with frame.expect_navigation():
        await frame.evaluate("location.reload()")
    return await chat_frame(page)


async def launcher_point(page: Page) -> tuple[float, float]:
    """A point inside the launcher, drawn 16 px from the bottom corner of its side."""
    size = page.viewport_size
    assert size is not None
    return size["width"] - 16 - 8, size["height"] - 16 - 8


async def open_widget(page: Page, host_site: HostSite, slug: str, **params: str) -> Frame:
    """The host page with the widget, opened by a click on its launcher; the chat's frame."""
    await page.goto(host_site.url(slug, **params))
    await page.wait_for_selector("havre-widget", state="attached")
    await page.mouse.click(*await launcher_point(page))
    return await chat_frame(page)


async def start_chat(frame: Frame) -> None:
    """Consent and start: the visitor is queued."""
    await frame.locator("#consent").check()
    await frame.locator("#start").click()
    await frame.locator("#message").wait_for(state="visible")


def locale_texts(locale: str) -> dict[str, str]:
    from server.widget.routes import ASSETS

    return ASSETS.texts[locale]


async def on_screen(page: Page, control: Locator, *, scroll: bool = False) -> None:
    """Visible, entirely inside the viewport (after the chat scrolls it up, if allowed), and
    not covered by anything (the launcher of the host page included): it takes a click."""
    await expect(control).to_be_visible()
    if scroll:
        await control.scroll_into_view_if_needed()
    box = await control.bounding_box()
    size = page.viewport_size
    assert box is not None
    assert size is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= size["width"]
    assert box["y"] >= 0
    assert box["y"] + box["height"] <= size["height"]
    await control.click(trial=True)


async def claimed(listener: Console, slug: str) -> str:
    snapshot = await listener.next(
        lambda f: f["type"] == "queue_snapshot" and any(e["tenant"] == slug for e in f["entries"])
    )
    cid = str(next(e for e in snapshot["entries"] if e["tenant"] == slug)["conversation_id"])
    await listener.send({"type": "claim", "conversation_id": cid})
    await listener.of_type("assigned")
    return cid


def closed_english_team() -> list[dict[str, Any]]:
    """The line open around the clock; its English-speaking team only on a day three days
    from now, in the tenant's time zone: closed whenever the test runs."""
    today = datetime.now(ZoneInfo("Europe/Paris")).weekday()
    other_day = DAYS[(today + 3) % 7]
    slot = {"days": [other_day], "opens": "10:00", "closes": "11:00", "team": "english"}
    return [*ALWAYS_OPEN, slot]


class LiveChat(NamedTuple):
    frame: Frame
    listener: Console
    conversation_id: str


@pytest.fixture
def live_chat(host_site: HostSite, widget_tenant: MakeTenant, open_listener: Any) -> Any:  # noqa: F811
    """A visitor in the widget on `page`, consented and taken by a listener of a new line."""

    async def start(page: Page) -> LiveChat:
        tenant = await widget_tenant()
        listener = await open_listener(tenant.slug)
        frame = await open_widget(page, host_site, tenant.slug)
        await start_chat(frame)
        return LiveChat(frame, listener, await claimed(listener, tenant.slug))

    return start
