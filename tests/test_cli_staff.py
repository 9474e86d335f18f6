"""`havre staff create`, `set-password` and `reset-two-step`, as an operator runs them."""

from __future__ import annotations

import os
import subprocess
import sys

import asyncpg
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.conftest import PASSWORD, REPO, MakeStaff, MakeTenant, Servers


def run_havre(servers: Servers, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": servers.database_url, "REDIS_URL": servers.redis_url}
    return subprocess.run(
        [sys.executable, "-m", "server.cli", *args],
        cwd=REPO, env=env, input=stdin, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


async def test_staff_create_makes_an_account_that_can_sign_in(
    servers: Servers, make_tenant: MakeTenant, client: AsyncTestClient[Litestar]
) -> None:
    tenant = await make_tenant()
    email = f"New.Listener@{tenant.slug}.example"
    result = run_havre(
        servers, "staff", "create", "--email", email, "--organisation", tenant.slug,
        "--role", "listener", "--password-stdin", stdin="a long enough password\n",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    response = await client.post(
        "/api/auth/sign-in",
        json={"email": email.lower(), "password": "a long enough password"},
    )
    assert response.status_code == 200
    me = await client.get(
        "/api/me", headers={"authorization": f"Bearer {response.json()['access_token']}"}
    )
    assert [(t["slug"], t["role"]) for t in me.json()["tenants"]] == [(tenant.slug, "listener")]


async def test_set_password_replaces_the_old_one(
    servers: Servers,
    make_tenant: MakeTenant,
    client: AsyncTestClient[Litestar],
    owner: asyncpg.Connection[asyncpg.Record],
) -> None:
    tenant = await make_tenant()
    # The tenant file's first admin exists without a password until one is set.
    assert (
        await owner.fetchval(
            "SELECT password_hash FROM staff_users WHERE email = $1", tenant.admin_email
        )
        is None
    )
    result = run_havre(
        servers, "staff", "set-password", tenant.admin_email, "--password-stdin",
        stdin="first admin password\n",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    signed_in = await client.post(
        "/api/auth/sign-in", json={"email": tenant.admin_email, "password": "first admin password"}
    )
    assert signed_in.status_code == 200


async def test_reset_two_step_lets_someone_who_lost_their_phone_sign_in_with_the_password(
    servers: Servers,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
    client: AsyncTestClient[Litestar],
    owner: asyncpg.Connection[asyncpg.Record],
) -> None:
    tenant = await make_tenant()
    email = await make_staff(tenant.slug, "listener")
    staff_id = await owner.fetchval(
        "UPDATE staff_users SET totp_secret = '\\x00'::bytea, totp_key_id = 'k1', "
        "totp_enabled_at = now() WHERE email = $1 RETURNING id",
        email,
    )
    await owner.execute(
        "INSERT INTO staff_recovery_codes (staff_id, code_hash) VALUES ($1, 'h')", staff_id
    )
    before = await client.post("/api/auth/sign-in", json={"email": email, "password": PASSWORD})
    assert "access_token" not in before.json()  # a second step was asked for

    result = run_havre(servers, "staff", "reset-two-step", email.upper())

    assert result.returncode == 0, result.stderr
    row = await owner.fetchrow(
        "SELECT totp_secret, totp_enabled_at FROM staff_users WHERE id = $1", staff_id
    )
    assert tuple(row) == (None, None)
    assert (
        await owner.fetchval(
            "SELECT count(*) FROM staff_recovery_codes WHERE staff_id = $1", staff_id
        )
        == 0
    )
    after = await client.post("/api/auth/sign-in", json={"email": email, "password": PASSWORD})
    assert after.status_code == 200
    assert "access_token" in after.json()


@pytest.mark.parametrize(
    ("args", "stdin", "expected"),
    [
        (["create", "--email", "x@y.example", "--organisation", "no-such-line", "--role",
          "listener", "--password-stdin"], "long enough pw\n", "no organisation"),
        (["create", "--email", "not-an-email", "--organisation", "x", "--role", "listener",
          "--password-stdin"], "long enough pw\n", "not an e-mail"),
        (["set-password", "nobody@nowhere.example", "--password-stdin"], "long enough pw\n",
         "no account"),
        (["set-password", "nobody@nowhere.example", "--password-stdin"], "short\n",
         "at least 10"),
        (["reset-two-step", "nobody@nowhere.example"], "", "no account"),
    ],
)  # fmt: skip
def test_staff_commands_refuse_bad_input_with_one_line_and_status_2(
    servers: Servers, args: list[str], stdin: str, expected: str
) -> None:
    result = run_havre(servers, "staff", *args, stdin=stdin)
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
