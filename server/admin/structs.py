"""What the admin console sends and reads, section by section.

Each section reuses the tenant file's own types (server/tenants/structs.py), so the console
and the files accept exactly the same values. Keys of new rows may be left out: the server
derives them from the name or title."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

import msgspec
from msgspec import Meta

from server.tenants.structs import (
    Branding,
    ExceptionDay,
    Key,
    Locale,
    Localised,
    LongText,
    Origin,
    Phone,
    Protection,
    ReferralName,
    ShortText,
    WebUrl,
    WeeklyHours,
)

Section = Literal[
    "branding", "hours", "teams", "referrals", "replies", "widget", "privacy", "protection"
]
SECTIONS: tuple[Section, ...] = (
    "branding",
    "hours",
    "teams",
    "referrals",
    "replies",
    "widget",
    "privacy",
    "protection",
)


class _Input(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Unknown fields are refused, as in tenant files: a typo is never silently dropped."""


class BrandingSettings(_Input):
    name: ShortText
    exit_url: WebUrl
    branding: Branding


class ColourPair(_Input):
    primary_color: Annotated[str, Meta(pattern=r"^#[0-9a-fA-F]{6}\Z")]
    text_color: Annotated[str, Meta(pattern=r"^#[0-9a-fA-F]{6}\Z")]


class HoursSettings(_Input):
    time_zone: ShortText
    closing_cutoff_minutes: Annotated[int, Meta(ge=0, le=240)]
    hours: list[WeeklyHours] = []
    exceptions: list[ExceptionDay] = []


class RoutingSettings(_Input):
    mode: Literal["claim", "auto"]
    default_capacity: Annotated[int, Meta(ge=1, le=20)]
    session_limit_minutes: Annotated[int, Meta(ge=5, le=480)]
    inactivity_timeout_minutes: Annotated[int, Meta(ge=1, le=240)]
    wait_alert_minutes: Annotated[int, Meta(ge=1, le=240)]
    # Left out by an older page: the stored value stays.
    shift_alert_minutes: Annotated[int, Meta(ge=1, le=1440)] | None = None


class TeamInput(_Input):
    name: ShortText
    slug: Key | None = None
    languages: list[Locale] = []
    topics: list[Key] = []
    members: list[UUID] = []
    role_word: Localised | None = None


class TeamsSettings(_Input):
    routing: RoutingSettings
    teams: list[TeamInput] = []
    # The line's topics; left out (None) by an older page: the stored list stays.
    topics: list[Key] | None = None


class ReferralNameInput(_Input):
    """The console's two name fields: an English name left empty, or the same as the French
    one, means one name for both languages."""

    fr: ShortText
    en: ShortText | None = None


class ReferralInput(_Input):
    # As in tenant files ("3114", or {fr, en}), or the console's pair with `en` optional.
    name: ShortText | ReferralNameInput
    key: Key | None = None
    topics: list[Key] = []
    hours: Localised | None = None
    description: Localised | None = None
    phone: Phone | None = None
    sms: Phone | None = None
    url: WebUrl | None = None
    emergency: bool = False
    hidden: bool = False


class ReferralsSettings(_Input):
    referrals: list[ReferralInput] = []


class ReplyInput(_Input):
    locale: Locale
    title: ShortText
    body: LongText
    key: Key | None = None


class RepliesSettings(_Input):
    canned_replies: list[ReplyInput] = []


class WidgetSettings(_Input):
    allowed_origins: list[Origin] = []


class PrivacySettings(_Input):
    retention_days: Annotated[int, Meta(ge=1, le=3650)]


class FieldError(msgspec.Struct, frozen=True):
    """One refused value: `field` is its path in the request (`hours[2].opens`)."""

    field: str
    code: str
    message: str


class ContrastNotice(msgspec.Struct, frozen=True):
    """A colour pair that fails WCAG AA, worded for the admin."""

    code: str
    foreground: str
    background: str
    ratio: float
    required: float
    message: str


class BrandingValues(msgspec.Struct, frozen=True):
    """Every branding value, defaults included (tenant files leave defaults out)."""

    primary_color: str
    text_color: str
    position: str
    logo_url: str | None
    launcher_label: Localised | None
    welcome: Localised | None
    role_word: Localised | None


class BrandingView(msgspec.Struct, frozen=True):
    name: str
    exit_url: str
    branding: BrandingValues
    warnings: list[ContrastNotice]


class HoursPreview(msgspec.Struct, frozen=True):
    """What a visitor reads right now, with these hours."""

    open: bool
    accepting: bool
    fr: str
    en: str


class HoursView(msgspec.Struct, frozen=True):
    time_zone: str
    closing_cutoff_minutes: int
    hours: list[WeeklyHours]
    exceptions: list[ExceptionDay]
    preview: HoursPreview


class StaffOption(msgspec.Struct, frozen=True):
    """A member of the organisation who can be put in a team."""

    id: UUID
    label: str
    role: str


class TeamView(msgspec.Struct, frozen=True, omit_defaults=True):
    slug: str
    name: str
    languages: list[str]
    topics: list[str]
    members: list[UUID]
    role_word: Localised | None = None


class TeamsView(msgspec.Struct, frozen=True):
    routing: RoutingSettings
    teams: list[TeamView]
    staff: list[StaffOption]
    topics: list[str] = []  # the line's own list (empty: its teams' topics are used)


class ReferralView(msgspec.Struct, frozen=True, omit_defaults=True):
    key: str
    name: str | ReferralName  # as in tenant files: a string when both languages read the same
    topics: list[str] = []
    hours: Localised | None = None
    description: Localised | None = None
    phone: str | None = None
    sms: str | None = None
    url: str | None = None
    emergency: bool = False
    hidden: bool = False


class ReferralsView(msgspec.Struct, frozen=True):
    referrals: list[ReferralView]


class ReplyView(msgspec.Struct, frozen=True):
    key: str
    locale: str
    title: str
    body: str


class RepliesView(msgspec.Struct, frozen=True):
    canned_replies: list[ReplyView]


class WidgetView(msgspec.Struct, frozen=True):
    allowed_origins: list[str]
    snippet: str
    test_page: str


class InstanceLimits(msgspec.Struct, frozen=True):
    """The operator's limits (HAVRE_STARTS_*, HAVRE_MESSAGES_*…): the ceiling of every line."""

    starts_per_client_minute: int
    starts_per_client_hour: int
    starts_per_line_minute: int
    messages_burst: int
    messages_per_10_minutes: int
    visitor_frames_per_10s: int
    challenge_bits: int


class ProtectionView(msgspec.Struct, frozen=True):
    line: Protection
    instance: InstanceLimits


class PrivacyView(msgspec.Struct, frozen=True):
    retention_days: int
