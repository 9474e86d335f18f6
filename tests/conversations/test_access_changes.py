"""An admin's change to someone's access reaches their open console at once."""

from __future__ import annotations

from typing import Any

import httpx
from websockets.asyncio.client import connect

from tests.conftest import MakeStaff, MakeTenant
from tests.conversations.clients import Console, open_console
from tests.conversations.conftest import OpenListener, StartVisitor, access_token


async def as_admin(live_url: str, email: str) -> httpx.AsyncClient:
    token = await access_token(live_url, email)
    return httpx.AsyncClient(base_url=live_url, headers={"authorization": f"Bearer {token}"})


async def staff_id(owner: Any, email: str) -> str:
    return str(await owner.fetchval("SELECT id FROM staff_users WHERE email = $1", email))


async def test_a_deactivated_listener_s_console_is_closed_and_cannot_come_back(
    live_url: str,
    live_host: str,
    open_tenant: MakeTenant,
    open_listener: OpenListener,
    make_staff: MakeStaff,
    owner: Any,
) -> None:
    tenant = await open_tenant()
    listener = await open_listener(tenant.slug)
    token = await access_token(live_url, listener.email)  # type: ignore[attr-defined]
    admin = await as_admin(live_url, await make_staff(tenant.slug, "admin"))

    async with admin:
        changed = await admin.patch(
            f"/api/tenants/{tenant.slug}/staff/{await staff_id(owner, listener.email)}",  # type: ignore[attr-defined]
            json={"is_active": False},
        )
    assert changed.status_code == 200, changed.text

    assert await listener.closed() == (4409, "access_changed")
    # The access token is still unexpired, but deactivation ended the person's sessions.
    again = Console(await connect(f"ws://{live_host}/ws/console"))
    await again.send({"type": "hello", "token": token})
    assert await again.closed() == (4401, "invalid_token")


async def test_a_role_change_makes_the_console_reconnect_with_its_new_rights(
    live_url: str,
    live_host: str,
    open_tenant: MakeTenant,
    open_listener: OpenListener,
    make_staff: MakeStaff,
    owner: Any,
) -> None:
    tenant = await open_tenant()
    listener = await open_listener(tenant.slug)
    email = listener.email  # type: ignore[attr-defined]
    admin = await as_admin(live_url, await make_staff(tenant.slug, "admin"))

    async with admin:
        changed = await admin.patch(
            f"/api/tenants/{tenant.slug}/staff/{await staff_id(owner, email)}",
            json={"role": "supervisor"},
        )
    assert changed.status_code == 200, changed.text

    assert await listener.closed() == (4409, "access_changed")
    promoted = await open_console(live_host, await access_token(live_url, email))
    assert await promoted.of_type("supervision_snapshot")
    await promoted.close()


async def test_a_change_that_leaves_access_as_it_was_keeps_the_console_open(
    live_url: str,
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    make_staff: MakeStaff,
    owner: Any,
) -> None:
    tenant = await open_tenant()
    listener = await open_listener(tenant.slug)
    email = listener.email  # type: ignore[attr-defined]
    admin = await as_admin(live_url, await make_staff(tenant.slug, "admin"))

    async with admin:
        changed = await admin.patch(
            f"/api/tenants/{tenant.slug}/staff/{await staff_id(owner, email)}",
            json={"capacity": 3},
        )
    assert changed.status_code == 200, changed.text

    # Capacity is read at each claim, so the socket stays. Redis delivers in publish order and
    # the console handles its events one by one: a queue update published after the change,
    # received, proves the change was handled without closing.
    _, started = await start_visitor(tenant.slug)
    await listener.next(
        lambda f: (
            f["type"] == "queue_snapshot"
            and any(e["conversation_id"] == started["conversation_id"] for e in f["entries"])
        )
    )


async def test_revoking_a_partner_closes_its_listeners_consoles_on_the_host(
    live_url: str,
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    make_staff: MakeStaff,
) -> None:
    partner = await open_tenant()
    host = await open_tenant(partners=[{"organisation": partner.slug}])
    partner_listener = await open_listener(partner.slug)
    host_listener = await open_listener(host.slug)
    admin = await as_admin(live_url, await make_staff(host.slug, "admin"))

    async with admin:
        revoked = await admin.delete(f"/api/tenants/{host.slug}/partners/{partner.slug}")
    assert revoked.status_code == 204, revoked.text

    assert await partner_listener.closed() == (4409, "access_changed")
    # The host's own listener lost nothing and stays connected (same proof as above).
    _, started = await start_visitor(host.slug)
    await host_listener.next(
        lambda f: (
            f["type"] == "queue_snapshot"
            and any(e["conversation_id"] == started["conversation_id"] for e in f["entries"])
        )
    )


async def test_a_team_change_makes_the_console_reconnect_with_its_new_queue(
    live_url: str,
    open_tenant: MakeTenant,
    open_listener: OpenListener,
    make_staff: MakeStaff,
    owner: Any,
) -> None:
    tenant = await open_tenant(
        teams=[{"slug": "general", "name": "General"}, {"slug": "night", "name": "Night"}]
    )
    listener = await open_listener(tenant.slug)
    email = listener.email  # type: ignore[attr-defined]
    night = await owner.fetchval(
        "SELECT t.id FROM teams t JOIN organisations o ON o.id = t.organisation_id "
        "WHERE o.slug = $1 AND t.slug = 'night'",
        tenant.slug,
    )
    admin = await as_admin(live_url, await make_staff(tenant.slug, "admin"))

    async with admin:
        changed = await admin.patch(
            f"/api/tenants/{tenant.slug}/staff/{await staff_id(owner, email)}",
            json={"team_ids": [str(night)]},
        )
    assert changed.status_code == 200, changed.text

    assert await listener.closed() == (4409, "access_changed")
