"""Numbered plain-SQL migrations, applied once each under an advisory lock."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import NamedTuple

import asyncpg

from server.resources import resource_dir

MIGRATIONS_DIR = resource_dir("migrations")
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
# An arbitrary constant shared by every Havre process: "havre" in ASCII.
_LOCK_KEY = 0x6861767265


class MigrationError(RuntimeError):
    """A migration cannot be applied; the message says which file and why."""


class Migration(NamedTuple):
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


def load_migrations(folder: Path = MIGRATIONS_DIR) -> list[Migration]:
    migrations: list[Migration] = []
    for path in sorted(folder.glob("*.sql")):
        match = _NAME.match(path.name)
        if not match:
            raise MigrationError(f"{path.name}: migration files are named NNNN_slug.sql")
        migrations.append(Migration(int(match[1]), match[2], path.read_text(encoding="utf-8")))
    versions = [m.version for m in migrations]
    if len(set(versions)) != len(versions):
        raise MigrationError("two migration files share a version number")
    return migrations


async def migrate(owner_url: str, folder: Path = MIGRATIONS_DIR) -> list[str]:
    """Apply pending migrations as the tables' owner; returns the names applied."""
    migrations = load_migrations(folder)
    conn = await asyncpg.connect(owner_url)
    try:
        await conn.execute("SELECT pg_advisory_lock($1)", _LOCK_KEY)
        try:
            return await _apply(conn, migrations)
        finally:
            await conn.execute("SELECT pg_advisory_unlock($1)", _LOCK_KEY)
    finally:
        await conn.close()


async def _apply(
    conn: asyncpg.Connection[asyncpg.Record], migrations: list[Migration]
) -> list[str]:
    await conn.execute(
        """CREATE TABLE IF NOT EXISTS schema_migrations (
               version integer PRIMARY KEY,
               name text NOT NULL,
               checksum text NOT NULL,
               applied_at timestamptz NOT NULL DEFAULT now())"""
    )
    applied = {
        row["version"]: row["checksum"]
        for row in await conn.fetch("SELECT version, checksum FROM schema_migrations")
    }
    done: list[str] = []
    for migration in migrations:
        label = f"{migration.version:04d}_{migration.name}.sql"
        if migration.version in applied:
            if applied[migration.version] != migration.checksum:
                raise MigrationError(
                    f"{label} was changed after it was applied; "
                    "write a new migration instead of editing an applied one"
                )
            continue
        try:
            async with conn.transaction():
                await conn.execute(migration.sql)
                await conn.execute(
                    "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                    migration.version,
                    migration.name,
                    migration.checksum,
                )
        except asyncpg.PostgresError as exc:
            raise MigrationError(f"{label} failed: {exc}") from None
        done.append(label)
    return done
