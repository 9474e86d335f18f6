"""SQL for staff accounts and their sessions."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec

from server.db import Connection, Database


class Credentials(msgspec.Struct, frozen=True):
    id: UUID
    password_hash: str | None
    is_active: bool


class StaffProfile(msgspec.Struct, frozen=True):
    id: UUID
    email: str
    display_name: str
    locale: str
    visitor_name: str = ""  # the first name or alias visitors read


async def credentials_for(db: Database, email: str) -> Credentials | None:
    async with db.transaction() as conn:
        row = await conn.fetchrow("SELECT * FROM havre_staff_credentials($1)", email)
    return Credentials(**dict(row)) if row else None


async def profile(conn: Connection, staff_id: UUID) -> StaffProfile | None:
    row = await conn.fetchrow(
        "SELECT id, email, display_name, locale, visitor_name FROM staff_users WHERE id = $1",
        staff_id,
    )
    return StaffProfile(**dict(row)) if row else None


async def open_session(
    conn: Connection, *, session_id: UUID, staff_id: UUID, family_id: UUID, expires_at: datetime
) -> None:
    await conn.execute(
        "INSERT INTO staff_sessions (id, staff_id, family_id, expires_at) VALUES ($1, $2, $3, $4)",
        session_id,
        staff_id,
        family_id,
        expires_at,
    )


class SessionRow(msgspec.Struct, frozen=True):
    id: UUID
    family_id: UUID
    expires_at: datetime
    used_at: datetime | None
    revoked_at: datetime | None


async def lock_session(conn: Connection, session_id: UUID) -> SessionRow | None:
    row = await conn.fetchrow(
        "SELECT id, family_id, expires_at, used_at, revoked_at FROM staff_sessions "
        "WHERE id = $1 FOR UPDATE",
        session_id,
    )
    return SessionRow(**dict(row)) if row else None


async def mark_used(conn: Connection, session_id: UUID) -> None:
    await conn.execute("UPDATE staff_sessions SET used_at = now() WHERE id = $1", session_id)


async def revoke_family(conn: Connection, family_id: UUID) -> None:
    await conn.execute(
        "UPDATE staff_sessions SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL",
        family_id,
    )


async def revoke_all_sessions(conn: Connection, staff_id: UUID) -> set[UUID]:
    """Every live session of the account; returns their families (to refuse their access
    tokens too)."""
    rows = await conn.fetch(
        "UPDATE staff_sessions SET revoked_at = now() "
        "WHERE staff_id = $1 AND revoked_at IS NULL RETURNING family_id",
        staff_id,
    )
    return {row["family_id"] for row in rows}
