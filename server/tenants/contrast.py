"""WCAG 2.2 contrast of a tenant's colours: the widget's buttons and header use them."""

from __future__ import annotations

import msgspec

from server.tenants.structs import Branding

AA_NORMAL_TEXT = 4.5
AA_NON_TEXT = 3.0  # the launcher's outline against a white page (WCAG 1.4.11)
WHITE = "#ffffff"


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of an `#rrggbb` colour."""

    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast_ratio(first: str, second: str) -> float:
    """(L1 + 0.05) / (L2 + 0.05), lighter over darker: 1.0 (none) to 21.0 (black on white)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


class ContrastWarning(msgspec.Struct, frozen=True):
    """One pair of tenant colours that fails WCAG AA; `code` is stable, the rest explains."""

    code: str
    foreground: str
    background: str
    ratio: float
    required: float


def branding_warnings(branding: Branding) -> list[ContrastWarning]:
    """What fails AA: the label on the primary colour, and the primary colour on a white page."""
    warnings: list[ContrastWarning] = []
    text_ratio = contrast_ratio(branding.text_color, branding.primary_color)
    if text_ratio < AA_NORMAL_TEXT:
        warnings.append(
            ContrastWarning(
                "text_on_primary_low_contrast",
                branding.text_color,
                branding.primary_color,
                round(text_ratio, 2),
                AA_NORMAL_TEXT,
            )
        )
    page_ratio = contrast_ratio(branding.primary_color, WHITE)
    if page_ratio < AA_NON_TEXT:
        warnings.append(
            ContrastWarning(
                "primary_on_page_low_contrast",
                branding.primary_color,
                WHITE,
                round(page_ratio, 2),
                AA_NON_TEXT,
            )
        )
    return warnings
