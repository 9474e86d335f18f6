"""One vocabulary for the risk levels: the console, supervision and the dashboard say the same
word for the same level, in each language, and no two levels share a word."""

from __future__ import annotations

import pytest

from server.words import console, dashboard, supervision

LEVELS = ("none", "elevated", "high", "imminent")
AREAS = {
    "console": (console.TEXTS, "con_risk_"),
    "supervision": (supervision.TEXTS, "sv_js_risk_"),
    "dashboard": (dashboard.TEXTS, "dash_risk_"),
}


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_every_screen_names_each_risk_level_with_the_same_word(locale: str) -> None:
    words = {
        level: {
            name: texts[prefix + level][locale].lower() for name, (texts, prefix) in AREAS.items()
        }
        for level in LEVELS
    }
    for level, by_area in words.items():
        assert len(set(by_area.values())) == 1, (level, by_area)
    assert len({next(iter(w.values())) for w in words.values()}) == len(LEVELS)


def test_the_lowest_alert_level_does_not_read_as_high() -> None:
    assert console.TEXTS["con_risk_elevated"]["fr"] != "élevé"
    assert console.TEXTS["con_risk_high"] == {"fr": "élevé", "en": "high"}
