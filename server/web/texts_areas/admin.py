"""Page texts of the admin console settings sections, in French and English."""

from __future__ import annotations

from server.i18n import Locale

TEXTS: dict[str, dict[Locale, str]] = {}
