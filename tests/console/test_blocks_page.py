"""The supervisors' page of blocked visitors: for supervisors only, and each sees the lines
they supervise, never another's."""

from __future__ import annotations

import html
from uuid import UUID

import asyncpg
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.conftest import MakeStaff, MakeTenant
from tests.console.test_console_page import bearer

PAGE = "/console/supervision/blocks"


async def blocked_on(
    owner: asyncpg.Connection[asyncpg.Record], slug: str, by: str, *, lifted: bool = False
) -> UUID:
    """A block on the line, written as the block route would (a day, the network too)."""
    block_id: UUID = await owner.fetchval(
        "INSERT INTO visitor_blocks (organisation_id, address_hash, reason, blocked_by, until, "
        "address_until, lifted_at, lifted_by) "
        "SELECT o.id, repeat('a', 64), 'threats', s.id, now() + interval '24 hours', "
        "now() + interval '24 hours', CASE WHEN $3 THEN now() END, CASE WHEN $3 THEN s.id END "
        "FROM organisations o, staff_users s WHERE o.slug = $1 AND s.email = $2 RETURNING id",
        slug,
        by,
        lifted,
    )
    return block_id


async def test_signed_out_the_page_leads_to_the_sign_in_page(
    client: AsyncTestClient[Litestar],
) -> None:
    response = await client.get(PAGE, follow_redirects=False)
    assert response.status_code in (302, 303, 307)
    assert response.headers["location"] == f"/sign-in?next={PAGE}"


async def test_a_listener_is_refused_the_page(
    client: AsyncTestClient[Litestar],
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
    owner: asyncpg.Connection[asyncpg.Record],
) -> None:
    tenant = await make_tenant()
    listener = await make_staff(tenant.slug, "listener")
    await blocked_on(owner, tenant.slug, listener)
    await bearer(client, listener)

    response = await client.get(f"{PAGE}?lang=en")

    assert response.status_code == 403
    assert "Restricted access" in response.text
    assert "Threats to the team" not in response.text
    assert "blocks.js" not in response.text


async def test_a_supervisor_sees_the_blocks_of_their_line_only(
    client: AsyncTestClient[Litestar],
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
    owner: asyncpg.Connection[asyncpg.Record],
) -> None:
    tenant = await make_tenant()
    other = await make_tenant()
    listener = await make_staff(tenant.slug, "listener")
    in_force = await blocked_on(owner, tenant.slug, listener)
    lifted = await blocked_on(owner, tenant.slug, listener, lifted=True)
    await bearer(client, await make_staff(other.slug, "supervisor"))

    elsewhere = await client.get(f"{PAGE}?lang=en")

    assert elsewhere.status_code == 200
    page = html.unescape(elsewhere.text)
    assert other.name in page
    assert tenant.name not in page
    assert str(in_force) not in page
    assert "No block in the last 30 days." in page

    await bearer(client, await make_staff(tenant.slug, "supervisor"))
    english = html.unescape((await client.get(f"{PAGE}?lang=en")).text)
    french = html.unescape((await client.get(f"{PAGE}?lang=fr")).text)

    assert tenant.name in english
    assert f'data-block="{in_force}" data-state="active"' in english
    assert f'data-block="{lifted}" data-state="lifted"' in english
    assert "Threats to the team" in english
    assert "Yes, 24 h at most" in english  # the network is held too
    assert "In force" in english
    assert f"Lifted by {listener} on " in english  # no display name: the address
    assert english.count('class="blk-lift"') == 1  # only the block in force
    assert "Menaces envers l'équipe" in french
    assert "En vigueur" in french
    assert "Lever le blocage" in french
