"""A line's own protection (server/protection/): stricter start limits than the instance's,
fair use per device, blocked visitors, the proof-of-work challenge, and the count of refused
starts its dashboard shows. A live Havre; clients are told apart by X-Forwarded-For (trusted
from 127.0.0.1, as uvicorn does) and by the widget's anonymous device token."""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime
from typing import Any

import asyncpg
import httpx
import pytest

from server.protection.challenge import solve
from tests.conftest import MakeStaff, MakeTenant
from tests.conversations.conftest import OpenListener, StartVisitor, access_token, claimed


def device() -> str:
    return secrets.token_urlsafe(16)


def address() -> str:
    return f"198.51.100.{secrets.randbelow(250) + 1}"


async def start(
    live_url: str,
    tenant: str,
    *,
    client: str,
    device_token: str | None = None,
    challenge: dict[str, str] | None = None,
    locale: str = "en",
) -> httpx.Response:
    body: dict[str, Any] = {"tenant": tenant, "locale": locale, "consent": True}
    if device_token:
        body["device"] = device_token
    if challenge:
        body["challenge"] = challenge
    async with httpx.AsyncClient(base_url=live_url) as http:
        return await http.post(
            "/api/conversations",
            json=body,
            headers={"x-forwarded-for": client, "accept-language": locale},
        )


async def status(live_url: str, tenant: str, **client: Any) -> int:
    return (await start(live_url, tenant, **client)).status_code


async def refused_counts(
    owner: asyncpg.Connection[asyncpg.Record], live_url: str, slug: str, admin: str
) -> dict[str, int]:
    """As the dashboard reads them (which first moves what Redis still holds)."""
    token = await access_token(live_url, admin)
    today = datetime.now(UTC).date().isoformat()
    async with httpx.AsyncClient(base_url=live_url) as http:
        answer = await http.get(
            f"/api/tenants/{slug}/dashboard",
            params={"from": today, "to": today},
            headers={"authorization": f"Bearer {token}"},
        )
    assert answer.status_code == 200, answer.text
    return dict(answer.json()["refused_starts"])


async def test_a_line_can_hold_one_client_to_fewer_starts_than_the_instance(
    open_tenant: MakeTenant, live_url: str
) -> None:
    tenant = await open_tenant(protection={"starts_per_client_hour": 2})
    someone = address()

    answers = [await start(live_url, tenant.slug, client=someone) for _ in range(3)]

    assert [a.status_code for a in answers] == [201, 201, 429]
    assert answers[-1].json()["code"] == "too_many_starts"
    assert 0 < int(answers[-1].headers["retry-after"]) <= 3600
    assert await status(live_url, tenant.slug, client=address()) == 201


async def test_a_line_can_hold_a_visitor_to_fewer_messages_than_the_instance(
    open_tenant: MakeTenant, start_visitor: StartVisitor
) -> None:
    tenant = await open_tenant(protection={"messages_per_10_minutes": 10})
    visitor, _ = await start_visitor(tenant.slug)

    answers = [await visitor.say(f"message {n}") for n in range(11)]

    assert [a["type"] for a in answers] == ["ack"] * 10 + ["error"]
    assert answers[-1]["code"] == "too_many_messages"
    assert 0 < answers[-1]["details"]["retry_after"] <= 600


async def test_fair_use_caps_starts_per_device_and_points_to_other_help(
    open_tenant: MakeTenant,
    live_url: str,
    owner: asyncpg.Connection[asyncpg.Record],
    make_staff: MakeStaff,
) -> None:
    tenant = await open_tenant(protection={"fair_use": {"conversations": 2, "hours": 48}})
    mine = device()

    answers = [
        await start(live_url, tenant.slug, client=address(), device_token=mine) for _ in range(3)
    ]

    assert [a.status_code for a in answers] == [201, 201, 429]
    refused = answers[-1].json()
    assert refused["code"] == "fair_use_reached"
    assert (refused["conversations"], refused["hours"]) == (2, 48)
    # The visitor is told when they may write again: within the 48 hours, not before 47.
    assert 47 * 3600 < int(answers[-1].headers["retry-after"]) <= 48 * 3600
    assert any(r["emergency"] for r in refused["referrals"])
    # Another device is not concerned, nor a start without a device token.
    assert (
        await start(live_url, tenant.slug, client=address(), device_token=device())
    ).status_code == 201
    assert await status(live_url, tenant.slug, client=address()) == 201
    admin = await make_staff(tenant.slug, "admin")
    counts = await refused_counts(owner, live_url, tenant.slug, admin)
    assert counts["fair_use"] == 1


async def test_a_blocked_visitor_is_refused_kindly_until_a_supervisor_lifts_it(
    open_tenant: MakeTenant,
    live_url: str,
    open_listener: OpenListener,
    start_visitor: StartVisitor,
    make_staff: MakeStaff,
    owner: asyncpg.Connection[asyncpg.Record],
) -> None:
    tenant = await open_tenant()
    listener = await open_listener(tenant.slug)
    troll_device, troll_address = device(), address()
    answer = await start(live_url, tenant.slug, client=troll_address, device_token=troll_device)
    assert answer.status_code == 201
    cid = answer.json()["conversation_id"]
    await listener.send({"type": "claim", "conversation_id": cid})
    await listener.next(lambda f: f["type"] == "assigned")
    listener_token = await access_token(live_url, listener.email)  # type: ignore[attr-defined]

    async with httpx.AsyncClient(base_url=live_url) as http:
        blocked = await http.post(
            f"/api/tenants/{tenant.slug}/conversations/{cid}/block",
            json={"reason": "abuse", "hours": 24},
            headers={"authorization": f"Bearer {listener_token}"},
        )
    assert blocked.status_code == 200, blocked.text

    # The conversation ended, and the block is in the audit log, without any text.
    ended = await owner.fetchrow(
        "SELECT state, end_reason FROM conversations WHERE id = $1", uuid.UUID(cid)
    )
    assert (ended["state"], ended["end_reason"]) == ("ended", "blocked")
    entry = await owner.fetchrow(
        "SELECT action, details FROM audit_log WHERE target = $1",
        blocked.json()["block_id"],
    )
    assert entry["action"] == "visitor.blocked"
    assert entry["details"]["reason"] == "abuse"
    assert entry["details"]["duration_hours"] == 24
    # The same device is refused from anywhere, with the line's referrals; the same network
    # too (for a day at most); someone else is not.
    again = await start(live_url, tenant.slug, client=address(), device_token=troll_device)
    assert again.status_code == 403
    assert again.json()["code"] == "visitor_blocked"
    assert any(r["emergency"] for r in again.json()["referrals"])
    same_network = await start(live_url, tenant.slug, client=troll_address, device_token=device())
    assert same_network.json()["code"] == "visitor_blocked"
    assert (
        await start(live_url, tenant.slug, client=address(), device_token=device())
    ).status_code == 201
    stored = await owner.fetchrow(
        "SELECT until - created_at AS length, address_until - created_at AS network "
        "FROM visitor_blocks WHERE id = $1",
        uuid.UUID(blocked.json()["block_id"]),
    )
    assert stored["length"].total_seconds() == 24 * 3600
    assert stored["network"].total_seconds() == 24 * 3600

    # A listener cannot list or lift blocks; a supervisor can.
    async with httpx.AsyncClient(base_url=live_url) as http:
        listed = await http.get(
            f"/api/tenants/{tenant.slug}/blocks",
            headers={"authorization": f"Bearer {listener_token}"},
        )
        assert listed.status_code == 403
        supervisor = await access_token(live_url, await make_staff(tenant.slug, "supervisor"))
        auth = {"authorization": f"Bearer {supervisor}"}
        listed = await http.get(f"/api/tenants/{tenant.slug}/blocks", headers=auth)
        assert listed.status_code == 200
        [shown] = listed.json()
        assert shown["active"]
        assert shown["reason"] == "abuse"
        assert shown["by_address"]
        assert shown["blocked_by"]
        lifted = await http.post(
            f"/api/tenants/{tenant.slug}/blocks/{shown['id']}/lift", headers=auth
        )
        assert lifted.status_code == 200
        assert lifted.json()[0]["active"] is False
        assert lifted.json()[0]["lifted_by"]
        twice = await http.post(
            f"/api/tenants/{tenant.slug}/blocks/{shown['id']}/lift", headers=auth
        )
        assert twice.status_code == 404
        assert twice.json()["code"] == "block_not_found"

    # Lifted: the device may start again, and the block no longer holds who it was.
    assert (
        await start(live_url, tenant.slug, client=troll_address, device_token=troll_device)
    ).status_code == 201
    kept = await owner.fetchrow(
        "SELECT device_hash, address_hash FROM visitor_blocks WHERE id = $1",
        uuid.UUID(shown["id"]),
    )
    assert (kept["device_hash"], kept["address_hash"]) == (None, None)
    assert (
        await owner.fetchval(
            "SELECT count(*) FROM audit_log WHERE action = 'visitor.unblocked' AND target = $1",
            shown["id"],
        )
        == 1
    )


async def test_a_listener_blocks_only_in_a_conversation_they_hold(
    open_tenant: MakeTenant,
    live_url: str,
    open_listener: OpenListener,
    start_visitor: StartVisitor,
) -> None:
    tenant = await open_tenant()
    holder = await open_listener(tenant.slug)
    other = await open_listener(tenant.slug)
    _, cid = await claimed(holder, start_visitor, tenant.slug)
    token = await access_token(live_url, other.email)  # type: ignore[attr-defined]

    async with httpx.AsyncClient(base_url=live_url) as http:
        answer = await http.post(
            f"/api/tenants/{tenant.slug}/conversations/{cid}/block",
            json={"reason": "spam", "hours": 1},
            headers={"authorization": f"Bearer {token}"},
        )
        bad = await http.post(
            f"/api/tenants/{tenant.slug}/conversations/{cid}/block",
            json={"reason": "bored", "hours": 100000},
            headers={"authorization": f"Bearer {token}"},
        )

    assert answer.status_code == 409
    assert answer.json()["code"] == "not_your_conversation"
    assert bad.status_code == 400


async def test_a_line_under_attack_asks_every_start_for_a_solved_puzzle(
    open_tenant: MakeTenant,
    live_url: str,
    owner: asyncpg.Connection[asyncpg.Record],
    make_staff: MakeStaff,
) -> None:
    tenant = await open_tenant(protection={"challenge": True})

    unsolved = await start(live_url, tenant.slug, client=address())
    assert unsolved.status_code == 403
    assert unsolved.json()["code"] == "challenge_required"
    puzzle = unsolved.json()["challenge"]
    assert puzzle["bits"] >= 4
    assert puzzle["expires_in"] == 300

    wrong = {"token": puzzle["token"], "nonce": "0"}
    if solve(puzzle["token"], puzzle["bits"]) != "0":
        assert (
            await start(live_url, tenant.slug, client=address(), challenge=wrong)
        ).status_code == 403
    solved = {"token": puzzle["token"], "nonce": solve(puzzle["token"], puzzle["bits"])}
    assert (
        await start(live_url, tenant.slug, client=address(), challenge=solved)
    ).status_code == 201
    # Once only.
    assert (
        await start(live_url, tenant.slug, client=address(), challenge=solved)
    ).status_code == 403

    # A fresh puzzle from the widget's route works too; one of another line does not.
    async with httpx.AsyncClient(base_url=live_url) as http:
        fresh = (await http.post(f"/api/widget/{tenant.slug}/challenge")).json()
        other = await open_tenant()
        foreign = (await http.post(f"/api/widget/{other.slug}/challenge")).json()
        unknown = await http.post("/api/widget/no-such-line/challenge")
    assert unknown.status_code == 404
    good = {"token": fresh["token"], "nonce": solve(fresh["token"], fresh["bits"])}
    stolen = {"token": foreign["token"], "nonce": solve(foreign["token"], foreign["bits"])}
    assert (
        await start(live_url, tenant.slug, client=address(), challenge=stolen)
    ).status_code == 403
    assert await status(live_url, tenant.slug, client=address(), challenge=good) == 201

    admin = await make_staff(tenant.slug, "admin")
    counts = await refused_counts(owner, live_url, tenant.slug, admin)
    assert counts["challenge"] >= 3
    assert counts["blocked"] == 0


@pytest.mark.parametrize(
    "protection",
    [
        {"starts_per_client_hour": 0},
        {"fair_use": {"conversations": 0, "hours": 48}},
        {"fair_use": {"conversations": 5, "hours": 10000}},
        {"challenge": "yes"},
        {"captcha": True},
    ],
)
async def test_protection_out_of_bounds_is_refused_by_the_admin_api(
    open_tenant: MakeTenant, live_url: str, make_staff: MakeStaff, protection: dict[str, Any]
) -> None:
    tenant = await open_tenant()
    token = await access_token(live_url, await make_staff(tenant.slug, "admin"))
    async with httpx.AsyncClient(base_url=live_url) as http:
        answer = await http.put(
            f"/api/admin/{tenant.slug}/protection",
            json=protection,
            headers={"authorization": f"Bearer {token}"},
        )
        kept = await http.get(
            f"/api/admin/{tenant.slug}/protection", headers={"authorization": f"Bearer {token}"}
        )
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert kept.json()["line"] == {}
