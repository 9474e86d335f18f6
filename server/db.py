"""The database pool and the one way into tenant data: tenant_transaction()."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, TypeAlias
from uuid import UUID

import asyncpg
import msgspec
from asyncpg.pool import PoolConnectionProxy

from server.settings import DatabaseSettings

Connection: TypeAlias = "asyncpg.Connection[asyncpg.Record] | PoolConnectionProxy[asyncpg.Record]"

_SET_SCOPE = (
    "SELECT set_config('havre.tenant_id', $1, true), set_config('havre.staff_id', $2, true)"
)


async def _init_connection(conn: Connection) -> None:
    await conn.set_type_codec(
        "jsonb",
        encoder=lambda value: msgspec.json.encode(value).decode(),
        decoder=msgspec.json.decode,
        schema="pg_catalog",
    )


async def create_pool(
    url: str, *, min_size: int = 2, max_size: int = 10
) -> asyncpg.Pool[asyncpg.Record]:
    pool = await asyncpg.create_pool(
        url, min_size=min_size, max_size=max_size, init=_init_connection, command_timeout=30
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
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.execute(
                _SET_SCOPE,
                str(tenant_id) if tenant_id else "",
                str(staff_id) if staff_id else "",
            )
            yield conn

    def tenant_transaction(self, tenant_id: UUID, *, staff_id: UUID | None = None) -> Any:
        return self.transaction(tenant_id=tenant_id, staff_id=staff_id)

    async def ping(self) -> bool:
        try:
            async with self.pool.acquire(timeout=2) as conn:
                return bool(await conn.fetchval("SELECT 1", timeout=2) == 1)
        except (OSError, asyncpg.PostgresError, TimeoutError):
            return False
