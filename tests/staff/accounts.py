"""Helpers for the staff-account tests: bearer sign-in, an app of one's own, TOTP codes, and a
real (tiny) SMTP server on a local port that keeps what it receives."""

from __future__ import annotations

import base64
import socketserver
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any
from uuid import UUID

import msgspec
import pyotp
from litestar import Litestar
from litestar.testing import AsyncTestClient
from litestar.types import ASGIApp, Receive, Scope, Send

from server.app import create_app
from server.settings import load_settings
from tests.conftest import PASSWORD, Servers, settings_env, sign_in


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


async def bearer_for(client: AsyncTestClient[Litestar], email: str) -> dict[str, str]:
    return bearer((await sign_in(client, email))["access_token"])


async def staff_id_of(owner: Any, email: str) -> UUID:
    found: UUID = await owner.fetchval("SELECT id FROM staff_users WHERE email = $1", email)
    return found


async def organisation_id_of(owner: Any, slug: str) -> UUID:
    found: UUID = await owner.fetchval("SELECT id FROM organisations WHERE slug = $1", slug)
    return found


async def password_step(client: AsyncTestClient[Litestar], email: str) -> Any:
    return await client.post("/api/auth/sign-in", json={"email": email, "password": PASSWORD})


def code_at(secret: str, offset_steps: int = 0) -> str:
    """The TOTP code `offset_steps` steps from now (the server accepts one either side)."""
    return pyotp.TOTP(secret).at(time.time() + 30 * offset_steps)


async def enrol(
    client: AsyncTestClient[Litestar], headers: dict[str, str]
) -> tuple[str, list[str]]:
    """Turns TOTP on for the bearer's account with the current code; returns the secret and the
    recovery codes. The next sign-in must use a later step (`code_at(secret, 1)`)."""
    setup = await client.post("/api/account/totp/setup", headers=headers)
    assert setup.status_code == 200, setup.text
    secret: str = setup.json()["secret"]
    enabled = await client.post(
        "/api/account/totp/enable", json={"code": code_at(secret)}, headers=headers
    )
    assert enabled.status_code == 200, enabled.text
    codes: list[str] = enabled.json()["recovery_codes"]
    return secret, codes


@asynccontextmanager
async def own_app(
    servers: Servers, *, env: dict[str, str] | None = None, **auth: int
) -> AsyncIterator[AsyncTestClient[Litestar]]:
    """An app with a Redis prefix of its own (fresh failure counters), optional extra
    environment, and overridden sign-in limits; its client talks plain http (bearer only)."""
    settings = load_settings(settings_env(servers, **(env or {})))
    if auth:
        settings = msgspec.structs.replace(
            settings, auth=msgspec.structs.replace(settings.auth, **auth)
        )
    async with AsyncTestClient(app=create_app(settings)) as client:
        yield client


HTTPS = "https://testserver.local"


def sibling(
    of: AsyncTestClient[Litestar], *, base_url: str = HTTPS, address: str | None = None
) -> AsyncTestClient[Litestar]:
    """Another client (its own cookie jar, base URL and, if given, client address) on the app
    whose lifespan `of` runs. The test client runs the app in a portal thread with its own event
    loop, so a second client must share that portal rather than start a second lifespan (which
    would replace the app's pools under the first)."""
    app: Any = of.app
    if address is not None:
        app = at_address(of.app, address)
    other: AsyncTestClient[Litestar] = AsyncTestClient(app=app, base_url=base_url)
    other.blocking_portal = of.blocking_portal
    return other


def at_address(app: Litestar, host: str) -> ASGIApp:
    """The app as seen from `host` (the test client always says 'testclient')."""

    async def from_host(scope: Scope, receive: Receive, send: Send) -> None:
        await app({**scope, "client": (host, 40000)}, receive, send)  # type: ignore[typeddict-item]

    return from_host


# A real SMTP server, small enough to read: EHLO, AUTH PLAIN, MAIL, RCPT, DATA, QUIT.


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage
    login: tuple[str, str] | None


@dataclass
class SmtpSink:
    host: str
    port: int
    messages: list[Received] = field(default_factory=list)
    arrived: threading.Event = field(default_factory=threading.Event)


class _SmtpHandler(socketserver.StreamRequestHandler):
    sink: SmtpSink

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        sender, recipients, login = "", [], None
        self.reply("220 sink ESMTP")
        while raw := self.rfile.readline():
            line = raw.decode().rstrip("\r\n")
            verb = line[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.wfile.write(b"250-sink\r\n250-AUTH PLAIN\r\n250 8BITMIME\r\n")
            elif line.upper().startswith("AUTH PLAIN"):
                _, user, password = base64.b64decode(line.split()[2]).decode().split("\0")
                login = (user, password)
                self.reply("235 2.7.0 accepted")
            elif verb == "MAIL":
                sender = line.split(":", 1)[1].strip().strip("<>").split(">")[0]
                self.reply("250 ok")
            elif verb == "RCPT":
                recipients.append(line.split(":", 1)[1].strip().strip("<>"))
                self.reply("250 ok")
            elif verb == "DATA":
                self.reply("354 go ahead")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk[1:] if chunk.startswith(b"..") else chunk
                message = message_from_bytes(data, policy=policy.default)
                assert isinstance(message, EmailMessage)
                self.sink.messages.append(Received(sender, recipients, message, login))
                self.sink.arrived.set()
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


@contextmanager
def smtp_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink(host="127.0.0.1", port=0)
    handler = type("Handler", (_SmtpHandler,), {"sink": sink})
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    sink.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield sink
    finally:
        server.shutdown()
        server.server_close()
