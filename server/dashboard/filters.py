"""The dashboard's and audit log's query-string filters, checked before any figure is read."""

from __future__ import annotations

import re
from datetime import date, timedelta

import msgspec

from server.errors import HavreError
from server.i18n import Locale, register_messages

DEFAULT_DAYS = 30
MAX_DAYS = 366
_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_ACTION = re.compile(r"^[a-z0-9][a-z0-9_.:-]{0,63}$")
MAX_EMAIL = 254

# The problem titles of this module's codes, registered with server/i18n.py.
MESSAGES: dict[str, dict[Locale, str]] = {
    "invalid_date": {
        "fr": "La date doit s'écrire AAAA-MM-JJ et exister.",
        "en": "The date must be written YYYY-MM-DD and exist.",
    },
    "invalid_date_range": {
        "fr": "La date de fin précède la date de début.",
        "en": "The end date is before the start date.",
    },
    "date_range_too_long": {
        "fr": f"La période ne peut pas dépasser {MAX_DAYS} jours.",
        "en": f"The period cannot be longer than {MAX_DAYS} days.",
    },
    "unknown_team": {
        "fr": "Cette équipe n'existe pas dans cette ligne.",
        "en": "This team does not exist in this line.",
    },
    "invalid_filter": {
        "fr": "Ce filtre n'est pas valide.",
        "en": "This filter is not valid.",
    },
}


register_messages(MESSAGES)


class FilterError(HavreError):
    """A 400 whose title is in the caller's language; `field` names the faulty parameter."""

    status = 400

    def __init__(self, code: str, field: str, locale: Locale) -> None:
        super().__init__(code=code, details={"field": field})
        self.field = field
        self.locale = locale

    @property
    def message(self) -> str:
        return MESSAGES[self.code][self.locale]


class Period(msgspec.Struct, frozen=True):
    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def parse_day(value: str | None, field: str, locale: Locale) -> date | None:
    if value is None or value == "":
        return None
    if not _DAY.match(value):
        raise FilterError("invalid_date", field, locale)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise FilterError("invalid_date", field, locale) from None


def dashboard_period(
    raw_from: str | None, raw_to: str | None, today: date, locale: Locale
) -> Period:
    """Both days included; by default the last 30 days of the tenant's calendar."""
    first = parse_day(raw_from, "from", locale)
    last = parse_day(raw_to, "to", locale)
    if last is None:
        last = today if first is None else max(today, first)
    if first is None:
        try:
            first = last - timedelta(days=DEFAULT_DAYS - 1)
        except OverflowError:  # "to" in the first days of year 1
            raise FilterError("invalid_date", "to", locale) from None
    period = Period(first, last)
    if last < first:
        raise FilterError("invalid_date_range", "to", locale)
    if period.days > MAX_DAYS:
        raise FilterError("date_range_too_long", "to", locale)
    return period


def audit_period(
    raw_from: str | None, raw_to: str | None, locale: Locale
) -> tuple[date | None, date | None]:
    """Either end may be open: the audit log is read in full by default."""
    first = parse_day(raw_from, "from", locale)
    last = parse_day(raw_to, "to", locale)
    if first and last and last < first:
        raise FilterError("invalid_date_range", "to", locale)
    return first, last


def team_key(value: str | None, locale: Locale) -> str | None:
    if value is None or value == "":
        return None
    if not _KEY.match(value):
        raise FilterError("unknown_team", "team", locale)
    return value


def action_code(value: str | None, locale: Locale) -> str | None:
    if value is None or value == "":
        return None
    if not _ACTION.match(value):
        raise FilterError("invalid_filter", "action", locale)
    return value


def actor_email(value: str | None, locale: Locale) -> str | None:
    if value is None or value.strip() == "":
        return None
    if len(value) > MAX_EMAIL:
        raise FilterError("invalid_filter", "actor", locale)
    return value.strip().lower()


def cursor(value: str | None, field: str, locale: Locale) -> int | None:
    if value is None or value == "":
        return None
    if not (value.isascii() and value.isdigit()) or len(value) > 18:
        raise FilterError("invalid_filter", field, locale)
    return int(value)
