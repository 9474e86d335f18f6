"""create_app(settings): the one place that assembles plugins, routes, handlers and dependencies."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from litestar import Litestar, Request
from litestar.datastructures import State
from litestar.di import Provide
from litestar.exceptions import NotFoundException
from litestar.openapi import OpenAPIConfig
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template import TemplateConfig

from server.admin.routes import ADMIN_HANDLERS
from server.auth import Tokens
from server.cache import RedisClient
from server.conversations import routes as conversation_routes
from server.conversations.assignment import AutoAssigner
from server.conversations.block_route import block_visitor
from server.conversations.console_route import console_socket
from server.conversations.events import Channels
from server.conversations.lifecycle import Lifecycle
from server.conversations.service import ConversationService
from server.conversations.timers import Timers
from server.conversations.visitor_socket import visitor_socket
from server.crypto import MessageCipher
from server.dashboard.routes import DASHBOARD_HANDLERS
from server.db import Database
from server.errors import EXCEPTION_HANDLERS, HavreRequest
from server.health import health, ready
from server.limits import VisitorLimits
from server.logs import configure_logging
from server.protection.api import PROTECTION_HANDLERS
from server.protection.guard import StartGuard
from server.realtime import Realtime
from server.revocations import RevokedFamilies
from server.routing.presence import PresenceStore
from server.security import add_security_headers, csrf_config, csrf_middleware
from server.settings import Settings, load_settings
from server.staff.handlers import STAFF_HANDLERS
from server.staff.mailer import Mailer
from server.staff.routes import AuthController, me
from server.staff.service import SignInService
from server.tenants.routes import TenantController
from server.triage.scorer import load_scorer
from server.web import routes as pages
from server.web.supervision import supervision_page
from server.web.supervision_blocks import supervision_blocks_page
from server.widget.routes import WIDGET_HANDLERS

WEB = Path(__file__).parent / "web"
MAX_BODY_BYTES = 64 * 1024


def create_app(settings: Settings) -> Litestar:
    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        db = await Database.connect(settings.database)
        redis = RedisClient(settings.redis)
        realtime = Realtime(redis)
        revoked = RevokedFamilies(redis, realtime, settings.auth.access_ttl_seconds)
        tokens = Tokens(settings.auth, revoked)
        channels = Channels(realtime)
        presence = PresenceStore(redis, settings.chat.presence_ttl_seconds)
        chat = ConversationService(
            db=db,
            channels=channels,
            cipher=MessageCipher(settings.chat.message_keys),
            tokens=tokens,
            scorer=load_scorer(settings.chat.triage_scorer),
            settings=settings.chat,
            presence=presence,
        )
        lifecycle = Lifecycle(chat)
        assigner = AutoAssigner(chat, presence)
        timers = Timers(
            lifecycle,
            realtime,
            settings.chat.timer_interval_seconds,
            settings.chat.alert_interval_seconds,
            assigner=assigner,
            queue_grace=settings.chat.queue_grace_seconds,
        )
        app.state.update(
            settings=settings,
            db=db,
            redis=redis,
            tokens=tokens,
            signin=SignInService(
                db=db,
                redis=redis,
                tokens=tokens,
                settings=settings.auth,
                mailer=Mailer(settings.smtp),
                revoked=revoked,
            ),
            realtime=realtime,
            channels=channels,
            chat=chat,
            lifecycle=lifecycle,
            presence=presence,
            assigner=assigner,
            timers=timers,
            limits=VisitorLimits(redis, settings.auth.csrf_secret, settings.chat),
            guard=StartGuard(redis, db, settings.auth.csrf_secret, settings.chat),
        )
        await realtime.start()
        await revoked.start()
        await timers.start()
        try:
            yield
        finally:
            await app.state.guard.refused.close()
            await timers.stop()
            await revoked.stop()
            await realtime.stop()
            await redis.close()
            await db.close()

    def state_value(name: str) -> Provide:
        def provide(state: State) -> Any:
            return getattr(state, name)

        return Provide(provide, sync_to_thread=False)

    return Litestar(
        route_handlers=[
            health,
            ready,
            AuthController,
            me,
            TenantController,
            conversation_routes.start,
            block_visitor,
            *PROTECTION_HANDLERS,
            visitor_socket,
            console_socket,
            pages.sign_in_page,
            pages.console_page,
            supervision_page,
            supervision_blocks_page,
            *ADMIN_HANDLERS,
            pages.demo_page,
            pages.home,
            *WIDGET_HANDLERS,
            *STAFF_HANDLERS,
            *DASHBOARD_HANDLERS,
            create_static_files_router(
                path="/static",
                directories=[WEB / "static"],
                include_in_schema=False,
                before_request=refuse_control_characters,
            ),
        ],
        lifespan=[lifespan],
        dependencies={
            "db": state_value("db"),
            "redis": state_value("redis"),
            "signin": state_value("signin"),
            "realtime": state_value("realtime"),
            "channels": state_value("channels"),
            "chat": state_value("chat"),
            "lifecycle": state_value("lifecycle"),
            "presence": state_value("presence"),
            "assigner": state_value("assigner"),
            "limits": state_value("limits"),
            "guard": state_value("guard"),
        },
        exception_handlers=EXCEPTION_HANDLERS,
        request_class=HavreRequest,
        middleware=[
            csrf_middleware(
                csrf_config(settings.auth.csrf_secret, secure=settings.auth.cookie_secure)
            ),
        ],
        before_send=[add_security_headers],
        template_config=TemplateConfig(directory=WEB / "templates", engine=JinjaTemplateEngine),
        openapi_config=OpenAPIConfig(title="Havre", version="0.1.0", path="/schema"),
        request_max_body_size=MAX_BODY_BYTES,
        debug=False,
    )


# A worker holding a thousand conversations tracks a few hundred thousand objects; with
# Python's default thresholds (700, 10, 10) a full collection walked them all several times a
# minute, each a 100-250 ms pause of every socket on the worker (tests/bench/chat_latency.py).
# Young collections every 50,000 allocations still free short-lived cycles; full ones become
# rare; and what the worker loaded before its first request is never walked again.
SERVING_GC_THRESHOLDS = (50_000, 20, 100)


async def refuse_control_characters(request: Request[Any, Any, Any]) -> None:
    """No file is named with a NUL or a line break: such a static path is not found (the
    file system would otherwise raise on it)."""
    if any(ord(c) < 32 or ord(c) == 127 for c in request.url.path):
        raise NotFoundException()


def tune_collector_for_serving() -> None:
    gc.collect()
    gc.freeze()
    gc.set_threshold(*SERVING_GC_THRESHOLDS)


def app_from_env() -> Litestar:
    """The factory uvicorn workers call: settings come from the environment."""
    configure_logging()
    app = create_app(load_settings())
    tune_collector_for_serving()
    return app
