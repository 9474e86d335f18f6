"""One embedded Redis per data folder, shared: a `havre` command beside a running product
reuses it and leaves it running; the last process using it stops it."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import redis

from server.embedded import embedded_redis
from tests.conftest import REPO
from tests.test_serve import (
    Process,
    base_env,
    free_port,
    havre,
    interrupt,
    process_tree,
    processes_mentioning,
    still_running,
    wait_until_serving,
)

# Starts or reuses the embedded Redis of a folder, prints its URL, holds it until stdin closes.
USER = """
import sys
from pathlib import Path
from server.embedded import embedded_redis
with embedded_redis(Path(sys.argv[1])) as url:
    print(url, flush=True)
    sys.stdin.readline()
"""


def run_havre(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "server.cli", *args],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def redis_answering(path: Path) -> Process:
    """The Redis answering on the socket at `path` (fails if none does)."""
    client = redis.Redis(unix_socket_path=str(path), socket_timeout=5)
    try:
        assert client.ping()
        pid = int(client.info("server")["process_id"])
    finally:
        client.close()
    (process,) = (p for p in process_tree(pid) if p[0] == pid)
    return process


def redis_servers_of(folder: Path) -> list[str]:
    return [args for args in processes_mentioning(str(folder)) if "redis-server" in args]


@contextmanager
def redis_users(folder: Path, count: int) -> Iterator[list[subprocess.Popen[str]]]:
    """`count` processes entering embedded_redis(folder) at once; each prints the URL it got."""
    users = [
        subprocess.Popen(
            [sys.executable, "-c", USER, str(folder)],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(count)
    ]
    try:
        yield users
    finally:
        for user in users:  # released, not killed: the last one out stops the Redis
            if user.stdin is not None and not user.stdin.closed:
                user.stdin.close()
        for user in users:
            try:
                user.wait(timeout=30)
            except subprocess.TimeoutExpired:
                user.kill()
                user.wait()


def holding(user: subprocess.Popen[str]) -> str:
    assert user.stdout is not None
    url = user.stdout.readline().strip()
    assert url, f"exited with status {user.wait()} before holding Redis"
    return url


def release(user: subprocess.Popen[str]) -> None:
    assert user.stdin is not None
    user.stdin.close()
    assert user.wait(timeout=30) == 0


def test_a_command_beside_serve_leaves_its_redis_running(tmp_path: Path) -> None:
    data = tmp_path / "data"
    sock = data / "redis" / "redis.sock"
    port = free_port()
    env = base_env(HAVRE_DATA_DIR=str(data), HAVRE_PORT=str(port))
    with havre("serve", env=env) as serving:
        try:
            wait_until_serving(serving, port)
            served_by = redis_answering(sock)
            for command in (["tenants", "apply", "tenants"], ["tenants", "export", "ecoute-nuit"]):
                done = run_havre(*command, env=env)
                assert done.returncode == 0, done.stderr
            assert sock.exists()
            assert redis_answering(sock) == served_by
            assert len(redis_servers_of(data)) == 1, redis_servers_of(data)
            assert httpx.get(f"http://127.0.0.1:{port}/ready", timeout=10).status_code == 200
        finally:  # Ctrl-C even on failure: a killed havre would leave its PostgreSQL running
            status = interrupt(serving) if serving.poll() is None else serving.returncode
    assert status in (0, 130)
    assert still_running({served_by}) == set()
    assert processes_mentioning(str(data)) == []


def test_a_command_that_needs_no_redis_starts_none(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = base_env(HAVRE_DATA_DIR=str(data))
    done = run_havre("migrate", env=env)
    assert done.returncode == 0, done.stderr
    assert (data / "postgres").exists()
    assert not (data / "redis").exists()


def test_a_second_user_reuses_redis_and_leaves_it_to_the_first(tmp_path: Path) -> None:
    folder = tmp_path / "redis"
    with redis_users(folder, 1) as (first,), redis_users(folder, 1) as (second,):
        url = holding(first)
        started = redis_answering(folder / "redis.sock")
        assert holding(second) == url
        release(second)
        assert (folder / "redis.sock").exists()
        assert redis_answering(folder / "redis.sock") == started
        release(first)
    assert still_running({started}) == set()
    assert not (folder / "redis.sock").exists()


def test_users_starting_at_once_share_one_redis_and_the_last_out_stops_it(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "redis"
    with redis_users(folder, 2) as (first, second):
        assert holding(first) == holding(second)
        assert len(redis_servers_of(folder)) == 1, redis_servers_of(folder)
        server = redis_answering(folder / "redis.sock")
        # Whichever started it leaves first: the other still has its Redis.
        starter, other = (first, second) if server in process_tree(first.pid) else (second, first)
        release(starter)
        assert redis_answering(folder / "redis.sock") == server
        release(other)
    assert still_running({server}) == set()
    assert redis_servers_of(folder) == []


def test_a_stale_socket_is_replaced(tmp_path: Path) -> None:
    folder = tmp_path / "redis"
    folder.mkdir()
    with socket.socket(socket.AF_UNIX) as dead:
        dead.bind(str(folder / "redis.sock"))  # the file stays; nothing listens on it
    with embedded_redis(folder) as url:
        assert url == f"unix://{folder / 'redis.sock'}"
        server = redis_answering(folder / "redis.sock")
    assert still_running({server}) == set()
    assert not (folder / "redis.sock").exists()
