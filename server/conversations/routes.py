"""HTTP side of conversations: a visitor starts one here, then talks over /ws/visitor."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from litestar import Request, Response, post
from litestar.di import NamedDependency
from litestar.params import JSONBody
from litestar.status_codes import HTTP_201_CREATED

from server.conversations.assignment import AutoAssigner
from server.conversations.service import ConversationService
from server.conversations.start import (
    ConversationStart,
    ConversationStarted,
    start_conversation,
    tenant_id_of,
)
from server.errors import HavreError, problem
from server.protection.guard import Client, StartGuard


async def refuse_known_flooders(request: Request[Any, Any, Any]) -> Response[Any] | None:
    """Before the body is read: a client this worker refused is refused again from memory
    until its wait is over (a flood costs the least it can)."""
    guard: StartGuard = request.app.state.guard
    wait = guard.still_refused(request.client.host if request.client else "unknown")
    if wait is None:
        return None
    return problem(
        request,
        status=429,
        code="too_many_starts",
        extra={"retry_after": wait},
        headers={"Retry-After": str(wait)},
    )


@post(
    "/api/conversations",
    before_request=refuse_known_flooders,
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
    guard: NamedDependency[StartGuard],
) -> ConversationStarted:
    """Anonymous: no account, no name, and no address is stored (starts are counted under a
    daily keyed hash of it, server/limits.py). Refusals (server/protection/guard.py): 429
    too_many_starts or fair_use_reached with Retry-After, 403 visitor_blocked, 403
    challenge_required with a puzzle, 409 tenant_closed; the widget then shows its emergency
    numbers and the line's referrals."""
    address = request.client.host if request.client else "unknown"
    await guard.before_reading(data.tenant, address)
    tenant_id = await tenant_id_of(chat, data.tenant)
    guard.known_line(data.tenant, tenant_id)
    client = Client(address=address, device=data.device, solution=data.challenge)
    try:
        started = await start_conversation(
            chat, data, datetime.now(UTC), tenant_id=tenant_id, guard=guard, client=client
        )
    except HavreError as error:
        await guard.count_refusal(tenant_id, error.code)
        raise
    await assigner.run(started.tenant_id)
    return started
