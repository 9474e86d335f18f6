"""The database pool and the ways into tenant data: tenant_transaction(), and self_scoped()
for one call to a database function that sets the same scope itself."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, TypeAlias
from uuid import UUID

import asyncpg
import msgspec
from asyncpg.pool import PoolConnectionProxy

from server.settings import DatabaseSettings

Connection: TypeAlias = "asyncpg.Connection[asyncpg.Record] | PoolConnectionProxy[asyncpg.Record]"


async def _init_connection(conn: Connection) -> None:
    await conn.set_type_codec(
        "jsonb",
        encoder=lambda value: msgspec.json.encode(value).decode(),
        decoder=msgspec.json.decode,
        schema="pg_catalog",
    )


async def _keep_session(conn: Connection) -> None:
    """What asyncpg does on release before this runs is enough: it rolls back a transaction
    left open. Its default reset (RESET ALL, CLOSE ALL, UNLISTEN *, advisory unlock) is one
    more round trip on every transaction, chat messages included, for state Havre never
    leaves on a session: the scope is SET LOCAL and advisory locks are transaction locks
    (tests/test_isolation.py checks that what a released connection left open is rolled back)."""


async def create_pool(
    url: str, *, min_size: int = 2, max_size: int = 10
) -> asyncpg.Pool[asyncpg.Record]:
    pool = await asyncpg.create_pool(
        url,
        min_size=min_size,
        max_size=max_size,
        init=_init_connection,
        reset=_keep_session,
        command_timeout=30,
    )
    assert pool is not None
    return pool


class Database:
    """The application's pool, connected as the role that row-level security applies to."""

    def __init__(self, pool: asyncpg.Pool[asyncpg.Record]) -> None:
        self.pool = pool

    @classmethod
    async def connect(cls, settings: DatabaseSettings) -> Database:
        pool = await create_pool(
            settings.app_url, min_size=settings.pool_min, max_size=settings.pool_max
        )
        return cls(pool)

    async def close(self) -> None:
        await self.pool.close()

    @asynccontextmanager
    async def transaction(
        self, *, tenant_id: UUID | None = None, staff_id: UUID | None = None
    ) -> AsyncIterator[Connection]:
        """A transaction scoped (SET LOCAL) to one tenant and/or one staff member.

        With neither set, tenant tables read as empty: only the cross-tenant lookup
        functions answer.
        """
        # BEGIN and the scope travel in one round trip (this is on every chat message's path);
        # only UUIDs are interpolated, and a UUID's text form is hex digits and dashes.
        tenant = str(UUID(str(tenant_id))) if tenant_id else ""
        staff = str(UUID(str(staff_id))) if staff_id else ""
        async with self.pool.acquire() as conn:
            await conn.execute(
                f"BEGIN; SELECT set_config('havre.tenant_id', '{tenant}', true), "
                f"set_config('havre.staff_id', '{staff}', true)"
            )
            try:
                yield conn
            except BaseException:
                # A broken or busy connection is discarded by the pool, rolling back with it.
                with contextlib.suppress(Exception):
                    await conn.execute("ROLLBACK")
                raise
            await conn.execute("COMMIT")

    async def self_scoped(self, query: str, tenant_id: UUID, *args: Any) -> asyncpg.Record | None:
        """One statement, in a transaction of its own, calling a database function that takes
        the tenant first and sets the scope itself as transaction() does (SET LOCAL, no staff),
        running as the caller so row-level security applies: one round trip instead of three,
        for the chat message path (migration 0007)."""
        async with self.pool.acquire() as conn:
            return await conn.fetchrow(query, tenant_id, *args)

    def tenant_transaction(self, tenant_id: UUID, *, staff_id: UUID | None = None) -> Any:
        return self.transaction(tenant_id=tenant_id, staff_id=staff_id)

    async def ping(self) -> bool:
        try:
            async with self.pool.acquire(timeout=2) as conn:
                return bool(await conn.fetchval("SELECT 1", timeout=2) == 1)
        except (OSError, asyncpg.PostgresError, TimeoutError):
            return False
