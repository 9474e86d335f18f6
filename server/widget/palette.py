"""The colours the widget really paints with: the tenant's, made readable when they are not.

The tenant keeps its primary colour everywhere (launcher, header, the visitor's bubbles, the
main button). Text drawn on it uses the tenant's text colour only when that pair meets WCAG AA
(4.5:1); otherwise black or white, whichever contrasts more (one of them always reaches 4.58:1).
Where the primary colour is itself text on the white chat (links), it is darkened until it
reaches 4.5:1. widget/chat/preview.js applies the same rule to the admin's unsaved colours.
"""

from __future__ import annotations

import msgspec

from server.tenants.contrast import AA_NORMAL_TEXT, WHITE, contrast_ratio
from server.tenants.structs import Branding

BLACK = "#000000"


class Palette(msgspec.Struct, frozen=True):
    primary: str
    on_primary: str  # text on the primary colour
    accent: str  # the primary colour as text on the white chat


def readable_on(background: str, preferred: str) -> str:
    """`preferred` when it reaches AA on `background`, else black or white."""
    if contrast_ratio(preferred, background) >= AA_NORMAL_TEXT:
        return preferred
    if contrast_ratio(WHITE, background) >= contrast_ratio(BLACK, background):
        return WHITE
    return BLACK


def darkened_for_white(colour: str) -> str:
    """The colour mixed with black in 5 % steps until it reaches AA on white."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    for step in range(21):
        keep = 1 - step / 20
        # int(x + 0.5), not round(): the same rounding as Math.round in preview.js
        mixed = "#" + "".join(f"{int(c * keep + 0.5):02x}" for c in (red, green, blue))
        if contrast_ratio(mixed, WHITE) >= AA_NORMAL_TEXT:
            return mixed
    return BLACK  # unreachable: black on white is 21:1


def palette(branding: Branding) -> Palette:
    primary = branding.primary_color.lower()
    return Palette(
        primary=primary,
        on_primary=readable_on(primary, branding.text_color.lower()),
        accent=darkened_for_white(primary),
    )
