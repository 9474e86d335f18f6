"""Tenant colours are checked against WCAG 2.2 AA with the published formula."""

from __future__ import annotations

import pytest

from server.tenants.contrast import branding_warnings, contrast_ratio, relative_luminance
from server.tenants.structs import Branding


def test_black_on_white_is_the_maximum_and_a_colour_on_itself_the_minimum() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#1f4e79", "#1f4e79") == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("foreground", "background", "published"),
    [
        # Ratios as WebAIM's contrast checker shows them (two decimals).
        ("#767676", "#ffffff", 4.54),
        ("#777777", "#ffffff", 4.48),
        ("#ffffff", "#0000ff", 8.59),
        ("#ffffff", "#ff0000", 4.0),
    ],
)
def test_ratios_match_the_reference_checker(
    foreground: str, background: str, published: float
) -> None:
    assert round(contrast_ratio(foreground, background), 2) == published


def test_luminance_uses_the_srgb_threshold() -> None:
    assert relative_luminance("#0a0a0a") == pytest.approx(10 / 255 / 12.92)


def test_the_default_colours_pass() -> None:
    assert branding_warnings(Branding()) == []


def test_white_on_a_pale_primary_warns_about_the_text_and_the_launcher() -> None:
    codes = [w.code for w in branding_warnings(Branding(primary_color="#ffd54f"))]
    assert codes == ["text_on_primary_low_contrast", "primary_on_page_low_contrast"]


def test_dark_text_on_a_pale_primary_warns_only_about_the_launcher_on_a_white_page() -> None:
    warnings = branding_warnings(Branding(primary_color="#ffd54f", text_color="#000000"))
    assert [w.code for w in warnings] == ["primary_on_page_low_contrast"]
    assert warnings[0].ratio < warnings[0].required
