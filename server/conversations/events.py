"""What travels between workers through Redis. Message bodies stay encrypted in transit."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

import msgspec

from server.conversations.frames import AuthorKind, MessageKind
from server.realtime import Realtime

Audience = Literal["all", "visitor", "staff"]
# Which message kinds each side receives.
VISITOR_KINDS: tuple[MessageKind, ...] = ("text", "referral", "event")
STAFF_KINDS: tuple[MessageKind, ...] = ("text", "referral", "event", "note", "whisper")


class StoredMessage(msgspec.Struct, tag="msg", frozen=True):
    conversation_id: UUID
    seq: int
    client_id: UUID
    author: AuthorKind
    kind: MessageKind
    key_id: str
    body: bytes
    at: datetime
    author_name: str | None = None  # whispers: the supervisor's display name


class Forward(msgspec.Struct, tag="fwd", frozen=True):
    """A frame already encoded for clients, for one audience."""

    audience: Audience
    frame: bytes


class QueueChanged(msgspec.Struct, tag="queue", frozen=True):
    tenant_id: UUID


class AssignmentChanged(msgspec.Struct, tag="assignment", frozen=True):
    conversation_id: UUID
    tenant_id: UUID
    assigned: bool
    reason: str = ""


class PresenceChanged(msgspec.Struct, tag="presence", frozen=True):
    staff_id: UUID


class AccessChanged(msgspec.Struct, tag="access", frozen=True):
    """A staff member's roles, teams or grants changed (None: anyone's, in that tenant): open
    consoles check again what they may serve."""

    staff_id: UUID | None = None


class SupervisionNotice(msgspec.Struct, tag="supervise", frozen=True):
    """For a tenant's supervisors: their live list changed, and maybe a frame (an alert) for
    those whose teams include one of `teams` (None: every supervisor of the tenant)."""

    tenant_id: UUID
    teams: list[UUID | None] | None = None
    frame: bytes = b""


Event = (
    StoredMessage
    | Forward
    | QueueChanged
    | AssignmentChanged
    | PresenceChanged
    | SupervisionNotice
    | AccessChanged
)

_encoder = msgspec.msgpack.Encoder()
_decoder = msgspec.msgpack.Decoder(Event)
_json = msgspec.json.Encoder()


def decode_event(payload: bytes) -> Event:
    event: Event = _decoder.decode(payload)
    return event


class Channels:
    """Channel names, and publishing typed events on them."""

    def __init__(self, realtime: Realtime) -> None:
        self.realtime = realtime

    def conversation(self, conversation_id: UUID) -> str:
        return self.realtime.channel("conv", str(conversation_id))

    def queue(self, tenant_id: UUID) -> str:
        return self.realtime.channel("queue", str(tenant_id))

    def staff(self, staff_id: UUID) -> str:
        return self.realtime.channel("staff", str(staff_id))

    async def access_changed(self, tenant_id: UUID, staff_id: UUID | None = None) -> None:
        """One person's consoles (or, with None, every console serving the tenant) re-check."""
        channel = self.staff(staff_id) if staff_id else self.queue(tenant_id)
        await self.publish(channel, AccessChanged(staff_id))

    def supervisors(self, tenant_id: UUID) -> str:
        return self.realtime.channel("supervise", str(tenant_id))

    async def publish(self, channel: str, event: Event) -> None:
        await self.realtime.publish(channel, _encoder.encode(event))

    async def forward(
        self, channel: str, frame: msgspec.Struct, audience: Audience = "all"
    ) -> None:
        await self.publish(channel, Forward(audience=audience, frame=_json.encode(frame)))
