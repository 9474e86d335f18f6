"""The console's `presence` frame: status, capacity and conversations held, as the server
counts them — after hello, and whenever the listener's presence or load changes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeAlias

import asyncpg

from tests.conftest import MakeStaff, MakeTenant
from tests.conversations.clients import Console, Frame, set_presence
from tests.conversations.conftest import OpenListener, StartVisitor

Owner: TypeAlias = "asyncpg.Connection[asyncpg.Record]"


def presence(**fields: Any) -> Callable[[Frame], bool]:
    return lambda f: f["type"] == "presence" and all(f[k] == v for k, v in fields.items())


def last_presence(console: Console) -> Frame:
    return console.received("presence")[-1]


async def claim(console: Console, start_visitor: StartVisitor, tenant: str) -> tuple[Any, str]:
    visitor, started = await start_visitor(tenant)
    cid = started["conversation_id"]
    await console.next(
        lambda f: (
            f["type"] == "queue_snapshot" and any(e["conversation_id"] == cid for e in f["entries"])
        )
    )
    await console.send({"type": "claim", "conversation_id": cid})
    await console.next(
        lambda f: f["type"] == "assigned" and f["conversation"]["conversation_id"] == cid
    )
    return visitor, cid


async def test_after_hello_the_console_is_told_away_its_capacity_and_nothing_held(
    open_tenant: MakeTenant, open_listener: OpenListener
) -> None:
    tenant = await open_tenant()  # default capacity: 2
    listener = await open_listener(tenant.slug)
    told = await listener.next(presence())
    assert told == {"type": "presence", "status": "away", "capacity": 2, "active": 0}


async def test_going_available_then_away_is_answered_with_the_new_status(
    open_tenant: MakeTenant, open_listener: OpenListener
) -> None:
    tenant = await open_tenant()
    listener = await open_listener(tenant.slug)
    await listener.next(presence(status="away"))
    await listener.send({"type": "presence", "status": "available"})
    assert (await listener.next(presence()))["status"] == "available"
    await listener.send({"type": "presence", "status": "away"})
    assert (await listener.next(presence()))["status"] == "away"


async def test_the_active_count_follows_claims_and_ends_by_either_side(
    open_tenant: MakeTenant, open_listener: OpenListener, start_visitor: StartVisitor
) -> None:
    tenant = await open_tenant()
    listener = await open_listener(tenant.slug)
    await listener.next(presence(active=0))

    visitor, first = await claim(listener, start_visitor, tenant.slug)
    await listener.next(presence(active=1))
    _, second = await claim(listener, start_visitor, tenant.slug)
    await listener.next(presence(active=2, capacity=2))

    await visitor.send({"type": "end"})  # the visitor leaves the first one
    await listener.next(presence(active=1))
    wrapup = {"topics": [], "risk_level": "none", "outcome": "supported"}
    await listener.send({"type": "end", "conversation_id": second, "wrapup": wrapup})
    await listener.next(presence(active=0))
    assert first != second


async def test_a_transfer_to_a_colleague_moves_one_from_one_count_to_the_other(
    open_tenant: MakeTenant,
    open_listener: OpenListener,
    start_visitor: StartVisitor,
    owner: Owner,
) -> None:
    tenant = await open_tenant()
    listener = await open_listener(tenant.slug)
    colleague = await open_listener(tenant.slug)
    await colleague.next(presence(active=0))
    await set_presence(colleague, "available")  # a transfer is given only to who is
    _, cid = await claim(listener, start_visitor, tenant.slug)
    await listener.next(presence(active=1))

    colleague_id = await owner.fetchval(
        "SELECT id FROM staff_users WHERE email = $1",
        colleague.email,  # type: ignore[attr-defined]
    )
    await listener.send(
        {"type": "transfer", "conversation_id": cid, "to_listener": str(colleague_id)}
    )
    await listener.next(presence(active=0))
    await colleague.next(presence(active=1))


async def test_capacity_is_the_highest_of_the_lines_served_or_the_listeners_own(
    open_tenant: MakeTenant,
    open_listener: OpenListener,
    make_staff: MakeStaff,
    owner: Owner,
) -> None:
    partner = await open_tenant()  # default capacity 2
    host = await open_tenant(
        partners=[{"organisation": partner.slug}], routing={"default_capacity": 3}
    )
    email = await make_staff(partner.slug)
    # A claim in the host checks the host's capacity against every chat held: up to 3 at once.
    listener = await open_listener(partner.slug, email=email)
    assert (await listener.next(presence()))["capacity"] == 3
    assert host.routing.default_capacity == 3

    # A capacity set on the listener's membership applies in every line they serve.
    await owner.execute(
        "UPDATE memberships SET capacity = 1 "
        "WHERE staff_id = (SELECT id FROM staff_users WHERE email = $1)",
        email,
    )
    again = await open_listener(partner.slug, email=email)
    assert (await again.next(presence()))["capacity"] == 1


async def test_another_console_of_the_same_listener_is_told_of_their_presence(
    open_tenant: MakeTenant, open_listener: OpenListener, make_staff: MakeStaff
) -> None:
    tenant = await open_tenant()
    email = await make_staff(tenant.slug)
    first = await open_listener(tenant.slug, email=email)
    second = await open_listener(tenant.slug, email=email)
    await second.next(presence(status="away"))

    await first.send({"type": "presence", "status": "available"})
    await second.next(presence(status="available"))
    await first.close()  # closing the console that told its presence sets the listener away
    await second.next(presence(status="away"))
