"""What the staff, invitation, partner and account endpoints read and return."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from msgspec import UNSET, Meta, UnsetType

from server.access import Role
from server.staff.totp import TotpStatus

InvitableRole = Literal["listener", "supervisor", "admin"]
LocaleName = Literal["fr", "en"]
# Surrounding spaces (a pasted address) are allowed here and trimmed by the service.
Email = Annotated[str, Meta(min_length=3, max_length=260, pattern=r"^\s*[^@\s]+@[^@\s]+\s*\Z")]
TeamIds = Annotated[list[UUID], Meta(max_length=100)]
Capacity = Annotated[int, Meta(ge=1, le=20)]
Supervised = Annotated[int, Meta(ge=0, le=1000)]
Code = Annotated[str, Meta(min_length=1, max_length=64)]


class TeamRef(msgspec.Struct, frozen=True):
    id: UUID
    slug: str
    name: str


class Member(msgspec.Struct, frozen=True):
    staff_id: UUID
    email: str
    display_name: str
    role: Role
    team_ids: list[UUID]
    is_active: bool
    totp_enabled: bool
    capacity: int | None
    supervised_conversations: int


class MemberUpdate(msgspec.Struct, forbid_unknown_fields=True, frozen=True, omit_defaults=True):
    """A partial change; a field left out is kept. `capacity: null` means the tenant default."""

    role: Role | UnsetType = UNSET
    capacity: Capacity | UnsetType | None = UNSET
    supervised_conversations: Supervised | UnsetType = UNSET
    team_ids: TeamIds | UnsetType = UNSET
    is_active: bool | UnsetType = UNSET


class InvitationCreate(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    email: Email
    role: InvitableRole
    team_ids: TeamIds = msgspec.field(default_factory=list)
    # The e-mail's language; the tenant's default when left out.
    locale: LocaleName | None = None


class Invitation(msgspec.Struct, frozen=True):
    id: UUID
    email: str
    role: InvitableRole
    team_ids: list[UUID]
    locale: LocaleName
    created_at: datetime
    expires_at: datetime


class InvitationCreated(msgspec.Struct, frozen=True):
    invitation: Invitation
    emailed: bool
    # Only when no e-mail was sent: the admin passes it on. It is never shown again.
    link: str | None = None


class StaffOverview(msgspec.Struct, frozen=True):
    members: list[Member]
    invitations: list[Invitation]
    teams: list[TeamRef]
    # What the page may offer: only owners give or change the admin and owner roles.
    can_manage_admins: bool
    smtp_configured: bool


class PartnerGrant(msgspec.Struct, frozen=True):
    partner_id: UUID
    slug: str
    name: str
    # None: every team of the host.
    team_ids: list[UUID] | None
    created_at: datetime


class PartnerGrantUpdate(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    team_ids: Annotated[list[UUID], Meta(min_length=1, max_length=100)] | None = None


class PartnersOverview(msgspec.Struct, frozen=True):
    grants: list[PartnerGrant]
    teams: list[TeamRef]


class InvitationAccept(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """A new account sets its name, password and language; an existing one sends only the
    token, signed in as the invited address."""

    token: Annotated[str, Meta(min_length=10, max_length=128)]
    display_name: Annotated[str, Meta(min_length=1, max_length=120)] | None = None
    password: Annotated[str, Meta(min_length=12, max_length=1024)] | None = None
    locale: LocaleName = "fr"


class InvitationAccepted(msgspec.Struct, frozen=True):
    next: str
    new_account: bool


class AccountUpdate(msgspec.Struct, forbid_unknown_fields=True, frozen=True, omit_defaults=True):
    display_name: Annotated[str, Meta(min_length=1, max_length=120)] | UnsetType = UNSET
    locale: LocaleName | UnsetType = UNSET
    # The first name or alias visitors read ("" : the role word alone); one line.
    visitor_name: Annotated[str, Meta(max_length=40, pattern=r"^[^\n\r\t]*\Z")] | UnsetType = UNSET


class PasswordChange(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    current_password: Annotated[str, Meta(min_length=1, max_length=1024)]
    new_password: Annotated[str, Meta(min_length=12, max_length=1024)]


class PasswordChanged(msgspec.Struct, frozen=True):
    other_sessions_ended: bool = True


class CodeInput(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    code: Code


class Account(msgspec.Struct, frozen=True):
    id: UUID
    email: str
    display_name: str
    locale: str
    totp: TotpStatus
    visitor_name: str = ""
