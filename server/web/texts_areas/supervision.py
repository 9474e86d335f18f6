"""Page texts of the supervisor console, in French and English."""

from __future__ import annotations

from server.i18n import Locale

TEXTS: dict[str, dict[Locale, str]] = {}
