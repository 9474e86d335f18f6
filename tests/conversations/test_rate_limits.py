"""A script cannot flood a line: conversation starts are limited per client address (counted
under a daily keyed hash, never the address) and per line, messages per conversation, frames
per visitor socket; quick exit is never limited. A live Havre with low limits, behind a
proxy that names the client (X-Forwarded-For, trusted from 127.0.0.1 as uvicorn does)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import UTC, date, datetime
from typing import Any

import httpx
import msgspec
import pytest
import redis.asyncio as aioredis
from playwright.async_api import Browser, Page, expect

from server.limits import ClientKeys, FrameBudget
from server.settings import Settings
from tests.browser.conftest import browser  # noqa: F401 - fixture
from tests.conftest import MakeStaff, MakeTenant, serve_in_thread
from tests.conversations.clients import open_visitor
from tests.conversations.conftest import access_token

LIMITS = {
    "starts_per_client_burst": 3,
    "starts_per_client_hour": 100,
    "starts_per_line_minute": 5,
    "messages_burst": 4,
    "messages_per_10_minutes": 1000,
    "visitor_frames_per_10s": 12,
}


@pytest.fixture(scope="module")
def strict(settings: Settings) -> Iterator[tuple[str, Settings]]:
    chat = msgspec.structs.replace(settings.chat, **LIMITS)
    strict = msgspec.structs.replace(settings, chat=chat)
    with serve_in_thread(strict) as host:
        yield host, strict


async def start(host: str, tenant: str, client: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=f"http://{host}") as http:
        return await http.post(
            "/api/conversations",
            json={"tenant": tenant, "locale": "fr", "consent": True},
            headers={"x-forwarded-for": client, "accept-language": "fr"},
        )


async def test_a_client_starting_too_often_is_told_when_to_come_back_and_others_are_not(
    strict: tuple[str, Settings], open_tenant: MakeTenant
) -> None:
    host, _ = strict
    tenant = await open_tenant()

    answers = [await start(host, tenant.slug, "203.0.113.7") for _ in range(4)]

    assert [a.status_code for a in answers] == [201, 201, 201, 429]
    refused = answers[-1]
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["code"] == "too_many_starts"
    assert 0 < int(refused.headers["retry-after"]) <= 60
    assert refused.json()["retry_after"] == int(refused.headers["retry-after"])
    assert "3114" in refused.json()["title"]  # the refusal still names a number that answers
    # Once refused, the client is answered from the worker's memory, the same way.
    again = await start(host, tenant.slug, "203.0.113.7")
    assert again.status_code == 429
    assert {k: v for k, v in again.json().items() if k != "retry_after"} == {
        k: v for k, v in refused.json().items() if k != "retry_after"
    }
    assert 0 < again.json()["retry_after"] <= refused.json()["retry_after"]
    assert again.headers["retry-after"] == str(again.json()["retry_after"])
    other = await start(host, tenant.slug, "198.51.100.20")
    assert other.status_code == 201


async def test_a_line_flooded_from_many_addresses_is_held_to_its_limit(
    strict: tuple[str, Settings], open_tenant: MakeTenant
) -> None:
    host, _ = strict
    tenant = await open_tenant()

    answers = [await start(host, tenant.slug, f"192.0.2.{i}") for i in range(1, 8)]

    assert [a.status_code for a in answers] == [201] * 5 + [429] * 2
    assert {a.json()["code"] for a in answers[5:]} == {"too_many_starts"}
    elsewhere = await open_tenant()
    assert (await start(host, elsewhere.slug, "192.0.2.99")).status_code == 201


async def test_no_client_address_reaches_redis_only_a_daily_keyed_hash(
    strict: tuple[str, Settings], open_tenant: MakeTenant
) -> None:
    host, settings = strict
    tenant = await open_tenant()
    await start(host, tenant.slug, "203.0.113.250")

    client = aioredis.from_url(settings.redis.url)
    try:
        keys = [k.decode() async for k in client.scan_iter(f"{settings.redis.prefix}rate:*")]
    finally:
        await client.aclose()
    assert keys
    assert not any("203.0.113" in key for key in keys)
    hashed = ClientKeys(settings.auth.csrf_secret).of("203.0.113.250")
    assert any(key.endswith("client:" + hashed) for key in keys)
    tomorrow = ClientKeys(settings.auth.csrf_secret).of("203.0.113.250", date(2099, 1, 2))
    assert tomorrow != ClientKeys(settings.auth.csrf_secret).of("203.0.113.250", date(2099, 1, 1))


async def test_messages_past_the_burst_are_refused_unstored_and_quick_exit_still_works(
    strict: tuple[str, Settings], open_tenant: MakeTenant, owner: Any
) -> None:
    host, _ = strict
    tenant = await open_tenant()
    started = (await start(host, tenant.slug, "203.0.113.40")).json()
    visitor = await open_visitor(host, started["token"])
    try:
        answers = [await visitor.say(f"message {n}") for n in range(6)]

        assert [a["type"] for a in answers] == ["ack"] * 4 + ["error"] * 2
        assert {a["code"] for a in answers[4:]} == {"too_many_messages"}
        assert all(a["details"]["retry_after"] > 0 for a in answers[4:])
        stored = await owner.fetchval(
            "SELECT count(*) FROM messages WHERE conversation_id = $1",
            uuid.UUID(started["conversation_id"]),
        )
        assert stored == 4
        await visitor.send({"type": "end", "quick_exit": True})
        ended = await visitor.of_type("state")
        assert (ended["state"], ended["reason"]) == ("abandoned", "quick_exit")
    finally:
        await visitor.close()


async def test_a_resent_message_is_not_counted_twice(
    strict: tuple[str, Settings], open_tenant: MakeTenant
) -> None:
    """The widget resends what was not acknowledged after each welcome: the same client id
    again is the same message, answered as a duplicate, not a step towards the limit."""
    host, _ = strict
    tenant = await open_tenant()
    started = (await start(host, tenant.slug, "203.0.113.42")).json()
    visitor = await open_visitor(host, started["token"])
    try:
        first = str(uuid.uuid4())
        answers = [await visitor.say("un", first), await visitor.say("un", first)]
        answers += [await visitor.say(f"message {n}") for n in range(3)]

        assert [a["type"] for a in answers] == ["ack"] * 5
        assert answers[1]["duplicate"] is True
    finally:
        await visitor.close()


async def test_a_socket_flooding_frames_is_answered_too_many_frames_and_stays_open(
    strict: tuple[str, Settings], open_tenant: MakeTenant
) -> None:
    host, _ = strict
    tenant = await open_tenant()
    started = (await start(host, tenant.slug, "203.0.113.41")).json()
    visitor = await open_visitor(host, started["token"])
    try:
        for _ in range(20):
            await visitor.send({"type": "typing"})
        refused = await visitor.of_type("error", code="too_many_frames")
        assert refused["details"]["retry_after"] > 0
        await asyncio.wait_for(visitor.connection.ping(), 5)  # still open
    finally:
        await visitor.close()


async def test_a_socket_sending_twice_its_budget_is_closed_4429_garbage_included(
    strict: tuple[str, Settings], open_tenant: MakeTenant
) -> None:
    """Frames that do not even decode count: a script cannot flood with garbage."""
    host, settings = strict
    tenant = await open_tenant()
    started = (await start(host, tenant.slug, "203.0.113.43")).json()
    visitor = await open_visitor(host, started["token"])
    try:
        budget = settings.chat.visitor_frames_per_10s
        for _ in range(2 * budget + 1):
            await visitor.connection.send("not json at all")
        code, reason = await visitor.closed()
        assert (code, reason) == (4429, "too_many_frames")
    finally:
        await visitor.close()


async def test_the_quick_exit_passes_a_spent_frame_budget(
    strict: tuple[str, Settings], open_tenant: MakeTenant
) -> None:
    host, settings = strict
    tenant = await open_tenant()
    started = (await start(host, tenant.slug, "203.0.113.44")).json()
    visitor = await open_visitor(host, started["token"])
    try:
        for _ in range(settings.chat.visitor_frames_per_10s + 1):
            await visitor.send({"type": "typing"})
        await visitor.of_type("error", code="too_many_frames")
        await visitor.send({"type": "end", "quick_exit": True})
        ended = await visitor.of_type("state")
        assert (ended["state"], ended["reason"]) == ("abandoned", "quick_exit")
    finally:
        await visitor.close()


async def test_starts_the_instance_refused_show_on_the_lines_dashboard(
    strict: tuple[str, Settings], open_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    host, _ = strict
    tenant = await open_tenant()
    answers = [await start(host, tenant.slug, "203.0.113.46") for _ in range(5)]
    assert [a.status_code for a in answers] == [201] * 3 + [429] * 2

    token = await access_token(f"http://{host}", await make_staff(tenant.slug, "admin"))
    today = datetime.now(UTC).date().isoformat()
    async with httpx.AsyncClient(base_url=f"http://{host}") as http:
        figures = await http.get(
            f"/api/tenants/{tenant.slug}/dashboard",
            params={"from": today, "to": today},
            headers={"authorization": f"Bearer {token}"},
        )
    assert figures.json()["refused_starts"]["too_many_starts"] == 2


async def test_starts_on_a_line_that_does_not_exist_are_limited_too(
    strict: tuple[str, Settings],
) -> None:
    """The limit comes before any question to the database, even whether the line exists."""
    host, _ = strict
    answers = [await start(host, "no-such-line", "203.0.113.45") for _ in range(4)]
    assert [a.status_code for a in answers] == [404, 404, 404, 429]


def test_a_frame_budget_renews_after_its_window() -> None:
    budget = FrameBudget(2, seconds=10)
    assert [budget.spend(0.0), budget.spend(1.0), budget.spend(2.0)] == [None, None, 8]
    assert budget.spend(10.5) is None


@pytest.fixture
async def phone(browser: Browser) -> AsyncIterator[Callable[[str], Awaitable[Page]]]:  # noqa: F811
    """A phone whose requests come through the proxy as from `client`."""
    contexts = []

    async def open_(client: str) -> Page:
        context = await browser.new_context(
            viewport={"width": 375, "height": 667},
            locale="fr-FR",
            extra_http_headers={"x-forwarded-for": client},
        )
        contexts.append(context)
        return await context.new_page()

    yield open_
    for context in contexts:
        await context.close()


async def test_a_visitor_refused_a_start_reads_a_calm_word_and_the_emergency_numbers(
    strict: tuple[str, Settings], open_tenant: MakeTenant, phone: Any
) -> None:
    host, _ = strict
    tenant = await open_tenant()
    for _ in range(3):
        assert (await start(host, tenant.slug, "203.0.113.60")).status_code == 201
    page = await phone("203.0.113.60")
    await page.goto(f"http://{host}/c/{tenant.slug}?locale=fr")

    await page.locator("#consent").check()
    await page.locator("#start").click()

    heading = page.locator("#closed")
    await expect(heading).to_contain_text("Beaucoup de discussions ont été ouvertes")
    await expect(heading).to_be_focused()
    await expect(page.get_by_role("link", name="Appeler 3114").first).to_have_attribute(
        "href", "tel:3114"
    )


async def test_a_message_written_too_fast_goes_back_to_the_box(
    strict: tuple[str, Settings], open_tenant: MakeTenant, phone: Any
) -> None:
    host, _ = strict
    tenant = await open_tenant()
    page = await phone("203.0.113.61")
    await page.goto(f"http://{host}/c/{tenant.slug}?locale=fr")
    await page.locator("#consent").check()
    await page.locator("#start").click()
    box = page.get_by_label("Votre message")
    for n in range(4):
        await box.fill(f"message {n}")
        await box.press("Enter")
    await expect(page.locator(".msg.visitor .mark").filter(has_text="Envoyé")).to_have_count(4)

    await box.fill("encore un")
    await box.press("Enter")

    await expect(page.locator(".msg.system").last).to_contain_text("Vous écrivez très vite")
    await expect(box).to_have_value("encore un")
    await expect(page.locator(".msg.visitor")).to_have_count(4)
