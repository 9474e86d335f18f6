"""Failed sign-ins slow the guesser down without locking the account's owner out.

Each test runs an app of its own (a fresh Redis prefix, so every count starts at zero) and
talks to it from several client addresses, as a stranger, a sprayer and the owner would.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from typing import Any

import httpx
import pytest
import redis.asyncio as aioredis
from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.settings import AuthSettings
from tests.conftest import PASSWORD, MakeStaff, MakeTenant, Servers
from tests.staff.accounts import own_app, sibling, smtp_sink

SIGN_IN = "/api/auth/sign-in"
HTTP = "http://testserver.local"
OWNER_DEVICE = "192.0.2.10"


def at(client: AsyncTestClient[Litestar], address: str) -> AsyncTestClient[Litestar]:
    """The same app, reached from `address`."""
    return sibling(client, base_url=HTTP, address=address)


def limits(client: AsyncTestClient[Litestar]) -> AuthSettings:
    auth: AuthSettings = client.app.state.settings.auth
    return auth


async def attempt(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    return await client.post(SIGN_IN, json={"email": email, "password": password})


def assert_refused(response: httpx.Response, code: str) -> int:
    """A 429 problem with the given code; returns its Retry-After, in seconds."""
    assert response.status_code == 429, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == code
    assert "set-cookie" not in response.headers
    retry_after = int(response.headers["retry-after"])
    assert response.json()["retry_after"] == retry_after
    assert retry_after > 0
    return retry_after


# A stranger cannot lock the owner out --------------------------------------------------------


@pytest.mark.parametrize("guesses", [5, 50])
async def test_a_strangers_wrong_guesses_do_not_stop_the_owner_signing_in(
    guesses: int, servers: Servers, make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    email = await make_staff((await make_tenant()).slug)
    async with own_app(servers) as client:
        owner_device = at(client, OWNER_DEVICE)
        assert (await attempt(owner_device, email, PASSWORD)).status_code == 200
        wrong = [
            await attempt(at(client, f"198.51.100.{i % 200 + 1}"), email, f"guess {i}")
            for i in range(guesses)
        ]
        from_known_device = await attempt(owner_device, email, PASSWORD)
        from_new_device = await attempt(at(client, "192.0.2.77"), email, PASSWORD)

    assert {r.status_code for r in wrong} == {401}
    assert from_known_device.status_code == 200, from_known_device.text
    # Far below the account's ceiling, nothing is refused, even to a device never seen.
    assert from_new_device.status_code == 200, from_new_device.text


# Growing waits for one client on one account ---------------------------------------------------


async def test_a_client_guessing_one_account_waits_longer_after_each_failure(
    servers: Servers, make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    email = await make_staff((await make_tenant()).slug)
    async with own_app(servers) as client:
        free = limits(client).signin_free_failures_per_pair
        guesser, owner_device = at(client, "203.0.113.7"), at(client, OWNER_DEVICE)
        first = [await attempt(guesser, email, "nope") for _ in range(free)]
        waits, between = [], []
        for _ in range(2):
            # Even the right password waits: the answer says nothing about it.
            waits.append(assert_refused(await attempt(guesser, email, PASSWORD), "sign_in_delayed"))
            await asyncio.sleep(waits[-1])
            between.append(await attempt(guesser, email, "nope"))
        waits.append(assert_refused(await attempt(guesser, email, PASSWORD), "sign_in_delayed"))
        meanwhile = await attempt(owner_device, email, PASSWORD)

    assert [r.status_code for r in first + between] == [401] * (free + 2)
    assert waits == [1, 2, 4]
    # Only that client waits for that account.
    assert meanwhile.status_code == 200, meanwhile.text


async def test_the_wait_is_capped_and_a_success_starts_the_count_afresh(
    servers: Servers, make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    email = await make_staff((await make_tenant()).slug)
    async with own_app(servers, signin_free_failures_per_pair=2, signin_max_delay_seconds=1) as c:
        device = at(c, OWNER_DEVICE)
        answers = [await attempt(device, email, "typo") for _ in range(2)]
        capped = []
        for _ in range(2):
            capped.append(assert_refused(await attempt(device, email, "typo"), "sign_in_delayed"))
            await asyncio.sleep(capped[-1])
            answers.append(await attempt(device, email, PASSWORD if capped[1:] else "typo"))
        afresh = [await attempt(device, email, "typo") for _ in range(2)]
        waits_again = await attempt(device, email, PASSWORD)

    assert [r.status_code for r in answers] == [401, 401, 401, 200]
    assert capped == [1, 1]  # 1 s, then 2 s capped to 1 s
    assert [r.status_code for r in afresh] == [401, 401]
    assert_refused(waits_again, "sign_in_delayed")


async def test_concurrent_guesses_cannot_slip_past_the_wait(
    servers: Servers, make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    email = await make_staff((await make_tenant()).slug)
    async with own_app(servers) as client:
        free = limits(client).signin_free_failures_per_pair
        guesser = at(client, "203.0.113.8")
        answers = await asyncio.gather(*(attempt(guesser, email, f"guess {i}") for i in range(12)))

    statuses = sorted(r.status_code for r in answers)
    assert statuses.count(401) <= free, statuses
    assert set(statuses) <= {401, 429}
    for refused in (r for r in answers if r.status_code == 429):
        assert_refused(refused, "sign_in_delayed")


# One client trying many accounts -----------------------------------------------------------------


async def test_a_client_failing_on_many_accounts_is_refused_for_a_while(
    servers: Servers, make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    tenant = await make_tenant()
    victim, colleague = await make_staff(tenant.slug), await make_staff(tenant.slug)
    async with own_app(servers) as client:
        ceiling = limits(client).signin_max_failures_per_client
        window = limits(client).signin_client_window_seconds
        sprayer = at(client, "203.0.113.9")
        # Someone signed in from that address before (an office behind one address).
        assert (await attempt(sprayer, colleague, PASSWORD)).status_code == 200
        sprayed = [
            await attempt(sprayer, f"guess-{i}-{secrets.token_hex(3)}@x.example", "123456")
            for i in range(ceiling)
        ]
        refused = await attempt(sprayer, victim, PASSWORD)
        elsewhere = await attempt(at(client, "198.51.100.20"), victim, PASSWORD)
        known_here = await attempt(sprayer, colleague, PASSWORD)

    assert {r.status_code for r in sprayed} == {401}
    assert 0 < assert_refused(refused, "sign_in_refused") <= window
    assert elsewhere.status_code == 200, elsewhere.text
    # The account that signed in from there before is not refused with the sprayer.
    assert known_here.status_code == 200, known_here.text


# Many clients against one account ------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "subject"),
    [
        ("fr", "Havre : des connexions à votre compte ont été bloquées"),
        ("en", "Havre: sign-ins to your account were blocked"),
    ],
)
async def test_the_account_ceiling_refuses_unknown_clients_and_tells_the_owner(
    locale: str,
    subject: str,
    servers: Servers,
    owner: Any,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
) -> None:
    tenant = await make_tenant()
    email = await make_staff(tenant.slug)
    await owner.execute("UPDATE staff_users SET locale = $2 WHERE email = $1", email, locale)
    strangers = [f"198.51.100.{i + 1}" for i in range(10)]
    with smtp_sink() as sink:
        smtp = f"smtp://{sink.host}:{sink.port}?from=havre@example.org"
        # A low ceiling keeps the test quick; the rule is the same at the default.
        async with own_app(
            servers, env={"HAVRE_SMTP_URL": smtp}, signin_max_failures_per_account=10
        ) as client:
            window = limits(client).signin_account_window_seconds
            home = at(client, OWNER_DEVICE)
            assert (await attempt(home, email, PASSWORD)).status_code == 200
            wrong = [await attempt(at(client, a), email, "guess") for a in strangers]
            assert sink.arrived.wait(timeout=10)
            new_device = await attempt(at(client, "192.0.2.99"), email, PASSWORD)
            home_wrong = await attempt(home, email, "still a guess")
            home_right = await attempt(home, email, PASSWORD)
            mails = list(sink.messages)
    audited = await owner.fetch(
        "SELECT a.action, a.actor_id, a.details FROM audit_log a "
        "JOIN organisations o ON o.id = a.organisation_id "
        "WHERE o.slug = $1 AND a.target = $2 AND a.action = 'staff.sign_in_locked'",
        tenant.slug,
        email,
    )

    assert {r.status_code for r in wrong} == {401}
    assert 0 < assert_refused(new_device, "account_protected") <= window
    # A known client still needs the right password, and gets in with it.
    assert home_wrong.status_code == 401
    assert home_right.status_code == 200, home_right.text
    # Told once (the known client's failure past the ceiling sent nothing more).
    assert len(mails) == 1
    mail = mails[0]
    assert mail.recipients == [email]
    assert mail.message["Subject"] == subject
    body = mail.message.get_content()
    assert email in body
    assert not any(address in body for address in [*strangers, OWNER_DEVICE])
    assert [(row["action"], row["actor_id"]) for row in audited] == [("staff.sign_in_locked", None)]
    assert 0 < audited[0]["details"]["minutes"] <= window // 60


async def test_an_unknown_address_at_the_ceiling_is_answered_like_a_real_account(
    servers: Servers, make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    real = await make_staff((await make_tenant()).slug)
    made_up = f"nobody-{secrets.token_hex(4)}@x.example"
    async with own_app(servers, signin_max_failures_per_account=3) as client:
        answers = {}
        for email in (real, made_up):
            for i in range(3):
                assert (
                    await attempt(at(client, f"198.51.100.{i + 1}"), email, "x")
                ).status_code == 401
            answers[email] = await attempt(at(client, "198.51.100.99"), email, PASSWORD)

    for response in answers.values():
        assert_refused(response, "account_protected")
    titles = {r.json()["title"] for r in answers.values()}
    assert len(titles) == 1


# What Redis holds ----------------------------------------------------------------------------


def unkeyed_digests(value: str) -> set[str]:
    """What an unkeyed SHA-256 (once or twice, whole or cut) makes of a value: a dictionary of
    every IPv4 address reverses any of them in minutes."""
    once = hashlib.sha256(value.encode()).hexdigest()
    twice = hashlib.sha256(once[:32].encode()).hexdigest()
    return {once, once[:32], twice, twice[:32]}


async def test_redis_holds_no_client_address_nor_e_mail_only_keyed_hashes_that_expire(
    servers: Servers, make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    email = await make_staff((await make_tenant()).slug)
    guesser, home = "203.0.113.77", "192.0.2.55"
    redis = aioredis.from_url(servers.redis_url)
    try:
        async with own_app(servers) as client:
            prefix = client.app.state.settings.redis.prefix
            auth = limits(client)
            for _ in range(auth.signin_free_failures_per_pair):
                await attempt(at(client, guesser), email, "nope")
            assert (await attempt(at(client, home), email, PASSWORD)).status_code == 200
            keys = [key.decode() async for key in redis.scan_iter(match=f"{prefix}*")]
            values = {key: await redis.dump(key) or b"" for key in keys}
            ttls = {key: await redis.ttl(key) for key in keys if ":signin:" in key}
    finally:
        await redis.aclose()

    local_part, _, domain = email.partition("@")
    clear = [guesser, home, email, local_part, domain]
    hashed = set().union(*(unkeyed_digests(v) for v in (guesser, home, email)))
    for key, value in values.items():
        for text in clear:
            assert text not in key
            assert text.encode() not in value
        for digest in hashed:
            assert digest not in key
    # A count for the pair, the client and the account, a wait, and the known-client marker.
    kinds = {key.removeprefix(prefix).split(":")[1] for key in ttls}
    assert kinds == {"pair", "client", "account", "known"}
    # Every one expires (-1 would be a key kept for ever; 0, a short wait ending within the
    # second, as a loaded machine may read it; -2, one already over).
    assert all(ttl != -1 for ttl in ttls.values()), ttls
    known = [ttl for key, ttl in ttls.items() if ":known:" in key]
    days = auth.signin_known_client_days * 86400
    assert len(known) == 1
    assert days - 60 < known[0] <= days
