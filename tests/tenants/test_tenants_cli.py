"""`havre tenants apply` and `havre tenants export`, run as an operator would run them."""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import msgspec
import pytest

from server.migrate import migrate
from server.tenants.files import canonical, parse_tenant_file
from tests.conftest import REPO, Servers, create_database, drop_database, settings_env
from tests.tenants.test_tenant_files import (
    DEMO,
    DEMO_SLUGS,
    Rows,
    broken_copy,
    connect_owner,
    demo,
    snapshot,
    write_tenant_file,
)


class Run(msgspec.Struct, frozen=True):
    status: int
    stdout: str
    stderr: str


class Cli(msgspec.Struct, frozen=True):
    """The command line, pointed at a database of its own."""

    database_url: str
    env: dict[str, str]

    async def run(self, *args: str) -> Run:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "server.cli",
            *args,
            cwd=REPO,
            env=self.env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            out, err = await asyncio.wait_for(process.communicate(), timeout=120)
        except TimeoutError:
            process.kill()
            await process.wait()
            raise
        assert process.returncode is not None
        return Run(process.returncode, out.decode("utf-8"), err.decode("utf-8"))

    async def organisations(self) -> list[str]:
        conn = await connect_owner(self.database_url)
        try:
            rows = await conn.fetch("SELECT slug FROM organisations ORDER BY slug")
        finally:
            await conn.close()
        return [r["slug"] for r in rows]

    async def state(self) -> dict[str, Rows]:
        conn = await connect_owner(self.database_url)
        try:
            return await snapshot(conn, DEMO_SLUGS)
        finally:
            await conn.close()


@pytest.fixture
async def cli(servers: Servers, tmp_path: Path) -> AsyncIterator[Cli]:
    url = await create_database(servers.admin_url)
    try:
        await migrate(url)
        env = {
            "PATH": os.environ.get("PATH", ""),
            "PYTHONIOENCODING": "utf-8",
            **settings_env(servers, DATABASE_URL=url, HAVRE_DATA_DIR=str(tmp_path / "data")),
        }
        yield Cli(database_url=url, env=env)
    finally:
        await drop_database(servers.admin_url, url)


def lines(text: str) -> list[str]:
    return sorted(line for line in text.splitlines() if line.strip())


def copy_demo(folder: Path, *slugs: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for slug in slugs:
        shutil.copy(DEMO / f"{slug}.toml", folder / f"{slug}.toml")
    return folder


async def test_apply_prints_created_then_unchanged_and_exits_0(cli: Cli) -> None:
    first = await cli.run("tenants", "apply", str(DEMO))
    assert first.status == 0, first.stderr
    assert lines(first.stdout) == [f"created {slug}" for slug in DEMO_SLUGS]
    assert await cli.organisations() == DEMO_SLUGS

    second = await cli.run("tenants", "apply", str(DEMO))
    assert second.status == 0, second.stderr
    assert lines(second.stdout) == [f"unchanged {slug}" for slug in DEMO_SLUGS]


async def test_apply_of_a_changed_file_prints_updated(cli: Cli, tmp_path: Path) -> None:
    folder = copy_demo(tmp_path / "tenants", *DEMO_SLUGS)
    assert (await cli.run("tenants", "apply", str(folder))).status == 0
    broken_copy(folder, "univ-sante", 'closes = "17:30"', 'closes = "18:00"')
    result = await cli.run("tenants", "apply", str(folder))
    assert result.status == 0, result.stderr
    assert lines(result.stdout) == [
        f"updated {slug}" if slug == "univ-sante" else f"unchanged {slug}" for slug in DEMO_SLUGS
    ]


@pytest.mark.parametrize(
    ("old", "new", "named"),
    [
        ('kind = "university"', 'kind = "club"', "club"),
        ('kind = "university"', 'kind = "university', "syntax"),
        ('closes = "17:30"', 'closes = "25:00"', "hours[0].closes"),
    ],
    ids=["unknown-kind", "toml-syntax", "bad-time"],
)
async def test_apply_of_a_folder_with_an_invalid_file_exits_2_and_applies_nothing(
    cli: Cli, tmp_path: Path, old: str, new: str, named: str
) -> None:
    folder = copy_demo(tmp_path / "tenants", "ecoute-nuit")
    _, line = broken_copy(folder, "univ-sante", old, new)

    result = await cli.run("tenants", "apply", str(folder))

    assert result.status == 2
    assert "Traceback" not in result.stderr
    errors = [row for row in result.stderr.splitlines() if "univ-sante.toml" in row]
    assert len(errors) == 1, result.stderr
    assert f"line {line}" in errors[0]
    assert named in errors[0]
    assert "ecoute-nuit.toml" not in result.stderr
    assert result.stdout == ""
    assert await cli.organisations() == []


async def test_apply_of_an_invalid_version_leaves_the_applied_tenant_as_it_was(
    cli: Cli, tmp_path: Path
) -> None:
    assert (await cli.run("tenants", "apply", str(DEMO))).status == 0
    before = await cli.state()
    folder = copy_demo(tmp_path / "tenants", "univ-sante")
    broken_copy(folder, "ecoute-nuit", 'opens = "21:00"', 'opens = "21:60"')

    result = await cli.run("tenants", "apply", str(folder))

    assert result.status == 2
    assert "ecoute-nuit.toml" in result.stderr
    assert "Traceback" not in result.stderr
    assert await cli.state() == before


async def test_apply_granting_an_unknown_partner_exits_2_and_rolls_back(
    cli: Cli, tmp_path: Path
) -> None:
    folder = copy_demo(tmp_path / "tenants", "univ-sante")
    write_tenant_file(
        folder,
        "a-line",
        'slug = "a-line"\nname = "A line"\nkind = "other"\nadmin_email = "admin@a-line.example"\n',
    )

    result = await cli.run("tenants", "apply", str(folder))

    assert result.status == 2
    assert "Traceback" not in result.stderr
    assert "univ-sante" in result.stderr
    assert "partners[0].organisation" in result.stderr
    assert "ecoute-nuit" in result.stderr
    assert await cli.organisations() == []


@pytest.mark.parametrize("slug", DEMO_SLUGS)
async def test_export_prints_toml_that_parses_back_to_the_applied_file(
    cli: Cli, tmp_path: Path, slug: str
) -> None:
    assert (await cli.run("tenants", "apply", str(DEMO))).status == 0

    result = await cli.run("tenants", "export", slug)

    assert result.status == 0, result.stderr
    path = write_tenant_file(tmp_path / "exported", slug, result.stdout)
    assert parse_tenant_file(path) == canonical(demo(slug))


async def test_export_of_an_unknown_slug_exits_2(cli: Cli) -> None:
    result = await cli.run("tenants", "export", "unknown-slug")
    assert result.status == 2
    assert "unknown-slug" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


async def test_exported_file_applies_back_as_unchanged(cli: Cli, tmp_path: Path) -> None:
    assert (await cli.run("tenants", "apply", str(DEMO))).status == 0
    folder = tmp_path / "exported"
    for slug in DEMO_SLUGS:
        exported = await cli.run("tenants", "export", slug)
        assert exported.status == 0, exported.stderr
        write_tenant_file(folder, slug, exported.stdout)
    before = await cli.state()

    result = await cli.run("tenants", "apply", str(folder))

    assert result.status == 0, result.stderr
    assert lines(result.stdout) == [f"unchanged {slug}" for slug in DEMO_SLUGS]
    assert await cli.state() == before


async def test_apply_warns_on_stderr_about_colours_that_fail_wcag_aa_and_still_applies(
    cli: Cli, tmp_path: Path
) -> None:
    folder = copy_demo(tmp_path / "tenants", "ecoute-nuit")
    broken_copy(folder, "univ-sante", 'primary_color = "#2e6b4f"', 'primary_color = "#ffee00"')

    result = await cli.run("tenants", "apply", str(folder))

    assert result.status == 0, result.stderr
    assert lines(result.stdout) == ["created ecoute-nuit", "created univ-sante"]
    warnings = [row for row in result.stderr.splitlines() if row.startswith("warning:")]
    assert warnings == [
        "warning: tenant univ-sante: text colour #ffffff on primary colour #ffee00 has a "
        "contrast of 1.2:1, below the 4.5:1 of WCAG AA (text_on_primary_low_contrast); "
        "the widget writes on the primary colour in black or white instead",
        "warning: tenant univ-sante: primary colour #ffee00 on a white page has a contrast of "
        "1.2:1, below the 3:1 of WCAG AA (primary_on_page_low_contrast); the launcher is hard "
        "to see on light pages; links in the chat use a darker shade",
    ]
    assert await cli.organisations() == ["ecoute-nuit", "univ-sante"]


async def test_demo_tenants_apply_without_a_contrast_warning(cli: Cli) -> None:
    result = await cli.run("tenants", "apply", str(DEMO))
    assert result.status == 0
    assert "warning" not in result.stderr
