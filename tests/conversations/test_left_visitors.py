"""A waiting visitor at high or imminent risk whose page has gone is never given up, but does
not hold the head of the queue either: they stay in it marked as left, after everyone whose
page is there, counted in nobody's place, alerted to supervisors, and they get their place
back when their page returns.

The live server's grace is HAVRE_QUEUE_GRACE's default (120 s): a test closes the page, waits
for the server to write that moment, and moves it ten minutes back, as test_timers.py does;
the timer pass (every second here) then does the rest, and the tests await what it sends."""

from __future__ import annotations

import uuid
from typing import Any, TypeAlias

import asyncpg

from tests.conftest import MakeTenant
from tests.conversations.clients import Console, Frame, Visitor, open_visitor, set_presence
from tests.conversations.conftest import OpenListener, StartVisitor, page_gone_past_the_grace

Owner: TypeAlias = "asyncpg.Connection[asyncpg.Record]"
IMMINENT = "j'ai acheté des médicaments, je vais tout prendre ce soir"


def queue_listing(cid: str, *, left: bool) -> Any:
    """A queue snapshot in which this conversation is (or is not) marked as left."""

    def matches(f: Frame) -> bool:
        return f["type"] == "queue_snapshot" and any(
            e["conversation_id"] == cid and e["left"] is left for e in f["entries"]
        )

    return matches


def supervision_listing(cid: str, *, left: bool) -> Any:
    def matches(f: Frame) -> bool:
        return f["type"] == "supervision_snapshot" and any(
            e["conversation_id"] == cid and e["left"] is left for e in f["entries"]
        )

    return matches


def queue_frame(position: int) -> Any:
    return lambda f: f["type"] == "queue" and f["position"] == position


def ids(snapshot: Frame) -> list[tuple[str, bool]]:
    return [(e["conversation_id"], e["left"]) for e in snapshot["entries"]]


async def at_imminent_risk(start_visitor: StartVisitor, tenant: str) -> tuple[Visitor, str, str]:
    """A waiting visitor whose words are scored imminent; returns the socket, id and token."""
    visitor, started = await start_visitor(tenant)
    assert (await visitor.say(IMMINENT))["type"] == "ack"
    return visitor, started["conversation_id"], started["token"]


async def state_of(owner: Owner, cid: str) -> str:
    return str(
        await owner.fetchval("SELECT state FROM conversations WHERE id = $1", uuid.UUID(cid))
    )


async def test_a_high_risk_visitor_whose_page_has_gone_stays_queued_after_those_present(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    owner: Owner,
) -> None:
    tenant = await open_tenant()
    listener = await open_listener(tenant.slug)
    supervisor = await open_listener(tenant.slug, "supervisor")
    gone, gone_cid, _ = await at_imminent_risk(start_visitor, tenant.slug)
    present, started = await start_visitor(tenant.slug)
    present_cid = started["conversation_id"]
    assert started["position"] == 2  # behind the visitor at imminent risk, while they are there
    await present.next(queue_frame(2))

    await page_gone_past_the_grace(owner, gone, gone_cid)

    # The listener's queue: the present visitor first, the one who left after, marked so.
    snapshot = await listener.next(queue_listing(gone_cid, left=True))
    assert ids(snapshot) == [(present_cid, False), (gone_cid, True)]
    assert snapshot["entries"][1]["risk_level"] == "imminent"
    # Supervisors are alerted, and see the same in their list.
    alert = await supervisor.next(lambda f: f["type"] == "alert" and f["kind"] == "visitor_left")
    assert (alert["conversation_id"], alert["level"], alert["tenant"]) == (
        gone_cid,
        "imminent",
        tenant.slug,
    )
    listed = await supervisor.next(supervision_listing(gone_cid, left=True))
    assert ids(listed) == [(present_cid, False), (gone_cid, True)]

    # The one who left holds nobody's place: the present visitor moves up, and a newcomer is
    # second, not third.
    await present.next(queue_frame(1))
    _, newcomer = await start_visitor(tenant.slug)
    assert newcomer["position"] == 2
    # Never given up: still waiting for a listener, after every pass since.
    assert await state_of(owner, gone_cid) == "queued"
    assert len([a for a in supervisor.received("alert") if a["kind"] == "visitor_left"]) == 1


async def test_a_visitor_whose_page_comes_back_gets_their_place_back(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    owner: Owner,
    live_host: str,
) -> None:
    tenant = await open_tenant()
    listener = await open_listener(tenant.slug)
    gone, gone_cid, token = await at_imminent_risk(start_visitor, tenant.slug)
    present, started = await start_visitor(tenant.slug)
    await page_gone_past_the_grace(owner, gone, gone_cid)
    await listener.next(queue_listing(gone_cid, left=True))
    await present.next(queue_frame(1))

    back = await open_visitor(live_host, token)
    try:
        assert (await back.of_type("queue"))["position"] == 1
        snapshot = await listener.next(queue_listing(gone_cid, left=False))
        assert ids(snapshot) == [(gone_cid, False), (started["conversation_id"], False)]
        await present.next(queue_frame(2))
    finally:
        await back.close()


async def test_auto_assignment_passes_over_a_page_that_has_gone_and_serves_it_when_it_returns(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    owner: Owner,
    live_host: str,
) -> None:
    tenant = await open_tenant(routing={"mode": "auto", "default_capacity": 2})
    listener: Console = await open_listener(tenant.slug)
    gone, gone_cid, token = await at_imminent_risk(start_visitor, tenant.slug)
    await page_gone_past_the_grace(owner, gone, gone_cid)
    await listener.next(queue_listing(gone_cid, left=True))
    present, started = await start_visitor(tenant.slug)
    present_cid = started["conversation_id"]

    # Available with room for both: the assignment this answers gives the present visitor,
    # and not the page nobody is reading.
    await set_presence(listener, "available")
    assert await state_of(owner, present_cid) == "active"
    assert await state_of(owner, gone_cid) == "queued"
    await present.of_type("state", state="active")

    back = await open_visitor(live_host, token)
    try:
        await listener.next(
            lambda f: f["type"] == "assigned" and f["conversation"]["conversation_id"] == gone_cid
        )
        await back.of_type("state", state="active")
    finally:
        await back.close()
