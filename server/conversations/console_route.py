"""The console's WebSocket endpoint: hello, authentication, then a ConsoleSession serves the
frames until the socket ends (console_socket.py holds what the session does)."""

from __future__ import annotations

import asyncio
from typing import Any

from litestar import WebSocket, websocket
from litestar.di import NamedDependency

from server.auth import TokenError
from server.conversations import frames as f
from server.conversations.assignment import AutoAssigner
from server.conversations.console_access import authenticate, serving
from server.conversations.console_socket import ConsoleSession
from server.conversations.events import Channels
from server.conversations.lifecycle import Lifecycle
from server.conversations.outbox import (
    CLOSE_FORBIDDEN,
    CLOSE_UNAUTHORISED,
    Outbox,
    receive_hello,
    serve_frames,
    stop_tasks,
)
from server.conversations.service import ConversationService
from server.db import Database
from server.i18n import Locale, negotiate_locale
from server.realtime import Realtime
from server.routing.presence import PresenceStore


@websocket("/ws/console", name="ws:console")
async def console_socket(
    socket: WebSocket[Any, Any, Any],
    chat: NamedDependency[ConversationService],
    lifecycle: NamedDependency[Lifecycle],
    realtime: NamedDependency[Realtime],
    channels: NamedDependency[Channels],
    presence: NamedDependency[PresenceStore],
    assigner: NamedDependency[AutoAssigner],
    db: NamedDependency[Database],
) -> None:
    await socket.accept()
    outbox = Outbox(socket)
    locale: Locale = negotiate_locale(socket.headers.get("accept-language"), default="fr")
    hello = await receive_hello(
        socket, outbox, f.console_decoder, f.ConsoleHello, chat.settings.hello_timeout_seconds
    )
    if hello is None:
        return
    try:
        staff_id = authenticate(socket, chat.tokens, hello.token)
    except (TokenError, ValueError):
        await outbox.close(CLOSE_UNAUTHORISED, "invalid_token")
        return
    accesses = await serving(db, staff_id)
    if not accesses:
        await outbox.close(CLOSE_FORBIDDEN, "no line to serve")
        return
    async with realtime.subscription([]) as subscription:
        session = ConsoleSession(
            outbox=outbox,
            staff_id=staff_id,
            accesses=accesses,
            chat=chat,
            lifecycle=lifecycle,
            channels=channels,
            presence=presence,
            assigner=assigner,
            subscription=subscription,
        )
        await session.start()
        tasks = [
            asyncio.create_task(session.pump()),
            asyncio.create_task(session.queue_refresher()),
            asyncio.create_task(session.heartbeat()),
        ]
        try:
            await serve_frames(socket, outbox, f.console_decoder, session.handle, locale)
        finally:
            if session.told_presence:
                await presence.clear(staff_id)
                await session.report.tell_other_consoles()
            await session.desk.stop()
            await stop_tasks(tasks)
