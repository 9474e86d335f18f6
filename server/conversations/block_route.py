"""A listener (in their own conversation) or a supervisor blocks the visitor: the block is
stored and audited, then the conversation ends. The visitor's next start is refused with the
line's referrals (server/protection/guard.py); supervisors list and lift blocks
(server/protection/api.py)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec
from litestar import Request, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from server.access import TenantAccess
from server.auth import tenant_role_guard
from server.conversations.lifecycle import Lifecycle
from server.conversations.service import ChatError, ConversationService
from server.protection.blocks import BlockRequest
from server.protection.guard import StartGuard


class Blocked(msgspec.Struct, frozen=True):
    block_id: UUID


@post(
    "/api/tenants/{slug:str}/conversations/{conversation_id:uuid}/block",
    operation_id="blockVisitor",
    name="conversations:block",
    tags=["staff"],
    guards=[tenant_role_guard],
    opt={"min_role": "listener"},
    status_code=200,
)
async def block_visitor(
    request: Request[Any, Any, Any],
    conversation_id: FromPath[UUID],
    data: JSONBody[BlockRequest],
    chat: NamedDependency[ConversationService],
    lifecycle: NamedDependency[Lifecycle],
    guard: NamedDependency[StartGuard],
) -> Blocked:
    access: TenantAccess = request.state.tenant_access
    staff_id: UUID = request.state.staff.staff_id
    tenant_id = access.organisation_id
    async with chat.db.tenant_transaction(tenant_id, staff_id=staff_id) as conn:
        conversation = await chat.conversation(conn, conversation_id)
        if access.role == "listener" and conversation["listener_id"] != staff_id:
            raise ChatError(code="not_your_conversation")
        block_id = await guard.blocks.block(conn, tenant_id, conversation_id, staff_id, data)
    await lifecycle.end_by_system(tenant_id, conversation_id, "blocked")
    return Blocked(block_id=block_id)
