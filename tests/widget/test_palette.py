"""The colours the widget paints with are readable whatever the tenant chose."""

from __future__ import annotations

import pytest

from server.tenants.contrast import contrast_ratio
from server.tenants.structs import Branding
from server.widget.palette import palette

CHOSEN = [
    ("#1f4e79", "#ffffff"),  # the default: passes as it is
    ("#6a1b9a", "#ffffff"),
    ("#ffee00", "#ffffff"),  # white on yellow: fails
    ("#ffee00", "#111111"),
    ("#777777", "#888888"),  # the worst middle grey
    ("#000000", "#000000"),
    ("#ffffff", "#ffffff"),
    ("#2e6b4f", "#ffffff"),
    ("#e91e63", "#ffffff"),
]


@pytest.mark.parametrize(("primary", "text"), CHOSEN)
def test_text_on_primary_and_links_on_white_reach_aa(primary: str, text: str) -> None:
    colours = palette(Branding(primary_color=primary, text_color=text))
    assert colours.primary == primary
    assert contrast_ratio(colours.on_primary, colours.primary) >= 4.5
    assert contrast_ratio(colours.accent, "#ffffff") >= 4.5


def test_a_passing_pair_is_kept_and_a_failing_one_gets_black_or_white() -> None:
    kept = palette(Branding(primary_color="#6A1B9A", text_color="#FFFFFF"))
    assert (kept.primary, kept.on_primary, kept.accent) == ("#6a1b9a", "#ffffff", "#6a1b9a")
    yellow = palette(Branding(primary_color="#ffee00", text_color="#ffffff"))
    assert yellow.on_primary == "#000000"
    assert yellow.accent != "#ffee00"  # darkened for links on the white chat
    navy_on_navy = palette(Branding(primary_color="#1b2a4a", text_color="#1f4e79"))
    assert navy_on_navy.on_primary == "#ffffff"
