"""The widget in a tenant's own colours: axe finds nothing serious, and a pair of colours that
fails WCAG AA is never used for text (black or white is written on the primary instead)."""

from __future__ import annotations

import re

from playwright.async_api import Frame, Page, expect

from server.tenants.contrast import contrast_ratio
from server.tenants.structs import Branding
from server.widget.palette import palette
from tests.conftest import MakeTenant
from tests.widget.conftest import HostSite, open_widget, start_chat
from tests.widget.test_accessibility import serious


def hex_of(css: str) -> str:
    red, green, blue = (int(n) for n in re.findall(r"\d+", css)[:3])
    return f"#{red:02x}{green:02x}{blue:02x}"


# The background a reader sees: the element's own, else the nearest ancestor's that is painted.
VISIBLE_COLOURS = r"""e => {
  let node = e, background = "rgb(255, 255, 255)";
  for (; node; node = node.parentElement) {
    const painted = getComputedStyle(node).backgroundColor;
    const clear = /^rgba\(.*, 0\)$/.test(painted) || painted === "transparent";
    if (!clear) { background = painted; break; }
  }
  return [getComputedStyle(e).color, background];
}"""


async def colours(frame: Frame, selector: str) -> tuple[str, str]:
    """(text colour, background colour seen behind it) of the first element matching selector."""
    found: list[str] = await frame.locator(selector).first.evaluate(VISIBLE_COLOURS)
    return hex_of(found[0]), hex_of(found[1])


async def test_tenant_colours_that_pass_are_used_as_they_are_and_pass_axe(
    page: Page, host_site: HostSite, widget_tenant: MakeTenant
) -> None:
    tenant = await widget_tenant(branding={"primary_color": "#6a1b9a", "text_color": "#ffffff"})
    frame = await open_widget(page, host_site, tenant.slug)
    await expect(frame.locator("#consent")).to_be_visible()
    assert await colours(frame, "header") == ("#ffffff", "#6a1b9a")
    assert await serious(frame) == []
    await start_chat(frame)
    await frame.get_by_label("Votre message").fill("Bonsoir")
    await frame.get_by_label("Votre message").press("Enter")
    await expect(frame.locator(".msg.visitor .mark")).to_have_text("Envoyé")
    assert await colours(frame, ".msg.visitor") == ("#ffffff", "#6a1b9a")
    assert await colours(frame, "#send") == ("#ffffff", "#6a1b9a")
    assert (await colours(frame, "#end"))[0] == "#6a1b9a"  # a link on the white chat
    assert await serious(frame) == []


async def test_a_failing_pair_is_never_used_for_text(
    page: Page, host_site: HostSite, widget_tenant: MakeTenant
) -> None:
    chosen = Branding(primary_color="#ffee00", text_color="#ffffff")  # 1.2:1
    expected = palette(chosen)
    tenant = await widget_tenant(branding={"primary_color": "#ffee00", "text_color": "#ffffff"})
    frame = await open_widget(page, host_site, tenant.slug, locale="en")
    await expect(frame.locator("#consent")).to_be_visible()
    assert await colours(frame, "header") == (expected.on_primary, "#ffee00")
    await start_chat(frame)
    await frame.get_by_label("Your message").fill("Hello")
    await frame.get_by_label("Your message").press("Enter")
    await expect(frame.locator(".msg.visitor .mark")).to_have_text("Delivered")
    for selector in ("header h1", ".msg.visitor", "#send"):
        text, background = await colours(frame, selector)
        assert background == "#ffee00", selector
        assert contrast_ratio(text, background) >= 4.5, selector
    link, behind = await colours(frame, "#end")
    assert link == expected.accent
    assert behind == "#ffffff"
    assert contrast_ratio(link, "#ffffff") >= 4.5
    assert await serious(frame) == []
