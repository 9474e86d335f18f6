"""Operator-side account management (the `havre staff` commands and the demo)."""

from __future__ import annotations

from uuid import UUID

from server.access import ROLES
from server.auth import hash_password
from server.db import Connection


class AccountError(ValueError):
    """An account operation that cannot be done as asked."""


async def create_staff(
    conn: Connection,
    *,
    email: str,
    organisation: str,
    role: str,
    password: str | None,
    display_name: str = "",
) -> UUID:
    """Create the account if needed and give it the role; an existing account keeps its password
    unless a new one is given."""
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise AccountError(f"{email!r} is not an e-mail address")
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    async with conn.transaction():
        org_id = await conn.fetchval("SELECT id FROM organisations WHERE slug = $1", organisation)
        if org_id is None:
            raise AccountError(f"no organisation with slug {organisation!r}")
        staff_id: UUID = await conn.fetchval(
            """INSERT INTO staff_users (email, display_name, password_hash) VALUES ($1, $2, $3)
               ON CONFLICT (email) DO UPDATE SET
                   display_name = CASE WHEN EXCLUDED.display_name = ''
                                       THEN staff_users.display_name
                                       ELSE EXCLUDED.display_name END,
                   password_hash = COALESCE(EXCLUDED.password_hash, staff_users.password_hash)
               RETURNING id""",
            email,
            display_name,
            hash_password(password) if password else None,
        )
        await conn.execute(
            """INSERT INTO memberships (organisation_id, staff_id, role) VALUES ($1, $2, $3)
               ON CONFLICT (organisation_id, staff_id) DO UPDATE SET role = EXCLUDED.role""",
            org_id,
            staff_id,
            role,
        )
    return staff_id


async def set_password(conn: Connection, *, email: str, password: str) -> None:
    updated = await conn.fetchval(
        "UPDATE staff_users SET password_hash = $2 WHERE email = $1 RETURNING id",
        email.strip().lower(),
        hash_password(password),
    )
    if updated is None:
        raise AccountError(f"no account for {email!r}")


async def reset_two_step(conn: Connection, *, email: str) -> None:
    """Turn off someone's TOTP and recovery codes (a lost phone, a retired key): they sign in
    with their password alone and enrol again. Run by an operator, as the tables' owner."""
    staff_id = await conn.fetchval(
        "UPDATE staff_users SET totp_secret = NULL, totp_key_id = NULL, totp_enabled_at = NULL, "
        "totp_last_step = NULL WHERE email = $1 RETURNING id",
        email.strip().lower(),
    )
    if staff_id is None:
        raise AccountError(f"no account for {email!r}")
    await conn.execute("DELETE FROM staff_recovery_codes WHERE staff_id = $1", staff_id)


async def add_to_team(conn: Connection, *, staff_id: UUID, organisation: str, team: str) -> None:
    await conn.execute(
        """INSERT INTO team_members (organisation_id, team_id, staff_id)
           SELECT t.organisation_id, t.id, $1 FROM teams t
             JOIN organisations o ON o.id = t.organisation_id
            WHERE o.slug = $2 AND t.slug = $3
           ON CONFLICT DO NOTHING""",
        staff_id,
        organisation,
        team,
    )
