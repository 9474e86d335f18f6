"""Sign-in, refresh-token rotation and sign-out: the rules, free of HTTP."""

from __future__ import annotations

import asyncio
import math
import secrets
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import msgspec

from server import audit
from server.access import staff_access
from server.auth import TokenError, Tokens, verify_password
from server.cache import RedisClient, opaque
from server.db import Database
from server.errors import NotAuthenticated, TooManyRequests
from server.revocations import RevokedFamilies
from server.settings import AuthSettings
from server.staff import notices, repository
from server.staff.mailer import Mailer
from server.staff.throttle import Attempt, SignInThrottle
from server.staff.totp import SecondFactor, SecondFactorKind

SECOND_STEP_TTL_SECONDS = 300


# How long after its first use a refresh token may be presented again by a concurrent request.
REUSE_GRACE = timedelta(seconds=20)


class TokenPair(msgspec.Struct, frozen=True):
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "Bearer"  # noqa: S105 - the OAuth token type, not a secret


class SecondStep(msgspec.Struct, frozen=True):
    """The password was right and the account has TOTP: no session yet, a code is asked for."""

    second_step_token: str
    expires_in: int
    methods: tuple[str, ...] = ("totp", "recovery_code")


class SignInService:
    def __init__(
        self,
        *,
        db: Database,
        redis: RedisClient,
        tokens: Tokens,
        settings: AuthSettings,
        mailer: Mailer | None = None,
        revoked: RevokedFamilies | None = None,
    ) -> None:
        self.db = db
        self.redis = redis
        self._argon2_slots = asyncio.Semaphore(2)
        self.tokens = tokens
        self.settings = settings
        self.mailer = mailer or Mailer(None)
        self.revoked = revoked
        self.throttle = SignInThrottle(redis, settings)

    async def sign_in(self, *, email: str, password: str, address: str) -> TokenPair | SecondStep:
        """One answer for a wrong password, an unknown account and a deactivated one: no
        enumeration. `address` is the client's, hashed before it reaches Redis."""
        email = email.strip().lower()
        async with self.throttle.attempt(email, address) as attempt:
            credentials = await repository.credentials_for(self.db, email)
            # Once admitted, the hash is always checked, so every answer costs one argon2
            # verification; in a thread, so live chats on this worker do not wait for it, and
            # two at a time (64 MiB each).
            async with self._argon2_slots:
                valid = await asyncio.to_thread(
                    verify_password, credentials.password_hash if credentials else None, password
                )
            if not valid or credentials is None or not credentials.is_active:
                await self.failed(attempt, email)
                raise NotAuthenticated(code="invalid_credentials")
            async with self.db.transaction(staff_id=credentials.id) as conn:
                needs_code = await SecondFactor.is_enabled(conn, credentials.id)
            if needs_code:
                # The pair's failures are kept until the code is right too, so a known password
                # does not buy fresh guesses at the code.
                return await self._start_second_step(credentials.id)
            await self.throttle.succeeded(attempt)
        pair = await self._open_session(credentials.id, family_id=uuid4())
        await self._audit_sign_in(credentials.id)
        return pair

    async def open_session_for(self, staff_id: UUID, *, record_sign_in: bool = True) -> TokenPair:
        """A session for someone who proved themselves another way (an invitation just used,
        a password just changed)."""
        pair = await self._open_session(staff_id, family_id=uuid4())
        if record_sign_in:
            await self._audit_sign_in(staff_id)
        return pair

    async def _start_second_step(self, staff_id: UUID) -> SecondStep:
        token = secrets.token_urlsafe(32)
        await self.redis.redis.set(
            self._second_step_key(token), str(staff_id), ex=SECOND_STEP_TTL_SECONDS
        )
        return SecondStep(second_step_token=token, expires_in=SECOND_STEP_TTL_SECONDS)

    def _second_step_key(self, token: str) -> str:
        # Only a hash of the token is a key: a Redis dump does not hold usable tokens.
        return self.redis.key("signin-step", opaque(token))

    async def complete_second_step(
        self, *, token: str, code: str, address: str, factor: SecondFactor
    ) -> TokenPair:
        """The code (TOTP or recovery) after the password; wrong codes count as failed sign-ins,
        and a refused attempt ends the step."""
        key = self._second_step_key(token)
        raw = await self.redis.redis.get(key)
        if raw is None:
            raise NotAuthenticated(code="second_step_expired")
        staff_id = UUID(raw.decode() if isinstance(raw, bytes) else raw)
        async with self.db.transaction(staff_id=staff_id) as conn:
            email = await conn.fetchval("SELECT email FROM staff_users WHERE id = $1", staff_id)
        if email is None:
            raise NotAuthenticated(code="second_step_expired")
        try:
            async with self.throttle.attempt(email, address) as attempt:
                kind: SecondFactorKind | None = None
                async with self.db.transaction(staff_id=staff_id) as conn:
                    kind = await factor.verify(conn, staff_id, code)
                if kind is None:
                    await self.failed(attempt, email)
                    raise NotAuthenticated(code="invalid_code")
                if not await self.redis.redis.delete(key):
                    # Another request finished this step first with another valid code.
                    raise NotAuthenticated(code="second_step_expired")
                if not await self._still_active(staff_id):
                    raise NotAuthenticated(code="second_step_expired")
                await self.throttle.succeeded(attempt)
        except TooManyRequests:
            await self.redis.redis.delete(key)
            raise
        pair = await self._open_session(staff_id, family_id=uuid4())
        await self._audit_sign_in(staff_id, second_factor=kind)
        return pair

    async def refresh(self, refresh_token: str) -> TokenPair:
        """Rotate: a refresh token works once; reusing one revokes its whole family.

        Except within REUSE_GRACE of its first use: two tabs of the same console (the
        listener console and the supervision page) whose access cookie expired together
        refresh at the same moment with the same token, and signing a listener out mid-shift
        for that would be wrong. Such a late twin gets a pair of its own in the same family."""
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
            if session.revoked_at is None and session.used_at is not None:
                twin = datetime.now(UTC) - session.used_at <= REUSE_GRACE
            else:
                twin = False
            if twin:
                reused = False
            elif session.used_at is not None or session.revoked_at is not None:
                await repository.revoke_family(conn, session.family_id)
                reused = True
            else:
                reused = False
                await repository.mark_used(conn, session_id)
        if reused:
            # A stolen refresh token: the access tokens of its family end too.
            await self.revoke_families([session.family_id])
        if reused or session.expires_at <= datetime.now(UTC):
            raise NotAuthenticated(code="invalid_token")
        if not await self._still_active(staff_id):
            raise NotAuthenticated(code="invalid_token")
        return await self._open_session(staff_id, family_id=session.family_id)

    async def sign_out(self, *, refresh_token: str | None, access_token: str | None) -> None:
        """Ends the session family of the refresh token or, without a usable one, of the access
        token; every access token of that family is refused from now on."""
        family = await self._sign_out_refresh(refresh_token) if refresh_token else None
        if family is None and access_token:
            try:
                claims = self.tokens.verify(access_token, "access")
                staff_id = UUID(str(claims["sub"]))
                family = UUID(str(claims["fam"]))
            except (TokenError, KeyError, ValueError):
                return
            async with self.db.transaction(staff_id=staff_id) as conn:
                await repository.revoke_family(conn, family)
        if family is not None:
            await self.revoke_families([family])

    async def _sign_out_refresh(self, refresh_token: str) -> UUID | None:
        try:
            claims = self.tokens.verify(refresh_token, "refresh")
            staff_id = UUID(str(claims["sub"]))
            session_id = UUID(str(claims["sid"]))
        except (TokenError, KeyError, ValueError):
            return None
        async with self.db.transaction(staff_id=staff_id) as conn:
            session = await repository.lock_session(conn, session_id)
            if session is None:
                return None
            await repository.revoke_family(conn, session.family_id)
        return session.family_id

    async def revoke_families(self, families: Iterable[UUID]) -> None:
        """Refuses at once the access tokens of families whose refresh tokens were revoked."""
        if self.revoked is not None:
            await self.revoked.revoke(families)

    async def failed(self, attempt: Attempt, email: str) -> None:
        """A wrong password or code; the one that takes the account to its ceiling tells the
        owner."""
        protected_seconds = await self.throttle.failed(attempt)
        if protected_seconds is not None:
            minutes = max(1, math.ceil(protected_seconds / 60))
            await notices.account_locked(self.db, self.mailer, email, minutes=minutes)

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
                "access",
                subject,
                self.settings.access_ttl_seconds,
                jti=uuid4().hex,
                fam=str(family_id),
            ),
            refresh_token=self.tokens.issue("refresh", subject, ttl, sid=str(session_id)),
            expires_in=self.settings.access_ttl_seconds,
        )

    async def _audit_sign_in(
        self, staff_id: UUID, *, second_factor: SecondFactorKind | None = None
    ) -> None:
        for access in await staff_access(self.db, staff_id):
            if access.via_partner is None:
                async with self.db.tenant_transaction(access.organisation_id) as conn:
                    await audit.record(
                        conn,
                        organisation_id=access.organisation_id,
                        actor_id=staff_id,
                        action="staff.sign_in",
                        details={"second_factor": second_factor} if second_factor else None,
                    )
