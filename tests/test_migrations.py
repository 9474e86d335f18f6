"""Migrations against a fresh, empty database per test: each file applied once, recorded with
its checksum, under a lock, and never silently re-applied or edited after the fact."""

from __future__ import annotations

import asyncio
import hashlib
import os
import shutil
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

from server.migrate import MIGRATIONS_DIR, MigrationError, migrate
from tests.conftest import REPO, Servers, create_database, drop_database, settings_env

FILES = sorted(MIGRATIONS_DIR.glob("*.sql"))


@pytest.fixture
async def fresh_url(servers: Servers) -> AsyncIterator[str]:
    """An empty database of its own, dropped afterwards whatever happened."""
    url = await create_database(servers.admin_url)
    try:
        yield url
    finally:
        await drop_database(servers.admin_url, url)


async def _fetch(url: str, sql: str, *args: object) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(url)
    try:
        return await conn.fetch(sql, *args)
    finally:
        await conn.close()


async def _recorded(url: str) -> list[tuple[int, str, str]]:
    rows = await _fetch(url, "SELECT version, name, checksum FROM schema_migrations ORDER BY 1")
    return [(r["version"], r["name"], r["checksum"]) for r in rows]


async def _exists(url: str, table: str) -> bool:
    rows = await _fetch(url, "SELECT to_regclass($1) IS NOT NULL AS found", f"public.{table}")
    return bool(rows[0]["found"])


def _expected(files: list[Path]) -> list[tuple[int, str, str]]:
    return [
        (int(f.name[:4]), f.stem[5:], hashlib.sha256(f.read_bytes()).hexdigest()) for f in files
    ]


def _write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir()
    for name, sql in files.items():
        (folder / name).write_text(sql, encoding="utf-8")
    return folder


def test_the_repository_has_migrations() -> None:
    assert FILES, f"no migration files in {MIGRATIONS_DIR}"
    assert FILES[0].name == "0001_foundation.sql"


async def test_migrating_an_empty_database_applies_and_records_every_file(
    fresh_url: str,
) -> None:
    applied = await migrate(fresh_url)

    assert applied == [f.name for f in FILES]
    assert await _recorded(fresh_url) == _expected(FILES)
    assert await _exists(fresh_url, "organisations")
    assert await _exists(fresh_url, "audit_log")


async def test_migrating_again_applies_nothing(fresh_url: str) -> None:
    await migrate(fresh_url)
    first = await _fetch(fresh_url, "SELECT * FROM schema_migrations ORDER BY version")

    assert await migrate(fresh_url) == []
    assert await _fetch(fresh_url, "SELECT * FROM schema_migrations ORDER BY version") == first


async def test_concurrent_migrations_both_succeed_and_apply_each_file_once(
    fresh_url: str,
) -> None:
    results = await asyncio.gather(migrate(fresh_url), migrate(fresh_url))

    # One run applied everything while the other waited on the lock, then found nothing to do.
    assert sorted(results, key=len) == [[], [f.name for f in FILES]]
    assert await _recorded(fresh_url) == _expected(FILES)


async def test_an_applied_file_that_was_changed_is_refused(fresh_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, folder)
    await migrate(fresh_url, folder=folder)
    recorded = await _recorded(fresh_url)
    edited = folder / FILES[0].name
    edited.write_text(edited.read_text(encoding="utf-8") + "\n-- edited\n", encoding="utf-8")

    with pytest.raises(MigrationError) as refused:
        await migrate(fresh_url, folder=folder)

    assert FILES[0].name in str(refused.value)
    assert "was changed" in str(refused.value)
    assert await _recorded(fresh_url) == recorded == _expected(FILES)


async def test_a_file_with_a_bad_name_is_refused_before_anything_runs(
    fresh_url: str, tmp_path: Path
) -> None:
    folder = _write(
        tmp_path / "migrations",
        {"0001_first.sql": "CREATE TABLE first_table (id integer);", "2_oops.sql": "SELECT 1;"},
    )

    with pytest.raises(MigrationError, match=r"2_oops\.sql"):
        await migrate(fresh_url, folder=folder)

    assert not await _exists(fresh_url, "first_table")
    assert not await _exists(fresh_url, "schema_migrations")


async def test_two_files_with_one_version_are_refused(fresh_url: str, tmp_path: Path) -> None:
    folder = _write(
        tmp_path / "migrations",
        {"0001_first.sql": "SELECT 1;", "0001_again.sql": "SELECT 1;"},
    )

    with pytest.raises(MigrationError, match="share a version"):
        await migrate(fresh_url, folder=folder)

    assert not await _exists(fresh_url, "schema_migrations")


async def test_a_failing_file_is_rolled_back_and_earlier_files_stay_applied(
    fresh_url: str, tmp_path: Path
) -> None:
    first = "CREATE TABLE first_table (id integer);"
    folder = _write(
        tmp_path / "migrations",
        {
            "0001_first.sql": first,
            "0002_broken.sql": "CREATE TABLE broken_table (id integer);\nSELECT 1 / 0;",
        },
    )

    with pytest.raises(MigrationError, match=r"0002_broken\.sql failed"):
        await migrate(fresh_url, folder=folder)

    assert await _exists(fresh_url, "first_table")
    assert not await _exists(fresh_url, "broken_table")
    assert await _recorded(fresh_url) == [(1, "first", hashlib.sha256(first.encode()).hexdigest())]

    # Once fixed, the file applies on the next run, and only it.
    (folder / "0002_broken.sql").write_text("CREATE TABLE broken_table (id integer);")
    assert await migrate(fresh_url, folder=folder) == ["0002_broken.sql"]
    assert await _exists(fresh_url, "broken_table")


# The `havre migrate` command -----------------------------------------------------------------


async def _havre_migrate(servers: Servers, url: str, data_dir: Path) -> tuple[int, str, str]:
    env = settings_env(servers, DATABASE_URL=url, HAVRE_DATA_DIR=str(data_dir))
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "server.cli",
        "migrate",
        cwd=REPO,
        env={**os.environ, **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode is not None
    return process.returncode, stdout.decode(), stderr.decode()


async def test_cli_migrate_prints_the_applied_files_and_exits_0(
    servers: Servers, fresh_url: str, tmp_path: Path
) -> None:
    status, out, err = await _havre_migrate(servers, fresh_url, tmp_path)

    assert (status, err) == (0, "")
    assert out.splitlines() == [f"applied {f.name}" for f in FILES]
    assert await _recorded(fresh_url) == _expected(FILES)

    status, out, _ = await _havre_migrate(servers, fresh_url, tmp_path)
    assert (status, out.splitlines()) == (0, ["schema is up to date"])


async def test_cli_migrate_refuses_an_edited_file_with_status_2_and_one_line(
    servers: Servers, fresh_url: str, tmp_path: Path
) -> None:
    await migrate(fresh_url)
    # As if 0001 had been edited after it was applied: the recorded checksum no longer matches.
    conn = await asyncpg.connect(fresh_url)
    try:
        await conn.execute("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1")
    finally:
        await conn.close()

    status, out, err = await _havre_migrate(servers, fresh_url, tmp_path)

    assert status == 2
    assert out == ""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1
    assert FILES[0].name in lines[0]
    assert "was changed" in lines[0]
