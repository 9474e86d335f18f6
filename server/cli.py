"""`havre` commands: serve, demo, migrate, tenants apply/export, staff accounts."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import signal
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import asyncpg

from server.embedded import EmbeddedError, embedded_database, embedded_servers
from server.migrate import MigrationError, migrate
from server.resources import resource_dir
from server.settings import Settings, SettingsError, check_environment, load_settings
from server.tenants.files import TenantFileError
from server.tenants.structs import Branding


class CliError(Exception):
    """A problem the person at the terminal can fix; printed as one line, exit status 2."""


def _data_dir() -> Path:
    return Path(os.environ.get("HAVRE_DATA_DIR") or ".havre").resolve()


@contextmanager
def servers() -> Iterator[Settings]:
    """Settings with real servers: the ones named in the environment, or embedded ones."""
    check_environment()
    if os.environ.get("DATABASE_URL"):
        yield load_settings()
        return
    with embedded_servers(_data_dir()) as embedded:
        # Workers started by uvicorn read the same addresses from the environment.
        os.environ["DATABASE_URL"] = embedded.database_url
        os.environ["REDIS_URL"] = embedded.redis_url
        try:
            yield load_settings()
        finally:
            del os.environ["DATABASE_URL"], os.environ["REDIS_URL"]


@contextmanager
def database() -> Iterator[str]:
    """The owner's URL for the commands that need no Redis: the PostgreSQL named in the
    environment, or the embedded one (the embedded Redis is left alone, started or not)."""
    check_environment()
    if os.environ.get("DATABASE_URL"):
        yield os.environ["DATABASE_URL"]
        return
    with embedded_database(_data_dir()) as url:
        yield url


def _check_port_free(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise CliError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


def _serve(settings: Settings, workers: int) -> None:
    import uvicorn

    _check_port_free(settings.server.host, settings.server.port)
    uvicorn.run(
        "server.app:app_from_env",
        factory=True,
        host=settings.server.host,
        port=settings.server.port,
        workers=workers,
        access_log=False,  # paths may carry tokens; requests are counted, not logged
        log_level="info",
        timeout_graceful_shutdown=5,
        # Chat frames are a few hundred bytes: compressing each costs CPU and a deflate
        # context per socket, for next to no bytes saved.
        ws_per_message_deflate=False,
    )


MAX_WORKERS = 64


def _workers_option(raw: str | None) -> int | None:
    """`--workers N`, checked here so that a bad value is one line, not argparse's usage."""
    if raw is None:
        return None
    digits = raw.strip()
    if not (digits.isascii() and digits.isdigit()) or not 1 <= int(digits) <= MAX_WORKERS:
        raise CliError(
            f"--workers must be a whole number between 1 and {MAX_WORKERS} (got {raw!r})"
        )
    return int(raw)


def cmd_serve(args: argparse.Namespace) -> None:
    workers = _workers_option(args.workers)
    with servers() as settings:
        applied = asyncio.run(migrate(settings.database.url))
        for name in applied:
            print(f"applied {name}")
        _serve(settings, workers or settings.server.workers)


def cmd_demo(args: argparse.Namespace) -> None:
    from server.demo import load_demo, print_welcome

    workers = _workers_option(args.workers)
    with servers() as settings:
        asyncio.run(migrate(settings.database.url))
        logins = asyncio.run(
            load_demo(settings.database.url, resource_dir("tenants"), settings.server.public_url)
        )
        print_welcome(settings, logins)
        _serve(settings, workers or settings.server.workers)


def cmd_migrate(_: argparse.Namespace) -> None:
    with database() as url:
        applied = asyncio.run(migrate(url))
    print("\n".join(f"applied {name}" for name in applied) or "schema is up to date")


async def _owner(url: str) -> asyncpg.Connection[asyncpg.Record]:
    from server.db import _init_connection

    conn = await asyncpg.connect(url)
    await _init_connection(conn)
    return conn


def contrast_lines(slug: str, branding: Branding) -> list[str]:
    """One stderr line per pair of the tenant's colours that fails WCAG AA (not fatal)."""
    from server.tenants.contrast import branding_warnings

    what = {
        "text_on_primary_low_contrast": (
            "text colour {fg} on primary colour {bg}",
            "the widget writes on the primary colour in black or white instead",
        ),
        "primary_on_page_low_contrast": (
            "primary colour {fg} on a white page",
            "the launcher is hard to see on light pages; links in the chat use a darker shade",
        ),
    }
    lines = []
    for w in branding_warnings(branding):
        pair, consequence = what.get(w.code, ("{fg} on {bg}", "check the tenant's colours"))
        lines.append(
            f"warning: tenant {slug}: {pair.format(fg=w.foreground, bg=w.background)} has a"
            f" contrast of {w.ratio}:1, below the {w.required:g}:1 of WCAG AA ({w.code});"
            f" {consequence}"
        )
    return lines


def cmd_tenants_apply(args: argparse.Namespace) -> None:
    from server.tenants.files import apply_tenants, load_tenant_files

    path = Path(args.path)
    if not path.exists():
        raise CliError(f"{path}: no such file or folder")
    tenants, errors = load_tenant_files(path)
    if errors:
        for error in errors:
            print(f"error: {error}", file=sys.stderr)
        raise CliError(f"nothing applied: {len(errors)} invalid tenant file(s)")
    if not tenants:
        raise CliError(f"{path}: no tenant files (*.toml) found")
    for tenant in tenants:
        for line in contrast_lines(tenant.slug, tenant.branding):
            print(line, file=sys.stderr)

    async def run(url: str) -> None:
        await migrate(url)
        conn = await _owner(url)
        try:
            report = await apply_tenants(conn, tenants)
        finally:
            await conn.close()
        for label in ("created", "updated", "unchanged"):
            for slug in getattr(report, label):
                print(f"{label} {slug}")

    with database() as url:
        asyncio.run(run(url))


def cmd_tenants_export(args: argparse.Namespace) -> None:
    from server.tenants.files import read_tenant, to_toml

    async def run(url: str) -> str:
        conn = await _owner(url)
        try:
            tenant = await read_tenant(conn, args.slug)
        finally:
            await conn.close()
        if tenant is None:
            raise CliError(f"no tenant with slug {args.slug!r}")
        return to_toml(tenant)

    with database() as url:
        sys.stdout.write(asyncio.run(run(url)))


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            raise CliError("the two passwords differ")
    if len(password) < 10:
        raise CliError("a password needs at least 10 characters")
    return password


def cmd_staff_create(args: argparse.Namespace) -> None:
    from server.staff.accounts import create_staff

    password = _read_password(args.password_stdin) if not args.no_password else None

    async def run(url: str) -> None:
        conn = await _owner(url)
        try:
            await create_staff(
                conn,
                email=args.email,
                organisation=args.organisation,
                role=args.role,
                password=password,
                display_name=args.name or "",
            )
        finally:
            await conn.close()

    with database() as url:
        asyncio.run(run(url))
    print(f"{args.email} is {args.role} of {args.organisation}")


def cmd_staff_set_password(args: argparse.Namespace) -> None:
    from server.staff.accounts import set_password

    password = _read_password(args.password_stdin)

    async def run(url: str) -> None:
        conn = await _owner(url)
        try:
            await set_password(conn, email=args.email, password=password)
        finally:
            await conn.close()

    with database() as url:
        asyncio.run(run(url))
    print(f"password set for {args.email}")


def cmd_staff_reset_two_step(args: argparse.Namespace) -> None:
    from server.staff.accounts import reset_two_step

    async def run(url: str) -> None:
        conn = await _owner(url)
        try:
            async with conn.transaction():
                await reset_two_step(conn, email=args.email)
        finally:
            await conn.close()

    with database() as url:
        asyncio.run(run(url))
    print(f"two-step sign-in turned off for {args.email}: they can sign in and enrol again")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="havre", description="Havre emotional-support chat")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="migrate, then serve HTTP and WebSocket")
    serve.add_argument("--workers", metavar="N", help=f"1 to {MAX_WORKERS} processes")
    serve.set_defaults(func=cmd_serve)

    demo = sub.add_parser("demo", help="serve with the demo tenants and demo staff loaded")
    demo.add_argument("--workers", metavar="N", help=f"1 to {MAX_WORKERS} processes")
    demo.set_defaults(func=cmd_demo)

    sub.add_parser("migrate", help="apply pending migrations").set_defaults(func=cmd_migrate)

    tenants = sub.add_parser("tenants", help="tenants as files").add_subparsers(
        dest="tenants_command", required=True
    )
    apply = tenants.add_parser("apply", help="create or update tenants from TOML files")
    apply.add_argument("path", help="a tenants/ folder or one .toml file")
    apply.set_defaults(func=cmd_tenants_apply)
    export = tenants.add_parser("export", help="print a tenant as TOML")
    export.add_argument("slug")
    export.set_defaults(func=cmd_tenants_export)

    staff = sub.add_parser("staff", help="staff accounts").add_subparsers(
        dest="staff_command", required=True
    )
    create = staff.add_parser("create", help="create an account and give it a role")
    create.add_argument("--email", required=True)
    create.add_argument("--organisation", required=True, help="organisation slug")
    create.add_argument(
        "--role", required=True, choices=["owner", "admin", "supervisor", "listener"]
    )
    create.add_argument("--name", help="display name")
    create.add_argument(
        "--password-stdin", action="store_true", help="read the password from stdin"
    )
    create.add_argument("--no-password", action="store_true", help="set one later")
    create.set_defaults(func=cmd_staff_create)
    setpw = staff.add_parser("set-password", help="set an account's password")
    setpw.add_argument("email")
    setpw.add_argument("--password-stdin", action="store_true")
    setpw.set_defaults(func=cmd_staff_set_password)
    reset = staff.add_parser(
        "reset-two-step", help="turn off an account's TOTP and recovery codes (lost phone)"
    )
    reset.add_argument("email")
    reset.set_defaults(func=cmd_staff_reset_two_step)
    return parser


def _stop_on_sigterm() -> None:
    """SIGTERM unwinds like Ctrl-C, so the embedded servers are stopped on the way out."""

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    _stop_on_sigterm()
    try:
        args.func(args)
    except KeyboardInterrupt:
        sys.exit(130)
    except (
        CliError,
        SettingsError,
        MigrationError,
        TenantFileError,
        EmbeddedError,
        ValueError,
    ) as exc:
        print(f"havre: {exc}", file=sys.stderr)
        sys.exit(2)
    except (OSError, asyncpg.PostgresError) as exc:
        print(f"havre: cannot reach a server: {exc}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    with suppress(KeyboardInterrupt):
        main()
