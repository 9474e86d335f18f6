"""WebSocket frames, both directions, as msgspec tagged unions decoded in one place.

docs/protocol.md documents every frame with examples.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from msgspec import Meta

RiskLevel = Literal["none", "elevated", "high", "imminent"]
State = Literal["queued", "active", "ended", "abandoned", "missed"]
AuthorKind = Literal["visitor", "listener", "supervisor", "system"]
MessageKind = Literal["text", "referral", "whisper", "note", "event"]
Body = Annotated[str, Meta(min_length=1, max_length=20000)]
# A sequence number fits the database's integer column: a larger one is a bad frame (4400 or
# bad_frame), not an overflow in PostgreSQL.
Seq = Annotated[int, Meta(ge=0, le=2_147_483_647)]


class _In(msgspec.Struct, tag_field="type", forbid_unknown_fields=True):
    """Frames a client sends; unknown fields are refused."""


class _Out(msgspec.Struct, tag_field="type", omit_defaults=True):
    """Frames the server sends."""


# --- visitor -> server ------------------------------------------------------------------


class VisitorHello(_In, tag="hello"):
    token: Annotated[str, Meta(max_length=4096)]
    last_seq: Seq = 0


class Send(_In, tag="send"):
    client_id: UUID
    body: Body


class Typing(_In, tag="typing"):
    conversation_id: UUID | None = None


class Read(_In, tag="read"):
    seq: Seq
    conversation_id: UUID | None = None


class Sync(_In, tag="sync"):
    """Ask again for everything after last_seq (the socket stays open)."""

    last_seq: Seq
    conversation_id: UUID | None = None


class VisitorEnd(_In, tag="end"):
    # The quick-exit button (or Shift x3): the listener is told the visitor left in a hurry.
    quick_exit: bool = False


class Rate(_In, tag="rate"):
    rating: Annotated[int, Meta(ge=1, le=5)]


class Ping(_In, tag="ping"):
    pass


class RenewToken(_In, tag="renew"):
    pass


VisitorFrame = VisitorHello | Send | Typing | Read | Sync | VisitorEnd | Rate | Ping | RenewToken

# --- console -> server ------------------------------------------------------------------


class ConsoleHello(_In, tag="hello"):
    """Authenticated by the session cookie or by an access token given here."""

    token: Annotated[str, Meta(max_length=4096)] | None = None


class Presence(_In, tag="presence"):
    status: Literal["available", "away"]


class Claim(_In, tag="claim"):
    conversation_id: UUID


class ConsoleSend(_In, tag="send"):
    conversation_id: UUID
    client_id: UUID
    body: Body
    kind: Literal["text", "note", "referral"] = "text"


class ConsoleSync(_In, tag="sync"):
    conversation_id: UUID
    last_seq: Seq


class Wrapup(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """The listener's assessment: topics (possibly none), risk and outcome are always said,
    never assumed, so the dashboard's figures are the listeners' own."""

    topics: list[Annotated[str, Meta(max_length=64)]]
    risk_level: RiskLevel
    outcome: Literal["supported", "referred", "emergency", "visitor_left", "other"]
    note: Annotated[str, Meta(max_length=4000)] | None = None


class ConsoleEnd(_In, tag="end"):
    conversation_id: UUID
    wrapup: Wrapup


class Extend(_In, tag="extend"):
    conversation_id: UUID


class SetRisk(_In, tag="set_risk"):
    conversation_id: UUID
    level: RiskLevel


class Transfer(_In, tag="transfer"):
    conversation_id: UUID
    to_listener: UUID | None = None
    to_team: Annotated[str, Meta(max_length=64)] | None = None
    note: Annotated[str, Meta(max_length=4000)] | None = None


class Join(_In, tag="join"):
    """A supervisor follows a conversation silently: its history, then live (read-only)."""

    conversation_id: UUID


class Leave(_In, tag="leave"):
    conversation_id: UUID


class Whisper(_In, tag="whisper"):
    """A supervisor's message to the conversation's listener, never shown to the visitor."""

    conversation_id: UUID
    client_id: UUID
    body: Body


class TakeOver(_In, tag="take_over"):
    """A supervisor becomes the conversation's listener."""

    conversation_id: UUID


ConsoleFrame = (
    ConsoleHello
    | Presence
    | Claim
    | ConsoleSend
    | Typing
    | Read
    | ConsoleSync
    | ConsoleEnd
    | Extend
    | SetRisk
    | Transfer
    | Join
    | Leave
    | Whisper
    | TakeOver
    | Ping
)


# --- server -> clients ------------------------------------------------------------------


class Message(_Out, tag="message"):
    conversation_id: UUID
    seq: int
    client_id: UUID
    author: AuthorKind
    kind: MessageKind
    body: str
    at: datetime
    # Whispers only (staff-only): the supervisor's display name.
    author_name: str | None = None


class Ack(_Out, tag="ack"):
    conversation_id: UUID
    client_id: UUID
    seq: int
    duplicate: bool = False


class Answerer(msgspec.Struct, frozen=True, omit_defaults=True):
    """Who answers, as the visitor reads it: the first name or alias the listener chose
    (none: the role word alone) and their team's own role word, when it has one."""

    name: str | None = None
    role: dict[str, str] | None = None  # {"fr": ..., "en": ...}


class Welcome(_Out, tag="welcome"):
    conversation_id: UUID
    state: State
    last_seq: int
    position: int | None = None
    estimated_wait_seconds: int | None = None
    # While active: who answers. Once ended after high or imminent risk: crisis_help.
    listener: Answerer | None = None
    crisis_help: bool = False


class QueuePosition(_Out, tag="queue"):
    conversation_id: UUID
    position: int
    estimated_wait_seconds: int | None = None
    # Sent (false) only when no listener of the line is available: then there is no estimate.
    listeners_available: bool = True


class StateChanged(_Out, tag="state"):
    conversation_id: UUID
    state: State
    reason: str | None = None
    # At an end after high or imminent risk: the widget brings back the crisis resources.
    crisis_help: bool = False
    # When a listener (or a supervisor taking over) joins: who answers from now on.
    listener: Answerer | None = None


def crisis_help(risk_level: str | None, assessed_risk: str | None) -> bool:
    """An ended conversation brings back the crisis resources after high or imminent risk,
    whether the scorer or the listener said so."""
    return bool({risk_level, assessed_risk} & {"high", "imminent"})


class TypingOut(_Out, tag="typing"):
    conversation_id: UUID
    author: AuthorKind


class ReadOut(_Out, tag="read"):
    conversation_id: UUID
    author: AuthorKind
    seq: int


class Warning(_Out, tag="warning"):
    conversation_id: UUID
    kind: Literal["session_ending", "inactivity", "closing"]
    minutes_left: int


class Token(_Out, tag="token"):
    token: str
    expires_in: int


class Pong(_Out, tag="pong"):
    pass


class ErrorFrame(_Out, tag="error"):
    code: str
    message: str
    conversation_id: UUID | None = None
    client_id: UUID | None = None
    # What a client needs to act on the error, e.g. {"max_chars": 4000} for message_too_long.
    details: dict[str, int | str] | None = None


class QueueEntry(msgspec.Struct, frozen=True):
    """What a listener sees of a waiting visitor: no text, ever."""

    conversation_id: UUID
    tenant: str
    tenant_name: str
    team: str | None
    topic: str | None
    locale: str
    risk_level: RiskLevel
    waiting_seconds: int
    # The page has been gone past the grace (HAVRE_QUEUE_GRACE): listed after those present,
    # counted in nobody's place or wait, in place again when the page comes back.
    left: bool = False


class QueueSnapshot(_Out, tag="queue_snapshot"):
    entries: list[QueueEntry]


class ConversationSummary(msgspec.Struct, frozen=True):
    conversation_id: UUID
    tenant: str
    team: str | None
    topic: str | None
    locale: str
    state: State
    risk_level: RiskLevel
    risk_reasons: list[str]
    listener_id: UUID | None
    last_seq: int
    session_ends_at: datetime | None
    extended: bool
    # Within the listener's first supervised conversations (see docs/supervision.md).
    supervised: bool = False


class Assigned(_Out, tag="assigned"):
    conversation: ConversationSummary


class Unassigned(_Out, tag="unassigned"):
    conversation_id: UUID
    reason: str


class RiskChanged(_Out, tag="risk"):
    conversation_id: UUID
    level: RiskLevel
    reasons: list[str]
    # At high or imminent: the names of the supervisors alerted (empty: none was online).
    alerted: list[str] | None = None


AlertKind = Literal["risk", "long_wait", "long_shift", "supervised_start", "visitor_left"]


class Alert(_Out, tag="alert"):
    """To the supervisors of a tenant; which fields are set depends on the kind."""

    tenant: str
    kind: AlertKind
    conversation_id: UUID | None = None
    level: RiskLevel | None = None
    reasons: list[str] | None = None
    listener_id: UUID | None = None
    listener_name: str | None = None
    minutes: int | None = None


class SupervisedEntry(msgspec.Struct, frozen=True):
    """One live conversation as its supervisors see it in their list: no text."""

    conversation_id: UUID
    tenant: str
    tenant_name: str
    team: str | None
    topic: str | None
    locale: str
    state: State
    risk_level: RiskLevel
    listener_id: UUID | None
    listener_name: str | None
    waiting_seconds: int
    duration_seconds: int | None
    supervised: bool
    # Queued, and the page has been gone past the grace (as in QueueEntry).
    left: bool = False


class SupervisionSnapshot(_Out, tag="supervision_snapshot"):
    entries: list[SupervisedEntry]


class Joined(_Out, tag="joined"):
    conversation: ConversationSummary
    listener_name: str | None = None


class Left(_Out, tag="left"):
    conversation_id: UUID


class PresenceOut(_Out, tag="presence"):
    status: Literal["available", "away"]
    capacity: int
    active: int


class Extended(_Out, tag="extended"):
    """The answer to a successful `extend`: the session's new limit."""

    conversation_id: UUID
    session_ends_at: datetime


ServerFrame = (
    Message
    | Ack
    | Welcome
    | QueuePosition
    | StateChanged
    | TypingOut
    | ReadOut
    | Warning
    | Token
    | Pong
    | ErrorFrame
    | QueueSnapshot
    | Assigned
    | Unassigned
    | RiskChanged
    | Alert
    | PresenceOut
    | Extended
    | SupervisionSnapshot
    | Joined
    | Left
)

visitor_decoder = msgspec.json.Decoder(VisitorFrame)
console_decoder = msgspec.json.Decoder(ConsoleFrame)
encoder = msgspec.json.Encoder()
