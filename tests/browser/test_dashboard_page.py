"""The demo's admin opens the dashboard in Chromium: the charts drawn from the demo history are
there, each with its text alternative, in the admin's own language (French for the demo
accounts), and the team filter redraws them; the audit log shows the demo's trail."""

from __future__ import annotations

from playwright.async_api import Browser, ConsoleMessage, expect

from server.demo import DEMO_PASSWORD, load_demo
from tests.conftest import REPO, Servers


async def test_the_demo_dashboard_renders_its_charts_with_text_alternatives(
    browser: Browser, live_url: str, servers: Servers
) -> None:
    await load_demo(servers.database_url, REPO / "tenants")  # tenants, staff and 60 days of history
    context = await browser.new_context(locale="en-GB")
    page = await context.new_page()
    refused: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            refused.append(message.text)

    page.on("console", watch)

    await page.goto(f"{live_url}/admin/ecoute-nuit/dashboard")
    await expect(page).to_have_url(f"{live_url}/sign-in?next=/admin/ecoute-nuit/dashboard")
    await page.get_by_label("E-mail address").fill("admin@ecoute-nuit.example")
    await page.get_by_label("Password").fill(DEMO_PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page).to_have_url(f"{live_url}/admin/ecoute-nuit/dashboard")

    per_day = page.locator("#chart-per-day svg")
    await expect(per_day).to_be_visible()
    await expect(page.get_by_role("img", name="Conversations par jour")).to_be_visible()
    # One bar per day of the default 30 days; the demo history fills the days before today.
    await expect(per_day.locator("rect.bar.total")).to_have_count(30)
    heights = await per_day.locator("rect.bar.total").evaluate_all(
        "bars => bars.map(b => b.getBBox().height)"
    )
    assert sum(h > 0 for h in heights) >= 25
    answered = await per_day.locator("rect.bar.answered").evaluate_all(
        "bars => bars.filter(b => b.getBBox().height > 0).length"
    )
    assert answered >= 25

    for chart in ("chart-outcomes", "chart-risk", "chart-topics", "chart-ratings"):
        svg = page.locator(f"#{chart} svg")
        await expect(svg).to_be_visible()
        await expect(svg.locator(":scope > title")).to_have_count(1)
        await expect(svg.locator("desc")).not_to_be_empty()
        widths = await svg.locator("rect.bar").evaluate_all(
            "bars => bars.map(b => b.getBBox().width)"
        )
        assert any(w > 0 for w in widths), chart

    # Text alternatives: the figures as tables, opened on demand.
    await page.locator("#chart-per-day summary").click()
    await expect(page.locator("#chart-per-day table tbody tr")).to_have_count(30)
    await expect(page.locator("#figure-waits .figure-median")).not_to_have_text("—")
    await expect(page.locator("#rating-average")).to_contain_text("sur 5")

    await page.get_by_label("Équipe").select_option("english")
    await page.get_by_role("button", name="Afficher").click()
    await expect(page.get_by_label("Équipe")).to_have_value("english")
    assert "team=english" in page.url
    await expect(page.locator("#chart-per-day svg rect.bar.total")).to_have_count(30)
    await expect(page.locator("#chart-outcomes svg rect.bar")).to_have_count(5)

    # The audit log has the demo's trail to filter.
    await page.goto(f"{live_url}/admin/ecoute-nuit/audit")
    await page.get_by_label("Action").select_option("transcript.view")
    await page.get_by_role("button", name="Afficher").click()
    await expect(page.locator("tbody tr")).to_have_count(2)
    await expect(page.locator("tbody tr").first).to_contain_text("Transcription consultée")
    await expect(page.locator("tbody tr").first).to_contain_text("superviseur@ecoute-nuit.example")

    assert refused == []
    await context.close()
