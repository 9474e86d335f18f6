"""Invitations: an admin invites an address with a role; the link's holder joins the tenant.

The link carries a random token; only its SHA-256 is stored. It works once, for 7 days, and
creates the account (or, for an address that has one, attaches it once its owner signs in).
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from uuid import UUID

import msgspec

from server import audit
from server.access import TenantAccess
from server.auth import hash_password
from server.db import Connection, Database
from server.errors import Forbidden, HavreError, InvalidInput, NotFound
from server.i18n import Locale
from server.staff.admin_structs import Invitation, InvitationAccept, InvitationCreate
from server.staff.members import check_teams

INVITATION_DAYS = 7
_COLUMNS = "id, email, role, team_ids, locale, created_at, expires_at"


class Conflict(HavreError):
    status = 409


class InvitationView(msgspec.Struct, frozen=True):
    """What the invitation page shows its holder."""

    id: UUID
    organisation_id: UUID
    organisation_name: str
    email: str
    role: str
    locale: str
    expires_at: datetime
    has_account: bool


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_link(public_url: str, token: str) -> str:
    return f"{public_url}/invite/{token}"


async def create(
    conn: Connection, *, access: TenantAccess, actor_id: UUID, data: InvitationCreate
) -> tuple[Invitation, str]:
    """The invitation and its token (to mail or show once). An earlier pending invitation of
    the same address is replaced, so only the newest link works."""
    if data.role == "admin" and access.role != "owner":
        raise Forbidden(code="owner_only")
    email = data.email.strip().lower()
    team_ids = sorted(set(data.team_ids))
    await check_teams(conn, team_ids)
    member = await conn.fetchval(
        """SELECT 1 FROM memberships m JOIN staff_users s ON s.id = m.staff_id
            WHERE m.organisation_id = $1 AND s.email = $2 AND m.is_active""",
        access.organisation_id,
        email,
    )
    if member:
        raise Conflict(code="already_member")
    locale = data.locale or await conn.fetchval(
        "SELECT default_locale FROM organisations WHERE id = $1", access.organisation_id
    )
    await conn.execute(
        """UPDATE invitations SET revoked_at = now()
            WHERE email = $1 AND accepted_at IS NULL AND revoked_at IS NULL""",
        email,
    )
    token = secrets.token_urlsafe(32)
    row = await conn.fetchrow(
        f"""INSERT INTO invitations (organisation_id, email, role, team_ids, locale, token_hash,
                                     invited_by, expires_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {_COLUMNS}""",
        access.organisation_id,
        email,
        data.role,
        team_ids,
        locale,
        token_hash(token),
        actor_id,
        datetime.now(UTC) + timedelta(days=INVITATION_DAYS),
    )
    await audit.record(
        conn,
        organisation_id=access.organisation_id,
        actor_id=actor_id,
        action="staff.invited",
        target=email,
        details={"role": data.role, "teams": len(team_ids)},
    )
    assert row is not None
    return msgspec.convert(dict(row), Invitation), token


async def pending(conn: Connection) -> list[Invitation]:
    rows = await conn.fetch(
        f"""SELECT {_COLUMNS} FROM invitations
             WHERE accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()
             ORDER BY created_at DESC"""
    )
    return [msgspec.convert(dict(r), Invitation) for r in rows]


async def revoke(
    conn: Connection, *, organisation_id: UUID, actor_id: UUID, invitation_id: UUID
) -> None:
    email = await conn.fetchval(
        """UPDATE invitations SET revoked_at = now()
            WHERE id = $1 AND accepted_at IS NULL AND revoked_at IS NULL RETURNING email""",
        invitation_id,
    )
    if email is None:
        raise NotFound(code="invitation_not_found")
    await audit.record(
        conn,
        organisation_id=organisation_id,
        actor_id=actor_id,
        action="staff.invitation_revoked",
        target=email,
    )


async def lookup(db: Database, token: str) -> InvitationView | None:
    async with db.transaction() as conn:
        row = await conn.fetchrow("SELECT * FROM havre_invitation_by_token($1)", token_hash(token))
    return msgspec.convert(dict(row), InvitationView) if row else None


async def accept(
    db: Database, *, data: InvitationAccept, signed_in: UUID | None
) -> tuple[UUID, InvitationView, bool]:
    """Joins the tenant; returns the account's id and whether it was created. All in one
    transaction: the account, the membership, the teams and the invitation's use."""
    view = await lookup(db, data.token)
    if view is None:
        raise NotFound(code="invitation_not_found")
    password_hash: str | None = None
    if view.has_account:
        if signed_in is None:
            raise Conflict(code="account_exists")
        async with db.transaction(staff_id=signed_in) as conn:
            email = await conn.fetchval("SELECT email FROM staff_users WHERE id = $1", signed_in)
        if email != view.email:
            raise Forbidden(code="invitation_other_account")
    else:
        if data.display_name is None or not data.display_name.strip() or data.password is None:
            raise InvalidInput(details={"fields": ["display_name", "password"]})
        password_hash = await asyncio.to_thread(hash_password, data.password)
    async with db.tenant_transaction(view.organisation_id, staff_id=signed_in) as conn:
        row = await conn.fetchrow(
            """SELECT email, role, team_ids FROM invitations
                WHERE id = $1 AND accepted_at IS NULL AND revoked_at IS NULL
                  AND expires_at > now() FOR UPDATE""",
            view.id,
        )
        if row is None:
            raise NotFound(code="invitation_not_found")
        if password_hash is not None:
            assert data.display_name is not None
            staff_id = await conn.fetchval(
                "SELECT havre_create_invited_staff($1, $2, $3, $4)",
                view.id,
                data.display_name.strip(),
                data.locale,
                password_hash,
            )
            if staff_id is None:
                raise Conflict(code="account_exists")
        else:
            assert signed_in is not None
            staff_id = signed_in
        # A returning member is reactivated with the invited role; an owner stays owner.
        await conn.execute(
            """INSERT INTO memberships (organisation_id, staff_id, role) VALUES ($1, $2, $3)
               ON CONFLICT (organisation_id, staff_id) DO UPDATE SET is_active = true,
                   role = CASE WHEN memberships.role = 'owner' THEN 'owner'
                               ELSE EXCLUDED.role END""",
            view.organisation_id,
            staff_id,
            row["role"],
        )
        await conn.execute(
            """INSERT INTO team_members (organisation_id, team_id, staff_id)
               SELECT $1, t.id, $2 FROM teams t WHERE t.id = ANY($3::uuid[])
               ON CONFLICT DO NOTHING""",
            view.organisation_id,
            staff_id,
            row["team_ids"],
        )
        await conn.execute(
            "UPDATE invitations SET accepted_at = now(), accepted_by = $2 WHERE id = $1",
            view.id,
            staff_id,
        )
        await audit.record(
            conn,
            organisation_id=view.organisation_id,
            actor_id=staff_id,
            action="staff.invitation_accepted",
            target=row["email"],
            details={"role": row["role"], "new_account": password_hash is not None},
        )
    return staff_id, view, password_hash is not None


MAIL: dict[Locale, tuple[str, str]] = {
    "fr": (
        "Invitation à rejoindre {organisation} sur Havre",
        "Bonjour,\n\n{inviter} vous invite à rejoindre {organisation} sur Havre, "
        "en tant que {role}.\n\nPour accepter, ouvrez ce lien (valable jusqu'au {expires}, "
        "une seule fois) :\n\n{link}\n\nSi vous n'attendiez pas cette invitation, "
        "ignorez simplement ce message.\n",
    ),
    "en": (
        "Invitation to join {organisation} on Havre",
        "Hello,\n\n{inviter} invites you to join {organisation} on Havre as {role}.\n\n"
        "To accept, open this link (valid until {expires}, once):\n\n{link}\n\n"
        "If you were not expecting this invitation, simply ignore this message.\n",
    ),
}
ROLE_NAMES: dict[Locale, dict[str, str]] = {
    "fr": {"listener": "écoutant·e", "supervisor": "superviseur·e", "admin": "administrateur·rice"},
    "en": {"listener": "listener", "supervisor": "supervisor", "admin": "administrator"},
}


def invitation_mail(
    *, locale: Locale, organisation: str, inviter: str, role: str, link: str, expires: datetime
) -> tuple[str, str]:
    subject, body = MAIL[locale]
    values = {
        "organisation": organisation,
        "inviter": inviter,
        "role": ROLE_NAMES[locale].get(role, role),
        "link": link,
        "expires": expires.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }
    return subject.format(**values), body.format(**values)
