"""The demo host page embeds the real widget of a line open at every hour, and lets it be
framed on whatever port Havre is served (HAVRE_PUBLIC_URL)."""

from __future__ import annotations

from playwright.async_api import Page, expect

from server.demo import demo_origins, load_demo
from tests.conftest import REPO, Servers
from tests.widget.conftest import chat_frame


async def test_the_demo_page_embeds_a_working_widget_on_any_port(
    page: Page, live_url: str, servers: Servers
) -> None:
    assert not live_url.endswith(":8000")  # the tenant files list only port 8000
    await load_demo(servers.database_url, REPO / "tenants", live_url)
    await page.goto(f"{live_url}/demo/")
    await expect(page.locator("#demo-shown")).to_contain_text("Ligne d'essai 24 h/24")
    await page.wait_for_selector("havre-widget", state="attached")
    await page.evaluate("Havre.open()")
    frame = await chat_frame(page)
    await expect(frame.locator("#consent")).to_be_visible()  # open at every hour

    await page.goto(f"{live_url}/demo/?tenant=univ-sante")
    await expect(page.locator("#demo-shown")).to_contain_text("Santé étudiante")


def test_the_demo_allows_the_public_address_and_its_localhost_twin() -> None:
    assert demo_origins("http://127.0.0.1:8123") == [
        "http://127.0.0.1:8123",
        "http://localhost:8123",
    ]
    assert demo_origins("https://demo.havre.example/") == ["https://demo.havre.example"]
