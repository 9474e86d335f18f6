"""Two-step sign-in with TOTP: enrolment, the second step, replay, recovery codes, the failure
counter, disabling, and that secrets and codes stay private to their owner."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import pyotp
import pytest
from asyncpg.exceptions import InsufficientPrivilegeError
from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.db import Database
from tests.conftest import MakeStaff, MakeTenant, Servers
from tests.staff.accounts import (
    bearer,
    bearer_for,
    code_at,
    enrol,
    organisation_id_of,
    own_app,
    password_step,
    staff_id_of,
)

SETUP = "/api/account/totp/setup"
ENABLE = "/api/account/totp/enable"
DISABLE = "/api/account/totp/disable"
RENEW = "/api/account/totp/recovery-codes"
SECOND_STEP = "/api/auth/sign-in/second-step"


async def second_step(client: AsyncTestClient[Litestar], token: str, code: str) -> Any:
    return await client.post(SECOND_STEP, json={"second_step_token": token, "code": code})


@pytest.fixture
async def listener(make_tenant: MakeTenant, make_staff: MakeStaff) -> str:
    tenant = await make_tenant()
    return await make_staff(tenant.slug, "listener")


# Enrolment --------------------------------------------------------------------------------


async def test_setup_shows_a_qr_code_and_the_secret_and_stores_the_secret_encrypted(
    client: AsyncTestClient[Litestar], owner: Any, listener: str
) -> None:
    headers = await bearer_for(client, listener)

    response = await client.post(SETUP, headers=headers)

    assert response.status_code == 200, response.text
    body = response.json()
    secret = body["secret"]
    assert len(base64.b32decode(secret)) >= 20  # at least 160 bits
    assert body["otpauth_uri"] == pyotp.TOTP(secret).provisioning_uri(
        name=listener, issuer_name="Havre"
    )
    assert body["qr_svg"].startswith("data:image/svg+xml")
    row = await owner.fetchrow(
        "SELECT totp_secret, totp_key_id, totp_enabled_at FROM staff_users WHERE email = $1",
        listener,
    )
    assert row["totp_enabled_at"] is None  # pending until a code confirms it
    assert row["totp_key_id"] == "m1"
    assert secret.encode() not in row["totp_secret"]
    assert base64.b32decode(secret) not in row["totp_secret"]
    # A pending enrolment does not change sign-in.
    assert "access_token" in (await password_step(client, listener)).json()


async def test_a_wrong_code_keeps_totp_off_and_the_right_one_turns_it_on_with_recovery_codes(
    client: AsyncTestClient[Litestar], owner: Any, listener: str
) -> None:
    headers = await bearer_for(client, listener)
    secret = (await client.post(SETUP, headers=headers)).json()["secret"]
    wrong = code_at(secret, -3)

    refused = await client.post(ENABLE, json={"code": wrong}, headers=headers)
    still_off = await client.get("/api/account/", headers=headers)
    accepted = await client.post(ENABLE, json={"code": code_at(secret)}, headers=headers)
    now_on = await client.get("/api/account/", headers=headers)

    assert refused.status_code == 400
    assert refused.json()["code"] == "invalid_code"
    assert still_off.json()["totp"] == {"enabled": False, "pending": True, "recovery_codes_left": 0}
    assert accepted.status_code == 200, accepted.text
    codes = accepted.json()["recovery_codes"]
    assert len(codes) == len(set(codes)) == 10
    assert now_on.json()["totp"] == {"enabled": True, "pending": False, "recovery_codes_left": 10}
    stored = await owner.fetch(
        "SELECT code_hash FROM staff_recovery_codes r JOIN staff_users s ON s.id = r.staff_id "
        "WHERE s.email = $1",
        listener,
    )
    hashes = {r["code_hash"] for r in stored}
    expected = {hashlib.sha256(c.replace("-", "").encode()).hexdigest() for c in codes}
    assert hashes == expected
    assert not any(c.replace("-", "") in h for c in codes for h in hashes)
    actions = await owner.fetch(
        "SELECT a.action FROM audit_log a JOIN staff_users s ON s.id = a.actor_id "
        "WHERE s.email = $1",
        listener,
    )
    assert "staff.totp_enabled" in {a["action"] for a in actions}


async def test_setup_is_refused_once_totp_is_on(
    client: AsyncTestClient[Litestar], listener: str
) -> None:
    headers = await bearer_for(client, listener)
    await enrol(client, headers)

    response = await client.post(SETUP, headers=headers)

    assert response.status_code == 409
    assert response.json()["code"] == "totp_already_enabled"


@pytest.mark.parametrize("path", ["/api/account/", SETUP, ENABLE, DISABLE, RENEW])
async def test_account_endpoints_need_a_signed_in_staff_member(
    path: str, client: AsyncTestClient[Litestar]
) -> None:
    method = client.get if path == "/api/account/" else client.post
    kwargs: dict[str, Any] = {} if path in ("/api/account/", SETUP) else {"json": {"code": "1"}}

    response = await method(path, **kwargs)

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


# The second step ----------------------------------------------------------------------------


async def test_password_alone_gives_no_session_when_totp_is_on_and_the_code_then_does(
    client: AsyncTestClient[Litestar], owner: Any, listener: str
) -> None:
    secret, _ = await enrol(client, await bearer_for(client, listener))

    first = await password_step(client, listener)

    assert first.status_code == 200
    body = first.json()
    assert set(body) == {"second_step_token", "expires_in", "methods"}
    assert 0 < body["expires_in"] <= 300
    assert "set-cookie" not in first.headers
    second = await second_step(client, body["second_step_token"], code_at(secret, 1))
    assert second.status_code == 200, second.text
    tokens = second.json()
    assert {"havre_access", "havre_refresh"} <= {
        h.split("=")[0] for h in second.headers.get_list("set-cookie")
    }
    me = await client.get("/api/me", headers=bearer(tokens["access_token"]))
    assert me.json()["email"] == listener
    details = await owner.fetchval(
        "SELECT a.details FROM audit_log a JOIN staff_users s ON s.id = a.actor_id "
        "WHERE s.email = $1 AND a.action = 'staff.sign_in' ORDER BY a.id DESC LIMIT 1",
        listener,
    )
    assert details == {"second_factor": "totp"}


async def test_a_totp_code_is_not_accepted_twice(
    client: AsyncTestClient[Litestar], listener: str
) -> None:
    secret, _ = await enrol(client, await bearer_for(client, listener))
    code = code_at(secret, 1)
    first_token = (await password_step(client, listener)).json()["second_step_token"]
    second_token = (await password_step(client, listener)).json()["second_step_token"]

    used = await second_step(client, first_token, code)
    replayed = await second_step(client, second_token, code)

    assert used.status_code == 200
    assert replayed.status_code == 401
    assert replayed.json()["code"] == "invalid_code"


async def test_codes_outside_the_window_and_the_enrolment_code_are_refused(
    client: AsyncTestClient[Litestar], listener: str
) -> None:
    secret, _ = await enrol(client, await bearer_for(client, listener))
    token = (await password_step(client, listener)).json()["second_step_token"]

    too_old = await second_step(client, token, code_at(secret, -3))
    too_new = await second_step(client, token, code_at(secret, 3))
    # A step not after the last accepted one (the enrolment's) is spent.
    enrolment_step = await second_step(client, token, code_at(secret, -1))

    assert [too_old.status_code, too_new.status_code] == [401, 401]
    assert enrolment_step.status_code == 401


async def test_a_recovery_code_signs_in_once_in_any_spelling(
    client: AsyncTestClient[Litestar], owner: Any, listener: str
) -> None:
    _, codes = await enrol(client, await bearer_for(client, listener))
    spelled = f"  {codes[3].upper().replace('-', ' ')} "

    token = (await password_step(client, listener)).json()["second_step_token"]
    used = await second_step(client, token, spelled)
    token = (await password_step(client, listener)).json()["second_step_token"]
    again = await second_step(client, token, codes[3])
    other = await second_step(client, token, codes[4])

    assert used.status_code == 200, used.text
    assert again.status_code == 401
    assert again.json()["code"] == "invalid_code"
    assert other.status_code == 200
    left = await client.get("/api/account/", headers=bearer(other.json()["access_token"]))
    assert left.json()["totp"]["recovery_codes_left"] == 8


async def test_the_second_step_token_works_once_and_unknown_tokens_are_refused(
    client: AsyncTestClient[Litestar], listener: str
) -> None:
    secret, _ = await enrol(client, await bearer_for(client, listener))
    token = (await password_step(client, listener)).json()["second_step_token"]

    done = await second_step(client, token, code_at(secret, 1))
    reused = await second_step(client, token, code_at(secret, 1))
    unknown = await second_step(client, "not-a-token", code_at(secret, 1))

    assert done.status_code == 200
    assert reused.status_code == 401
    assert reused.json()["code"] == "second_step_expired"
    assert unknown.status_code == 401
    assert unknown.json()["code"] == "second_step_expired"


async def test_wrong_codes_count_with_failed_sign_ins_and_make_the_client_wait(
    servers: Servers, make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    tenant = await make_tenant()
    email = await make_staff(tenant.slug)
    async with own_app(servers) as client:
        free = client.app.state.settings.auth.signin_free_failures_per_pair
        secret, _ = await enrol(client, await bearer_for(client, email))
        token = (await password_step(client, email)).json()["second_step_token"]
        wrong = [await second_step(client, token, "000000") for _ in range(free)]
        # Right code, but this client must now wait: the step ends.
        delayed = await second_step(client, token, code_at(secret, 1))
        password_again = await password_step(client, email)

    assert [r.status_code for r in wrong] == [401] * free
    assert delayed.status_code == 429
    assert delayed.json()["code"] == "sign_in_delayed"
    assert delayed.headers["retry-after"] == "1"
    assert password_again.status_code == 429
    assert password_again.json()["code"] == "sign_in_delayed"


async def test_a_right_password_does_not_reset_the_count_of_wrong_codes(
    servers: Servers, make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    tenant = await make_tenant()
    email = await make_staff(tenant.slug)
    async with own_app(servers, signin_free_failures_per_pair=4) as client:
        await enrol(client, await bearer_for(client, email))
        outcomes = []
        for _ in range(2):
            token = (await password_step(client, email)).json()["second_step_token"]
            outcomes += [(await second_step(client, token, "000000")).status_code for _ in range(2)]
        refused = await password_step(client, email)

    assert outcomes == [401, 401, 401, 401]
    assert refused.status_code == 429
    assert refused.json()["code"] == "sign_in_delayed"


# Disabling and renewing ------------------------------------------------------------------


async def test_disabling_needs_a_current_code_and_then_the_password_is_enough(
    client: AsyncTestClient[Litestar], owner: Any, listener: str
) -> None:
    headers = await bearer_for(client, listener)
    secret, _ = await enrol(client, headers)

    wrong = await client.post(DISABLE, json={"code": "123456"}, headers=headers)
    right = await client.post(DISABLE, json={"code": code_at(secret, 1)}, headers=headers)
    again = await client.post(DISABLE, json={"code": code_at(secret, 1)}, headers=headers)

    assert wrong.status_code == 400
    assert wrong.json()["code"] == "invalid_code"
    assert right.status_code == 204
    assert again.status_code == 409
    assert again.json()["code"] == "totp_not_enabled"
    assert "access_token" in (await password_step(client, listener)).json()
    row = await owner.fetchrow(
        "SELECT totp_secret, totp_enabled_at, "
        "(SELECT count(*) FROM staff_recovery_codes r WHERE r.staff_id = s.id) AS codes "
        "FROM staff_users s WHERE email = $1",
        listener,
    )
    assert (row["totp_secret"], row["totp_enabled_at"], row["codes"]) == (None, None, 0)


async def test_renewing_recovery_codes_replaces_the_old_ones(
    client: AsyncTestClient[Litestar], listener: str
) -> None:
    headers = await bearer_for(client, listener)
    secret, old = await enrol(client, headers)

    renewed = await client.post(RENEW, json={"code": code_at(secret, 1)}, headers=headers)
    token = (await password_step(client, listener)).json()["second_step_token"]
    with_old = await second_step(client, token, old[0])
    with_new = await second_step(client, token, renewed.json()["recovery_codes"][0])

    assert renewed.status_code == 200
    assert set(renewed.json()["recovery_codes"]).isdisjoint(old)
    assert with_old.status_code == 401
    assert with_new.status_code == 200


# Privacy of secrets and codes ------------------------------------------------------------


async def test_recovery_codes_are_readable_and_writable_by_their_owner_only(
    client: AsyncTestClient[Litestar],
    db: Database,
    owner: Any,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
) -> None:
    tenant = await make_tenant()
    alice = await make_staff(tenant.slug, "listener")
    admin = await make_staff(tenant.slug, "admin")
    await enrol(client, await bearer_for(client, alice))
    alice_id, admin_id = await staff_id_of(owner, alice), await staff_id_of(owner, admin)
    org = await organisation_id_of(owner, tenant.slug)

    async with db.transaction(staff_id=alice_id) as conn:
        own = await conn.fetchval("SELECT count(*) FROM staff_recovery_codes")
    async with db.transaction(tenant_id=org, staff_id=admin_id) as conn:
        seen_by_admin = await conn.fetchval("SELECT count(*) FROM staff_recovery_codes")
        cleared = await conn.execute(
            "DELETE FROM staff_recovery_codes WHERE staff_id = $1", alice_id
        )
        rewritten = await conn.execute(
            "UPDATE staff_users SET totp_secret = NULL WHERE id = $1", alice_id
        )
    with pytest.raises(InsufficientPrivilegeError):
        async with db.transaction(tenant_id=org, staff_id=admin_id) as conn:
            await conn.execute(
                "INSERT INTO staff_recovery_codes (staff_id, code_hash) VALUES ($1, 'known')",
                alice_id,
            )

    assert own == 10
    assert seen_by_admin == 0
    assert cleared == "DELETE 0"
    assert rewritten == "UPDATE 0"
    assert (
        await owner.fetchval(
            "SELECT count(*) FROM staff_recovery_codes WHERE staff_id = $1", alice_id
        )
        == 10
    )


async def test_a_secret_moved_to_another_account_does_not_decrypt(
    client: AsyncTestClient[Litestar], owner: Any, make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    tenant = await make_tenant()
    victim, thief = await make_staff(tenant.slug), await make_staff(tenant.slug)
    secret, _ = await enrol(client, await bearer_for(client, victim))
    await owner.execute(
        """UPDATE staff_users t SET totp_secret = v.totp_secret, totp_key_id = v.totp_key_id,
                  totp_enabled_at = now()
             FROM staff_users v WHERE v.email = $1 AND t.email = $2""",
        victim,
        thief,
    )

    token = (await password_step(client, thief)).json()["second_step_token"]
    response = await second_step(client, token, code_at(secret, 1))

    assert response.status_code == 401
    assert response.json()["code"] == "invalid_code"
