"""Page texts of the admin dashboard and audit log, in French and English."""

from __future__ import annotations

from server.i18n import Locale

TEXTS: dict[str, dict[Locale, str]] = {}
