"""HTTP side of conversations: a visitor starts one here, then talks over /ws/visitor."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from litestar import Request, post
from litestar.di import NamedDependency
from litestar.params import JSONBody
from litestar.status_codes import HTTP_201_CREATED

from server.conversations.service import ConversationService
from server.conversations.start import ConversationStart, ConversationStarted, start_conversation
from server.errors import TooManyRequests
from server.limits import VisitorLimits
from server.routing.assignment import AutoAssigner


@post(
    "/api/conversations",
    operation_id="startConversation",
    name="conversations:start",
    tags=["visitor"],
    status_code=HTTP_201_CREATED,
)
async def start(
    request: Request[Any, Any, Any],
    data: JSONBody[ConversationStart],
    chat: NamedDependency[ConversationService],
    assigner: NamedDependency[AutoAssigner],
    limits: NamedDependency[VisitorLimits],
) -> ConversationStarted:
    """Anonymous: no account, no name, and no address is stored (starts are counted under a
    daily keyed hash of it, server/limits.py). Too many starts answer 429 too_many_starts
    with Retry-After; the widget then shows its emergency numbers."""
    address = request.client.host if request.client else "unknown"
    wait = await limits.start(address, data.tenant)
    if wait is not None:
        raise TooManyRequests(code="too_many_starts", retry_after=wait)
    started = await start_conversation(chat, data, datetime.now(UTC))
    await assigner.run(started.tenant_id)
    return started
