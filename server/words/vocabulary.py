"""Words every screen shares, so a level reads the same in the widget's listener, the
console, supervision and the dashboard: one definition, in French and English."""

from __future__ import annotations

from server.i18n import Locale

# The triage levels, lowest first. "élevé" / "high" is the third of four: the lowest level
# that is not "none" must not read as a high one.
RISK_LEVELS: dict[str, dict[Locale, str]] = {
    "none": {"fr": "aucun", "en": "none"},
    "elevated": {"fr": "modéré", "en": "moderate"},
    "high": {"fr": "élevé", "en": "high"},
    "imminent": {"fr": "imminent", "en": "imminent"},
}


def risk_texts(prefix: str, *, capital: bool = False) -> dict[str, dict[Locale, str]]:
    """The levels under one area's keys (`con_risk_high`…), capitalised for labels if asked."""
    return {
        f"{prefix}{level}": {
            locale: word[:1].upper() + word[1:] if capital else word
            for locale, word in words.items()
        }
        for level, words in RISK_LEVELS.items()
    }
