"""`havre demo` / `havre serve` as a new user runs them: embedded servers, Ctrl-C, reuse."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO, Servers, settings_env

STARTED = "Application startup complete"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def base_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(extra)
    return env


def processes_mentioning(text: str) -> list[str]:
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if text in args:
            found.append(args.strip())
    return found


# A process is (pid, start time): a pid reused by a later process is another process.
Process = tuple[int, int]


def _stat(pid: int) -> tuple[int, str, int] | None:
    """(parent pid, state, start time) of a running process, from /proc/PID/stat."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name, in parentheses, may hold spaces: the fields follow its last ')'.
    fields = stat[stat.rindex(")") + 2 :].split()
    return int(fields[1]), fields[0], int(fields[19])


def process_tree(root: int) -> set[Process]:
    """`root` and every process descended from it, as running now."""
    parents: dict[int, list[int]] = {}
    started: dict[int, int] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        stat = _stat(int(entry.name))
        if stat is not None:
            parents.setdefault(stat[0], []).append(int(entry.name))
            started[int(entry.name)] = stat[2]
    tree: set[Process] = set()
    pending = [root]
    while pending:
        pid = pending.pop()
        if pid in started:
            tree.add((pid, started[pid]))
            pending.extend(parents.get(pid, []))
    return tree


def still_running(processes: set[Process], wait: float = 5.0) -> set[tuple[int, int, str]]:
    """Those of `processes` still alive after `wait` seconds (a zombie has exited: it only
    awaits its parent), with their command lines. A process is given a few seconds to finish
    exiting once havre has returned (a server child may be reaped by init just after); one
    that stays is left behind. Polled: nothing announces the end of a process one did not
    start."""
    deadline = time.monotonic() + wait
    while True:
        alive = set()
        for pid, start in processes:
            stat = _stat(pid)
            if stat is not None and stat[2] == start and stat[1] != "Z":
                alive.add((pid, start))
        if not alive or time.monotonic() >= deadline:
            return {(pid, start, _cmdline(pid)) for pid, start in alive}
        time.sleep(0.1)


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()[:200]
    except OSError:
        return "?"


@contextmanager
def havre(*args: str, env: dict[str, str]) -> Iterator[subprocess.Popen[str]]:
    """Runs `havre ARGS` in its own process group, as a terminal would; interrupts it on exit."""
    process = subprocess.Popen(
        [sys.executable, "-m", "server.cli", *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_until_serving(process: subprocess.Popen[str], port: int, count: int = 1) -> str:
    """Waits for uvicorn's startup line(s), then until the port takes a connection: startup
    completes before a single uvicorn process listens. Returns the output read."""
    output = wait_for_line(process, STARTED, count)
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return output
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"havre does not listen on {port}:\n{output}") from None
            time.sleep(0.02)


def wait_for_line(process: subprocess.Popen[str], needle: str, count: int = 1) -> str:
    """Reads the process's output until `needle` has appeared `count` times."""
    assert process.stdout is not None
    seen: list[str] = []
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        seen.append(line)
        if sum(needle in s for s in seen) >= count:
            return "".join(seen)
    raise AssertionError(f"never printed {needle!r}; output:\n{''.join(seen)}")


def interrupt(process: subprocess.Popen[str]) -> int:
    """Ctrl-C: SIGINT to the whole process group, as a terminal sends it."""
    os.killpg(process.pid, signal.SIGINT)
    return process.wait(timeout=30)


def test_demo_starts_embedded_servers_and_ctrl_c_leaves_nothing_running(tmp_path: Path) -> None:
    data = tmp_path / "data"
    port = free_port()
    env = base_env(HAVRE_DATA_DIR=str(data), HAVRE_PORT=str(port))
    with havre("demo", env=env) as process:
        output = wait_until_serving(process, port)
        for url in ("/demo/", "/console/", "/admin/"):
            assert f"http://127.0.0.1:{port}{url}" in output
        assert "admin@ecoute-nuit.example" in output
        ready = httpx.get(f"http://127.0.0.1:{port}/ready", timeout=10)
        assert ready.status_code == 200, ready.text
        assert processes_mentioning(str(data)), "the embedded servers should be running"
        serving = process_tree(process.pid)
        assert interrupt(process) in (0, 130)
    assert still_running(serving) == set()
    assert processes_mentioning(str(data)) == []


def test_second_start_reuses_the_data_folder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    port = free_port()
    env = base_env(HAVRE_DATA_DIR=str(data), HAVRE_PORT=str(port))
    with havre("demo", env=env) as process:
        wait_until_serving(process, port)
        signed_in = httpx.post(
            f"http://127.0.0.1:{port}/api/auth/sign-in",
            json={"email": "psy@univ-sante.example", "password": "havre-demo-2026"},
            timeout=10,
        )
        assert signed_in.status_code == 200
        assert interrupt(process) in (0, 130)
    cluster_created = (data / "postgres" / "PG_VERSION").stat().st_mtime_ns
    with havre("serve", env=env) as process:
        wait_until_serving(process, port)
        signed_in = httpx.post(
            f"http://127.0.0.1:{port}/api/auth/sign-in",
            json={"email": "psy@univ-sante.example", "password": "havre-demo-2026"},
            timeout=10,
        )
        assert signed_in.status_code == 200, "accounts made by the first run are still there"
        assert interrupt(process) in (0, 130)
    assert (data / "postgres" / "PG_VERSION").stat().st_mtime_ns == cluster_created
    assert processes_mentioning(str(data)) == []


def test_serve_with_two_workers_answers_and_stops_cleanly(tmp_path: Path) -> None:
    data = tmp_path / "data"
    port = free_port()
    env = base_env(HAVRE_DATA_DIR=str(data), HAVRE_PORT=str(port))
    with havre("serve", "--workers", "2", env=env) as process:
        wait_until_serving(process, port, count=2)
        statuses = {
            httpx.get(f"http://127.0.0.1:{port}/health", timeout=10).status_code for _ in range(4)
        }
        assert statuses == {200}
        assert httpx.get(f"http://127.0.0.1:{port}/ready", timeout=10).status_code == 200
        serving = process_tree(process.pid)
        # havre itself, its two uvicorn workers and the embedded Redis at the least.
        assert len(serving) >= 4, serving
        assert interrupt(process) in (0, 130)
    assert still_running(serving) == set()
    assert processes_mentioning(str(data)) == []


def test_given_servers_are_used_and_nothing_is_started(tmp_path: Path, servers: Servers) -> None:
    data = tmp_path / "data"
    port = free_port()
    env = base_env(
        HAVRE_DATA_DIR=str(data),
        HAVRE_PORT=str(port),
        DATABASE_URL=servers.database_url,
        REDIS_URL=servers.redis_url,
    )
    with havre("serve", env=env) as process:
        wait_until_serving(process, port)
        assert httpx.get(f"http://127.0.0.1:{port}/ready", timeout=10).status_code == 200
        assert not (data / "postgres").exists()
        assert not (data / "redis").exists()
        interrupt(process)


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({"DATABASE_URL": "mysql://nope", "REDIS_URL": "redis://127.0.0.1:6379"}, "DATABASE_URL"),
        ({"DATABASE_URL": "postgresql://h:99999999/x", "REDIS_URL": "redis://h"}, "port"),
        ({"REDIS_URL": "redis://127.0.0.1:6379"}, "DATABASE_URL and REDIS_URL"),
        ({"HAVRE_ENV": "staging"}, "HAVRE_ENV"),
        ({"HAVRE_PORT": "eighty"}, "HAVRE_PORT"),
        ({"HAVRE_WORKERS": "0"}, "HAVRE_WORKERS"),
        ({"HAVRE_HOST": "http://127.0.0.1"}, "HAVRE_HOST"),
        ({"HAVRE_HOST": "127.0.0.1:8000"}, "HAVRE_HOST"),
        # TEST-NET-1 (RFC 5737): a well-formed address that is no address of this machine.
        ({"HAVRE_HOST": "192.0.2.1"}, "HAVRE_HOST"),
        (
            {"DATABASE_URL": "postgresql://h/x", "REDIS_URL": "redis://127.0.0.1:6379/notanumber"},
            "REDIS_URL",
        ),
        (
            {"DATABASE_URL": "postgresql://h/x", "REDIS_URL": "redis://127.0.0.1:6379/-1"},
            "REDIS_URL",
        ),
        ({"DATABASE_URL": "postgresql://h/x", "REDIS_URL": "redis://h:6379?db=two"}, "REDIS_URL"),
        # A digit for Python's isdigit() that int() refuses.
        ({"DATABASE_URL": "postgresql://h/x", "REDIS_URL": "redis://h:6379/\u00b2"}, "REDIS_URL"),
        ({"HAVRE_QUEUE_GRACE": "30"}, "HAVRE_QUEUE_GRACE"),
    ],
)
def test_a_bad_setting_stops_the_cli_with_one_line_and_status_2(
    tmp_path: Path, variables: dict[str, str], expected: str
) -> None:
    env = base_env(HAVRE_DATA_DIR=str(tmp_path), **variables)
    result = subprocess.run(
        [sys.executable, "-m", "server.cli", "serve"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    # Refused before anything started: no embedded server was created.
    assert not (tmp_path / "postgres").exists()
    assert not (tmp_path / "redis").exists()


@pytest.mark.parametrize("command", ["serve", "demo"])
@pytest.mark.parametrize("workers", ["0", "65", "two", "-1", "\u00b2"])
def test_a_bad_workers_option_stops_the_cli_with_one_line_and_status_2(
    tmp_path: Path, command: str, workers: str
) -> None:
    env = base_env(HAVRE_DATA_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-m", "server.cli", command, "--workers", workers],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert "--workers" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert not (tmp_path / "postgres").exists()


def test_a_taken_port_stops_serve_with_one_line_and_status_2(
    tmp_path: Path, servers: Servers
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = base_env(
            HAVRE_DATA_DIR=str(tmp_path),
            HAVRE_PORT=str(port),
            DATABASE_URL=servers.database_url,
            REDIS_URL=servers.redis_url,
        )
        result = subprocess.run(
            [sys.executable, "-m", "server.cli", "serve"],
            cwd=REPO, env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert f"127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_a_serving_worker_tunes_its_garbage_collector(servers: Servers) -> None:
    """The factory uvicorn workers call freezes what was loaded and spaces out full
    collections (each paused every socket of a busy worker for 100-250 ms); tests and
    commands that build the app themselves keep Python's defaults."""
    probe = (
        "import gc, json; from server.app import app_from_env, create_app\n"
        "from server.settings import load_settings\n"
        "create_app(load_settings()); before = (gc.get_threshold(), gc.get_freeze_count())\n"
        "app_from_env(); print(json.dumps([before, [gc.get_threshold(), gc.get_freeze_count()]]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=REPO,
        env={**os.environ, **settings_env(servers)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    (before_thresholds, before_frozen), (thresholds, frozen) = json.loads(out.stdout)
    assert before_thresholds == [700, 10, 10]  # Python's defaults, untouched by create_app
    assert before_frozen == 0
    assert thresholds[0] >= 10_000  # young collections far apart
    assert thresholds[2] >= 50  # full ones rarer still
    assert frozen > 10_000  # the modules and the app, never walked again
