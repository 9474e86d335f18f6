"""Two-step sign-in: TOTP secrets encrypted at rest, codes that are never accepted twice, and
one-time recovery codes of which only hashes are kept.

The server must read a TOTP secret back (unlike a password), so it is encrypted, not hashed:
with the message keys (`HAVRE_MESSAGE_KEYS`, AES-GCM, key id stored beside it, so the keys
rotate the same way) and the staff id as authenticated data, so a secret copied onto another
account does not decrypt.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from typing import Literal
from uuid import UUID

import msgspec
import pyotp
import segno

from server import audit
from server.crypto import MessageCipher, UndecryptableMessage
from server.db import Connection
from server.errors import HavreError, NotAuthenticated

ISSUER = "Havre"
STEP_SECONDS = 30
RECOVERY_CODE_COUNT = 10
# 16 characters from 31 unambiguous ones: about 79 bits, out of reach of a guess even offline.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_RECOVERY_LENGTH = 16

SecondFactorKind = Literal["totp", "recovery_code"]


class InvalidCode(HavreError):
    code = "invalid_code"
    status = 400


class TotpConflict(HavreError):
    status = 409


class Enrolment(msgspec.Struct, frozen=True):
    """What the account page shows once: the secret as text, as a URI and as a QR code."""

    secret: str
    otpauth_uri: str
    qr_svg: str  # a data: URI of an SVG image


class RecoveryCodes(msgspec.Struct, frozen=True):
    recovery_codes: list[str]


class TotpStatus(msgspec.Struct, frozen=True):
    enabled: bool
    pending: bool
    recovery_codes_left: int


def _hash_recovery_code(normalised: str) -> str:
    return hashlib.sha256(normalised.encode()).hexdigest()


def _normalise_recovery_code(code: str) -> str:
    return "".join(c for c in code.lower() if c not in " -")


def new_recovery_codes() -> list[str]:
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
        codes.append("-".join(raw[i : i + 4] for i in range(0, _RECOVERY_LENGTH, 4)))
    return codes


def is_totp_code(code: str) -> bool:
    compact = code.replace(" ", "")
    return len(compact) == 6 and compact.isascii() and compact.isdigit()


def matching_step(secret: str, code: str, now: float | None = None) -> int | None:
    """The time step (one either side of now, for clock drift) whose code this is, if any."""
    compact = code.replace(" ", "")
    totp = pyotp.TOTP(secret, interval=STEP_SECONDS)
    current = int((time.time() if now is None else now) // STEP_SECONDS)
    found = None
    for step in (current - 1, current, current + 1):
        # Every candidate is compared, in constant time, whatever matched before.
        if hmac.compare_digest(totp.generate_otp(step), compact):
            found = step
    return found


class SecondFactor:
    """Enrolment, verification and removal of a staff member's second factor.

    Every method takes a connection scoped to that staff member (`db.transaction(staff_id=…)`):
    row-level security lets a person read and change only their own account and codes.
    """

    def __init__(self, cipher: MessageCipher) -> None:
        self.cipher = cipher

    async def status(self, conn: Connection, staff_id: UUID) -> TotpStatus:
        row = await conn.fetchrow(
            """SELECT totp_enabled_at IS NOT NULL AS enabled,
                      totp_secret IS NOT NULL AND totp_enabled_at IS NULL AS pending,
                      (SELECT count(*) FROM staff_recovery_codes r
                        WHERE r.staff_id = s.id AND r.used_at IS NULL) AS left
                 FROM staff_users s WHERE s.id = $1""",
            staff_id,
        )
        if row is None:
            return TotpStatus(enabled=False, pending=False, recovery_codes_left=0)
        return TotpStatus(
            enabled=row["enabled"], pending=row["pending"], recovery_codes_left=row["left"]
        )

    @staticmethod
    async def is_enabled(conn: Connection, staff_id: UUID) -> bool:
        return bool(
            await conn.fetchval(
                "SELECT totp_enabled_at IS NOT NULL FROM staff_users WHERE id = $1", staff_id
            )
        )

    async def start_enrolment(self, conn: Connection, staff_id: UUID) -> Enrolment:
        """A new secret, stored encrypted but not enabled until a code confirms it."""
        row = await conn.fetchrow(
            "SELECT email, totp_enabled_at FROM staff_users WHERE id = $1 FOR UPDATE", staff_id
        )
        if row is None:
            raise NotAuthenticated(code="invalid_token")
        if row["totp_enabled_at"] is not None:
            raise TotpConflict(code="totp_already_enabled")
        secret = pyotp.random_base32()
        key_id, sealed = self.cipher.encrypt(staff_id, secret)
        await conn.execute(
            "UPDATE staff_users SET totp_secret = $2, totp_key_id = $3, totp_last_step = NULL "
            "WHERE id = $1",
            staff_id,
            sealed,
            key_id,
        )
        uri = pyotp.TOTP(secret, interval=STEP_SECONDS).provisioning_uri(
            name=row["email"], issuer_name=ISSUER
        )
        qr = segno.make(uri, error="m").svg_data_uri(scale=5, border=2)
        return Enrolment(secret=secret, otpauth_uri=uri, qr_svg=qr)

    async def confirm_enrolment(self, conn: Connection, staff_id: UUID, code: str) -> list[str]:
        """Enables TOTP when the code matches the pending secret; returns the recovery codes,
        shown this once."""
        row = await conn.fetchrow(
            "SELECT totp_secret, totp_key_id, totp_enabled_at FROM staff_users "
            "WHERE id = $1 FOR UPDATE",
            staff_id,
        )
        if row is None or row["totp_enabled_at"] is not None:
            raise TotpConflict(code="totp_already_enabled")
        if row["totp_secret"] is None:
            raise TotpConflict(code="totp_not_started")
        secret = self._secret(staff_id, row["totp_key_id"], row["totp_secret"])
        step = matching_step(secret, code) if secret and is_totp_code(code) else None
        if step is None:
            raise InvalidCode()
        await conn.execute(
            "UPDATE staff_users SET totp_enabled_at = now(), totp_last_step = $2 WHERE id = $1",
            staff_id,
            step,
        )
        codes = await self._replace_recovery_codes(conn, staff_id)
        await self._audit(conn, staff_id, "staff.totp_enabled")
        return codes

    async def verify(self, conn: Connection, staff_id: UUID, code: str) -> SecondFactorKind | None:
        """Which factor the code is, if it is valid now; a valid code is consumed (a TOTP step
        or a recovery code is accepted once)."""
        if is_totp_code(code):
            row = await conn.fetchrow(
                "SELECT totp_secret, totp_key_id FROM staff_users "
                "WHERE id = $1 AND totp_enabled_at IS NOT NULL",
                staff_id,
            )
            if row is None:
                return None
            secret = self._secret(staff_id, row["totp_key_id"], row["totp_secret"])
            step = matching_step(secret, code) if secret else None
            if step is None:
                return None
            # Conditional, so two requests racing with the same code cannot both succeed.
            accepted = await conn.fetchval(
                """UPDATE staff_users SET totp_last_step = $2
                    WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)
                   RETURNING id""",
                staff_id,
                step,
            )
            return "totp" if accepted else None
        normalised = _normalise_recovery_code(code)
        if len(normalised) != _RECOVERY_LENGTH:
            return None
        used = await conn.fetchval(
            """UPDATE staff_recovery_codes SET used_at = now()
                WHERE staff_id = $1 AND code_hash = $2 AND used_at IS NULL RETURNING staff_id""",
            staff_id,
            _hash_recovery_code(normalised),
        )
        return "recovery_code" if used else None

    async def disable(self, conn: Connection, staff_id: UUID, code: str) -> None:
        if not await self.is_enabled(conn, staff_id):
            raise TotpConflict(code="totp_not_enabled")
        if await self.verify(conn, staff_id, code) is None:
            raise InvalidCode()
        await conn.execute(
            "UPDATE staff_users SET totp_secret = NULL, totp_key_id = NULL, "
            "totp_enabled_at = NULL, totp_last_step = NULL WHERE id = $1",
            staff_id,
        )
        await conn.execute("DELETE FROM staff_recovery_codes WHERE staff_id = $1", staff_id)
        await self._audit(conn, staff_id, "staff.totp_disabled")

    async def regenerate_recovery_codes(
        self, conn: Connection, staff_id: UUID, code: str
    ) -> list[str]:
        if not await self.is_enabled(conn, staff_id):
            raise TotpConflict(code="totp_not_enabled")
        if await self.verify(conn, staff_id, code) is None:
            raise InvalidCode()
        codes = await self._replace_recovery_codes(conn, staff_id)
        await self._audit(conn, staff_id, "staff.recovery_codes_renewed")
        return codes

    def _secret(self, staff_id: UUID, key_id: str | None, sealed: bytes) -> str | None:
        """None when it does not decrypt (a retired key, or a secret moved from another
        account): no code can match it."""
        try:
            return self.cipher.decrypt(staff_id, key_id or "", sealed)
        except UndecryptableMessage:
            return None

    async def _replace_recovery_codes(self, conn: Connection, staff_id: UUID) -> list[str]:
        codes = new_recovery_codes()
        await conn.execute("DELETE FROM staff_recovery_codes WHERE staff_id = $1", staff_id)
        await conn.executemany(
            "INSERT INTO staff_recovery_codes (staff_id, code_hash) VALUES ($1, $2)",
            [(staff_id, _hash_recovery_code(_normalise_recovery_code(c))) for c in codes],
        )
        return codes

    async def _audit(self, conn: Connection, staff_id: UUID, action: str) -> None:
        await audit.record_for_account(conn, staff_id=staff_id, action=action)
