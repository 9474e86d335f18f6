"""Sign-in, refresh-token rotation and sign-out: the rules, free of HTTP."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import msgspec

from server import audit
from server.auth import TokenError, Tokens, verify_password
from server.cache import FailureCounter, RedisClient
from server.db import Database
from server.errors import NotAuthenticated
from server.settings import AuthSettings
from server.staff import repository


class TokenPair(msgspec.Struct, frozen=True):
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "Bearer"  # noqa: S105 - the OAuth token type, not a secret


class SignInService:
    def __init__(
        self, *, db: Database, redis: RedisClient, tokens: Tokens, settings: AuthSettings
    ) -> None:
        self.db = db
        self._argon2_slots = asyncio.Semaphore(2)
        self.tokens = tokens
        self.settings = settings
        window = settings.signin_window_seconds
        self.account_failures = FailureCounter(
            redis, "signin-account", limit=settings.signin_max_failures_per_account, window=window
        )
        self.client_failures = FailureCounter(
            redis, "signin-client", limit=settings.signin_max_failures_per_client, window=window
        )

    async def sign_in(self, *, email: str, password: str, client: str) -> TokenPair:
        """One answer for a wrong password, an unknown account and a lock: no enumeration."""
        email = email.strip().lower()
        locked = await self.account_failures.is_locked(email) or (
            await self.client_failures.is_locked(client)
        )
        credentials = await repository.credentials_for(self.db, email)
        # The hash is always checked, so every path costs one argon2 verification; in a thread,
        # so live chats on this worker do not wait for it, and two at a time (64 MiB each).
        async with self._argon2_slots:
            valid = await asyncio.to_thread(
                verify_password, credentials.password_hash if credentials else None, password
            )
        if locked or not valid or credentials is None or not credentials.is_active:
            await self.account_failures.record_failure(email)
            await self.client_failures.record_failure(client)
            raise NotAuthenticated(code="invalid_credentials")
        await self.account_failures.reset(email)
        pair = await self._open_session(credentials.id, family_id=uuid4())
        await self._audit_sign_in(credentials.id)
        return pair

    async def refresh(self, refresh_token: str) -> TokenPair:
        """Rotate: a refresh token works once; reusing one revokes its whole family."""
        try:
            claims = self.tokens.verify(refresh_token, "refresh")
            staff_id = UUID(str(claims["sub"]))
            session_id = UUID(str(claims["sid"]))
        except (TokenError, KeyError, ValueError):
            raise NotAuthenticated(code="invalid_token") from None
        async with self.db.transaction(staff_id=staff_id) as conn:
            session = await repository.lock_session(conn, session_id)
            if session is None:
                raise NotAuthenticated(code="invalid_token")
            if session.used_at is not None or session.revoked_at is not None:
                await repository.revoke_family(conn, session.family_id)
                reused = True
            else:
                reused = False
                await repository.mark_used(conn, session_id)
        if reused or session.expires_at <= datetime.now(UTC):
            raise NotAuthenticated(code="invalid_token")
        if not await self._still_active(staff_id):
            raise NotAuthenticated(code="invalid_token")
        return await self._open_session(staff_id, family_id=session.family_id)

    async def sign_out(self, refresh_token: str) -> None:
        try:
            claims = self.tokens.verify(refresh_token, "refresh")
            staff_id = UUID(str(claims["sub"]))
            session_id = UUID(str(claims["sid"]))
        except (TokenError, KeyError, ValueError):
            return
        async with self.db.transaction(staff_id=staff_id) as conn:
            session = await repository.lock_session(conn, session_id)
            if session is not None:
                await repository.revoke_family(conn, session.family_id)

    async def _still_active(self, staff_id: UUID) -> bool:
        async with self.db.transaction(staff_id=staff_id) as conn:
            return bool(
                await conn.fetchval("SELECT is_active FROM staff_users WHERE id = $1", staff_id)
            )

    async def _open_session(self, staff_id: UUID, *, family_id: UUID) -> TokenPair:
        session_id = uuid4()
        ttl = self.settings.refresh_ttl_seconds
        async with self.db.transaction(staff_id=staff_id) as conn:
            await repository.open_session(
                conn,
                session_id=session_id,
                staff_id=staff_id,
                family_id=family_id,
                expires_at=datetime.now(UTC) + timedelta(seconds=ttl),
            )
        subject = str(staff_id)
        return TokenPair(
            access_token=self.tokens.issue(
                "access", subject, self.settings.access_ttl_seconds, jti=uuid4().hex
            ),
            refresh_token=self.tokens.issue("refresh", subject, ttl, sid=str(session_id)),
            expires_in=self.settings.access_ttl_seconds,
        )

    async def _audit_sign_in(self, staff_id: UUID) -> None:
        for access in await repository.staff_access(self.db, staff_id):
            if access.via_partner is None:
                async with self.db.tenant_transaction(access.organisation_id) as conn:
                    await audit.record(
                        conn,
                        organisation_id=access.organisation_id,
                        actor_id=staff_id,
                        action="staff.sign_in",
                    )
