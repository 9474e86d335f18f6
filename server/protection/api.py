"""JSON routes: the puzzle a widget solves before a start on a line that asks for one, and the
blocked visitors a supervisor lists and lifts."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from server.access import TenantAccess
from server.auth import tenant_role_guard
from server.db import Database
from server.errors import NotFound
from server.protection.blocks import Blocks, BlockView
from server.protection.challenge import Puzzle
from server.protection.guard import StartGuard
from server.protection.refusals import Q

SUPERVISOR = {"min_role": "supervisor"}


@post(
    "/api/widget/{slug:str}/challenge",
    operation_id="getChallenge",
    name="protection:challenge",
    tags=["visitor"],
    status_code=200,
    opt={"exclude_from_csrf": True},
)
async def challenge(
    slug: FromPath[str], db: NamedDependency[Database], guard: NamedDependency[StartGuard]
) -> Response[Puzzle]:
    """A fresh puzzle for the line (each is accepted once, within five minutes)."""
    async with db.transaction() as conn:
        tenant_id = await conn.fetchval(Q["tenant_by_slug"], slug)
    if tenant_id is None:
        raise NotFound(code="tenant_not_found")
    return Response(guard.challenges.issue(tenant_id), headers={"Cache-Control": "no-store"})


class BlocksController(Controller):
    path = "/api/tenants/{slug:str}/blocks"
    tags = ["staff"]
    guards = [tenant_role_guard]

    @get("/", operation_id="listBlocks", name="protection:blocks", opt=SUPERVISOR)
    async def list_blocks(
        self, request: Request[Any, Any, Any], db: NamedDependency[Database]
    ) -> list[BlockView]:
        """The last 30 days' blocks of the line, those in force first."""
        access: TenantAccess = request.state.tenant_access
        async with db.tenant_transaction(access.organisation_id) as conn:
            return await Blocks.listed(conn)

    @post(
        "/{block_id:uuid}/lift",
        operation_id="liftBlock",
        name="protection:lift",
        opt=SUPERVISOR,
        status_code=200,
    )
    async def lift(
        self,
        request: Request[Any, Any, Any],
        block_id: FromPath[UUID],
        db: NamedDependency[Database],
    ) -> list[BlockView]:
        """Lifts a block in force (audited); answers the list as it now stands."""
        access: TenantAccess = request.state.tenant_access
        staff_id: UUID = request.state.staff.staff_id
        async with db.tenant_transaction(access.organisation_id, staff_id=staff_id) as conn:
            await Blocks.lift(conn, access.organisation_id, block_id, staff_id)
            return await Blocks.listed(conn)


PROTECTION_HANDLERS: list[Any] = [challenge, BlocksController]
