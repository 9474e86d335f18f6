"""HTTP side of conversations: a visitor starts one here, then talks over /ws/visitor."""

from __future__ import annotations

from datetime import UTC, datetime

from litestar import post
from litestar.di import NamedDependency
from litestar.params import JSONBody
from litestar.status_codes import HTTP_201_CREATED

from server.conversations.service import ConversationService
from server.conversations.start import ConversationStart, ConversationStarted, start_conversation
from server.routing.assignment import AutoAssigner


@post(
    "/api/conversations",
    operation_id="startConversation",
    name="conversations:start",
    tags=["visitor"],
    status_code=HTTP_201_CREATED,
)
async def start(
    data: JSONBody[ConversationStart],
    chat: NamedDependency[ConversationService],
    assigner: NamedDependency[AutoAssigner],
) -> ConversationStarted:
    """Anonymous: no account, no name, and no address is stored."""
    started = await start_conversation(chat, data, datetime.now(UTC))
    await assigner.run(started.tenant_id)
    return started
