"""The tenant file format (tenants/*.toml), as msgspec structs that validate it."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

Slug = Annotated[str, Meta(pattern=r"^[a-z0-9][a-z0-9-]{1,62}\Z")]
Key = Annotated[str, Meta(pattern=r"^[a-z0-9][a-z0-9-]{0,62}\Z")]
ClockTime = Annotated[str, Meta(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]\Z")]
Colour = Annotated[str, Meta(pattern=r"^#[0-9a-fA-F]{6}\Z")]
Email = Annotated[str, Meta(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+\Z", max_length=254)]
WebUrl = Annotated[str, Meta(pattern=r"^https?://[^\s]+\Z", max_length=2000)]
Origin = Annotated[str, Meta(pattern=r"^https?://[a-zA-Z0-9.-]+(:[0-9]{1,5})?\Z")]
Phone = Annotated[str, Meta(pattern=r"^[0-9+][0-9 ]{1,19}\Z")]
# One line: no line break and no control character (a name, a title, a time zone).
ONE_LINE = r"^[^\x00-\x1f\x7f]*\Z"
ShortText = Annotated[str, Meta(min_length=1, max_length=200, pattern=ONE_LINE)]
LongText = Annotated[str, Meta(min_length=1, max_length=2000)]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
Locale = Literal["fr", "en"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class _File(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Unknown keys are refused: a typo must not be silently ignored."""


class Localised(_File):
    """Every text a visitor, listener or admin reads exists in French and English."""

    fr: LongText
    en: LongText


class Branding(_File):
    primary_color: Colour = "#1f4e79"
    text_color: Colour = "#ffffff"
    position: Literal["left", "right"] = "right"
    logo_url: WebUrl | None = None
    launcher_label: Localised | None = None
    welcome: Localised | None = None
    # Who answers, as the visitor reads it, with its article ("une psychologue du service",
    # "a student peer supporter"); by default from the tenant's kind (server/widget/routes.py).
    role_word: Localised | None = None


class WeeklyHours(_File):
    """A slot on the given days; closes before opens means it ends after midnight."""

    days: Annotated[list[Weekday], Meta(min_length=1)]
    opens: ClockTime
    closes: ClockTime
    team: Key | None = None


class ExceptionDay(_File):
    """A dated exception: closed all day, or open only from opens to closes."""

    date: date
    label: Localised | None = None
    opens: ClockTime | None = None
    closes: ClockTime | None = None
    team: Key | None = None


class Team(_File):
    slug: Key
    name: ShortText
    languages: list[Locale] = []
    topics: list[Key] = []
    # The team's own role word ("une psychologue du service"); by default the line's.
    role_word: Localised | None = None


class ReferralName(_File):
    """A referral's name when English readers need other words than French ones (a French
    service explained); a name that is the same in both languages is a plain string."""

    fr: ShortText
    en: ShortText


class Referral(_File):
    key: Key
    # "3114", "SOS Amitié": one string for both languages; or {fr = "…", en = "…"}.
    name: ShortText | ReferralName
    topics: list[Key] = []
    hours: Localised | None = None
    description: Localised | None = None
    phone: Phone | None = None
    sms: Phone | None = None
    url: WebUrl | None = None
    emergency: bool = False
    hidden: bool = False

    def name_in(self, locale: Locale) -> str:
        """The name a visitor or listener reading `locale` is shown."""
        return self.name if isinstance(self.name, str) else getattr(self.name, locale)


class CannedReply(_File):
    key: Key
    locale: Locale
    title: ShortText
    body: LongText


class PartnerGrant(_File):
    """This tenant lets the named organisation's listeners answer its chats."""

    organisation: Slug
    teams: list[Key] | None = None


class Routing(_File):
    mode: Literal["claim", "auto"] = "claim"
    default_capacity: Annotated[int, Meta(ge=1, le=20)] = 2
    closing_cutoff_minutes: Annotated[int, Meta(ge=0, le=240)] = 15
    session_limit_minutes: Annotated[int, Meta(ge=5, le=480)] = 45
    inactivity_timeout_minutes: Annotated[int, Meta(ge=1, le=240)] = 15
    wait_alert_minutes: Annotated[int, Meta(ge=1, le=240)] = 10
    shift_alert_minutes: Annotated[int, Meta(ge=1, le=1440)] = 240


class FairUse(_File):
    """At most `conversations` started from one device in any `hours` (Shout's five in 48
    hours): a person who writes every day is pointed to services made for follow-up."""

    conversations: Annotated[int, Meta(ge=1, le=50)]
    hours: Annotated[int, Meta(ge=1, le=720)]


class Protection(_File):
    """The line's own limits on what anonymous visitors start and send. Unset: the instance's
    (HAVRE_STARTS_*, HAVRE_MESSAGES_*); a line's limit only ever adds to the instance's, which
    stays the ceiling."""

    starts_per_client_hour: Annotated[int, Meta(ge=1, le=1000)] | None = None
    starts_per_line_minute: Annotated[int, Meta(ge=1, le=10000)] | None = None
    # Messages one visitor may send in 10 minutes (the instance's burst still applies).
    messages_per_10_minutes: Annotated[int, Meta(ge=10, le=1000)] | None = None
    fair_use: FairUse | None = None
    # A proof-of-work puzzle the visitor's browser solves before a start (a line under attack).
    challenge: bool = False


class TenantFile(_File):
    slug: Slug
    name: ShortText
    kind: Literal["association", "university", "other"]
    admin_email: Email
    default_locale: Locale = "fr"
    time_zone: ShortText = "Europe/Paris"
    exit_url: WebUrl = "https://www.google.com/"
    retention_days: Annotated[int, Meta(ge=1, le=3650)] = 90
    allowed_origins: list[Origin] = []
    # The line's topics, in display order: what a visitor may choose, what a listener records
    # at wrap-up, what the dashboard counts. Empty: its teams' and referrals' topics
    # (server/tenants/topics.py: line_topics).
    topics: list[Key] = []
    branding: Branding = msgspec.field(default_factory=Branding)
    routing: Routing = msgspec.field(default_factory=Routing)
    protection: Protection = msgspec.field(default_factory=Protection)
    hours: list[WeeklyHours] = []
    exceptions: list[ExceptionDay] = []
    teams: list[Team] = []
    referrals: list[Referral] = []
    canned_replies: list[CannedReply] = []
    partners: list[PartnerGrant] = []
