"""A staff member's own name, language and password."""

from __future__ import annotations

import asyncio
from uuid import UUID

from msgspec import UNSET

from server import audit
from server.auth import hash_password, verify_password
from server.db import Connection, Database
from server.errors import HavreError
from server.staff import repository
from server.staff.admin_structs import AccountUpdate, PasswordChange
from server.staff.service import SignInService


class WrongPassword(HavreError):
    code = "wrong_password"
    status = 400


async def update(conn: Connection, staff_id: UUID, data: AccountUpdate) -> None:
    await conn.execute(
        """UPDATE staff_users SET display_name = COALESCE($2, display_name),
                                  locale = COALESCE($3, locale),
                                  visitor_name = COALESCE($4, visitor_name)
            WHERE id = $1""",
        staff_id,
        None if data.display_name is UNSET else data.display_name.strip(),
        None if data.locale is UNSET else data.locale,
        None if data.visitor_name is UNSET else data.visitor_name.strip(),
    )


async def change_password(
    db: Database, signin: SignInService, staff_id: UUID, data: PasswordChange, *, address: str
) -> None:
    """Checks the current password (a wrong one counts as a failed sign-in from `address`),
    stores the new hash and revokes every session of the account, access tokens included: a
    thief's session ends with the change."""
    async with db.transaction(staff_id=staff_id) as conn:
        email = str(await conn.fetchval("SELECT email FROM staff_users WHERE id = $1", staff_id))
    async with signin.throttle.attempt(email, address) as attempt:
        credentials = await repository.credentials_for(db, email)
        current = credentials.password_hash if credentials else None
        if not await asyncio.to_thread(verify_password, current, data.current_password):
            await signin.failed(attempt, email)
            raise WrongPassword()
    new_hash = await asyncio.to_thread(hash_password, data.new_password)
    async with db.transaction(staff_id=staff_id) as conn:
        await conn.execute(
            "UPDATE staff_users SET password_hash = $2 WHERE id = $1", staff_id, new_hash
        )
        families = await repository.revoke_all_sessions(conn, staff_id)
        await audit.record_for_account(conn, staff_id=staff_id, action="staff.password_changed")
    await signin.revoke_families(families)
