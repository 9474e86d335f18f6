"""Invitations: who may invite whom, the single-use link (hash only stored, 7 days), creating or
attaching an account, SMTP delivery to a real local server, and isolation between tenants."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from asyncpg.exceptions import InsufficientPrivilegeError
from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.db import Database
from server.settings import SettingsError, SmtpSettings, parse_smtp_url
from tests.conftest import MakeStaff, MakeTenant, Servers, free_port, sign_in
from tests.staff.accounts import (
    bearer_for,
    organisation_id_of,
    own_app,
    smtp_sink,
    staff_id_of,
)

NEW_PASSWORD = "a long new passphrase"


def invitations_path(slug: str) -> str:
    return f"/api/tenants/{slug}/staff/invitations"


async def invite(
    client: AsyncTestClient[Litestar], headers: dict[str, str], slug: str, **body: Any
) -> Any:
    body.setdefault("email", f"new-{secrets.token_hex(4)}@example.org")
    body.setdefault("role", "listener")
    return await client.post(invitations_path(slug), json=body, headers=headers)


def token_of(link: str) -> str:
    return link.rsplit("/invite/", 1)[1]


async def accept(client: AsyncTestClient[Litestar], token: str, **body: Any) -> Any:
    payload = {"token": token, "display_name": "Camille", "password": NEW_PASSWORD, **body}
    return await client.post("/api/invitations/accept", json=payload)


@pytest.fixture
async def tenant_owner(
    client: AsyncTestClient[Litestar], make_tenant: MakeTenant, make_staff: MakeStaff
) -> tuple[Any, dict[str, str]]:
    tenant = await make_tenant(
        teams=[
            {"slug": "general", "name": "General", "languages": ["fr"]},
            {"slug": "students", "name": "Students", "languages": ["fr"]},
        ]
    )
    return tenant, await bearer_for(client, await make_staff(tenant.slug, "owner"))


# Inviting -----------------------------------------------------------------------------------


async def test_an_admin_invites_and_gets_the_link_when_no_smtp_is_set(
    client: AsyncTestClient[Litestar],
    owner: Any,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
) -> None:
    tenant = await make_tenant()
    admin = await make_staff(tenant.slug, "admin")
    headers = await bearer_for(client, admin)

    response = await invite(client, headers, tenant.slug, email="  Camille@Example.ORG ")

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["emailed"] is False
    assert body["link"].startswith(f"{client.app.state.settings.server.public_url}/invite/")
    invitation = body["invitation"]
    assert invitation["email"] == "camille@example.org"
    assert invitation["role"] == "listener"
    expires = datetime.fromisoformat(invitation["expires_at"])
    assert timedelta(days=6, hours=23) < expires - datetime.now(UTC) <= timedelta(days=7)
    token = token_of(body["link"])
    row = await owner.fetchrow("SELECT * FROM invitations WHERE id = $1", UUID(invitation["id"]))
    assert row["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(dict(row))
    entry = await owner.fetchrow(
        "SELECT a.action, a.target, a.details FROM audit_log a JOIN staff_users s "
        "ON s.id = a.actor_id WHERE s.email = $1 AND a.action = 'staff.invited'",
        admin,
    )
    assert (entry["target"], entry["details"]) == (
        "camille@example.org",
        {"role": "listener", "teams": 0},
    )


@pytest.mark.parametrize(
    ("inviter", "role", "status", "code"),
    [
        ("listener", "listener", 403, "forbidden"),
        ("supervisor", "listener", 403, "forbidden"),
        ("admin", "admin", 403, "owner_only"),
        ("admin", "supervisor", 201, None),
        ("owner", "admin", 201, None),
    ],
)
async def test_who_may_invite_whom(
    inviter: str,
    role: str,
    status: int,
    code: str | None,
    client: AsyncTestClient[Litestar],
    owner: Any,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
) -> None:
    tenant = await make_tenant()
    headers = await bearer_for(client, await make_staff(tenant.slug, inviter))
    org = await organisation_id_of(owner, tenant.slug)

    response = await invite(client, headers, tenant.slug, role=role)

    assert response.status_code == status, response.text
    if code:
        assert response.json()["code"] == code
    stored = await owner.fetchval(
        "SELECT count(*) FROM invitations WHERE organisation_id = $1", org
    )
    assert stored == (1 if status == 201 else 0)


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"email": "not-an-address"}, "validation_failed"),
        ({"role": "owner"}, "validation_failed"),
        ({"role": "root"}, "validation_failed"),
        ({"locale": "de"}, "validation_failed"),
        ({"team_ids": ["00000000-0000-0000-0000-000000000001"]}, "unknown_team"),
        ({"team_ids": ["not-a-uuid"]}, "validation_failed"),
        ({"unexpected": 1}, "validation_failed"),
    ],
)
async def test_bad_invitations_are_refused_with_a_problem_and_nothing_stored(
    body: dict[str, Any],
    code: str,
    client: AsyncTestClient[Litestar],
    owner: Any,
    tenant_owner: tuple[Any, dict[str, str]],
) -> None:
    tenant, headers = tenant_owner
    org = await organisation_id_of(owner, tenant.slug)

    response = await invite(client, headers, tenant.slug, **body)

    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == code
    assert (
        await owner.fetchval("SELECT count(*) FROM invitations WHERE organisation_id = $1", org)
        == 0
    )


async def test_a_team_of_another_tenant_cannot_be_given(
    client: AsyncTestClient[Litestar],
    owner: Any,
    make_tenant: MakeTenant,
    tenant_owner: tuple[Any, dict[str, str]],
) -> None:
    tenant, headers = tenant_owner
    other = await make_tenant()
    foreign = await owner.fetchval(
        "SELECT t.id FROM teams t JOIN organisations o ON o.id = t.organisation_id "
        "WHERE o.slug = $1",
        other.slug,
    )

    response = await invite(client, headers, tenant.slug, team_ids=[str(foreign)])

    assert response.status_code == 400
    assert response.json()["code"] == "unknown_team"


async def test_an_active_member_cannot_be_invited_again(
    client: AsyncTestClient[Litestar],
    make_staff: MakeStaff,
    tenant_owner: tuple[Any, dict[str, str]],
) -> None:
    tenant, headers = tenant_owner
    member = await make_staff(tenant.slug, "listener")

    response = await invite(client, headers, tenant.slug, email=member.upper())

    assert response.status_code == 409
    assert response.json()["code"] == "already_member"


# Accepting ----------------------------------------------------------------------------------


async def test_accepting_creates_the_account_with_role_and_teams_and_signs_in(
    client: AsyncTestClient[Litestar], owner: Any, tenant_owner: tuple[Any, dict[str, str]]
) -> None:
    tenant, headers = tenant_owner
    org = await organisation_id_of(owner, tenant.slug)
    students = await owner.fetchval(
        "SELECT id FROM teams WHERE organisation_id = $1 AND slug = 'students'", org
    )
    email = f"camille-{secrets.token_hex(3)}@example.org"
    created = await invite(
        client, headers, tenant.slug, email=email, role="supervisor", team_ids=[str(students)]
    )
    token = token_of(created.json()["link"])

    page = await client.get(f"/invite/{token}", headers={"accept-language": "en"})
    response = await accept(client, token, locale="en")

    assert page.status_code == 200
    assert tenant.name in page.text
    assert email in page.text
    assert response.status_code == 200, response.text
    assert response.json() == {"next": "/console/", "new_account": True}
    cookies = {h.split("=")[0] for h in response.headers.get_list("set-cookie")}
    assert {"havre_access", "havre_refresh"} <= cookies
    staff = await owner.fetchrow(
        "SELECT id, display_name, locale, password_hash FROM staff_users WHERE email = $1", email
    )
    assert (staff["display_name"], staff["locale"]) == ("Camille", "en")
    assert staff["password_hash"].startswith("$argon2id$")
    membership = await owner.fetchrow(
        "SELECT role, is_active FROM memberships WHERE organisation_id = $1 AND staff_id = $2",
        org,
        staff["id"],
    )
    assert (membership["role"], membership["is_active"]) == ("supervisor", True)
    teams = await owner.fetch("SELECT team_id FROM team_members WHERE staff_id = $1", staff["id"])
    assert [t["team_id"] for t in teams] == [students]
    signed_in = await client.post(
        "/api/auth/sign-in", json={"email": email, "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 200
    actions = await owner.fetch(
        "SELECT action FROM audit_log WHERE organisation_id = $1 AND actor_id = $2",
        org,
        staff["id"],
    )
    assert {"staff.invitation_accepted", "staff.sign_in"} <= {a["action"] for a in actions}


async def test_the_link_works_once(
    client: AsyncTestClient[Litestar], tenant_owner: tuple[Any, dict[str, str]]
) -> None:
    tenant, headers = tenant_owner
    token = token_of((await invite(client, headers, tenant.slug)).json()["link"])

    first = await accept(client, token)
    second = await accept(client, token, display_name="Someone else")
    page = await client.get(f"/invite/{token}")

    assert first.status_code == 200
    assert second.status_code == 404
    assert second.json()["code"] == "invitation_not_found"
    assert page.status_code == 404
    assert tenant.name not in page.text


async def test_expired_revoked_and_replaced_links_do_not_work(
    client: AsyncTestClient[Litestar], owner: Any, tenant_owner: tuple[Any, dict[str, str]]
) -> None:
    tenant, headers = tenant_owner
    expired = (await invite(client, headers, tenant.slug)).json()
    await owner.execute(
        "UPDATE invitations SET expires_at = now() - interval '1 second' WHERE id = $1",
        UUID(expired["invitation"]["id"]),
    )
    revoked = (await invite(client, headers, tenant.slug)).json()
    revoking = await client.delete(
        f"{invitations_path(tenant.slug)}/{revoked['invitation']['id']}", headers=headers
    )
    replaced = (await invite(client, headers, tenant.slug, email="same@example.org")).json()
    newest = (await invite(client, headers, tenant.slug, email="same@example.org")).json()

    assert revoking.status_code == 204
    for body in (expired, revoked, replaced):
        response = await accept(client, token_of(body["link"]))
        assert response.status_code == 404, body
        assert response.json()["code"] == "invitation_not_found"
    assert (await accept(client, token_of(newest["link"]))).status_code == 200
    listed = await client.get(f"/api/tenants/{tenant.slug}/staff/", headers=headers)
    assert listed.json()["invitations"] == []


async def test_a_refused_password_creates_nothing_and_the_link_still_works(
    client: AsyncTestClient[Litestar], owner: Any, tenant_owner: tuple[Any, dict[str, str]]
) -> None:
    tenant, headers = tenant_owner
    email = f"short-{secrets.token_hex(3)}@example.org"
    token = token_of((await invite(client, headers, tenant.slug, email=email)).json()["link"])

    short = await accept(client, token, password="too short")
    nameless = await accept(client, token, display_name=None)

    assert short.status_code == 400
    assert short.json()["code"] == "validation_failed"
    assert nameless.status_code == 400
    assert await owner.fetchval("SELECT count(*) FROM staff_users WHERE email = $1", email) == 0
    assert (await accept(client, token)).status_code == 200


async def test_an_existing_account_joins_only_when_signed_in_as_that_address(
    client: AsyncTestClient[Litestar],
    owner: Any,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
    tenant_owner: tuple[Any, dict[str, str]],
) -> None:
    tenant, headers = tenant_owner
    elsewhere = await make_tenant()
    person = await make_staff(elsewhere.slug, "listener")
    someone_else = await make_staff(elsewhere.slug, "listener")
    before = await owner.fetchval("SELECT password_hash FROM staff_users WHERE email = $1", person)
    token = token_of((await invite(client, headers, tenant.slug, email=person)).json()["link"])

    anonymous = await accept(client, token)
    page = await client.get(f"/invite/{token}", headers={"accept-language": "en"})
    wrong_account = await client.post(
        "/api/invitations/accept",
        json={"token": token},
        headers=await bearer_for(client, someone_else),
    )
    joined = await client.post(
        "/api/invitations/accept", json={"token": token}, headers=await bearer_for(client, person)
    )

    assert anonymous.status_code == 409
    assert anonymous.json()["code"] == "account_exists"
    assert "Sign in to accept" in page.text
    assert wrong_account.status_code == 403
    assert wrong_account.json()["code"] == "invitation_other_account"
    assert joined.status_code == 200, joined.text
    assert joined.json() == {"next": "/console/", "new_account": False}
    assert "set-cookie" not in joined.headers
    roles = await owner.fetch(
        "SELECT o.slug, m.role FROM memberships m JOIN organisations o ON o.id = m.organisation_id "
        "JOIN staff_users s ON s.id = m.staff_id WHERE s.email = $1 ORDER BY o.slug",
        person,
    )
    assert {(r["slug"], r["role"]) for r in roles} == {
        (tenant.slug, "listener"),
        (elsewhere.slug, "listener"),
    }
    after = await owner.fetchval("SELECT password_hash FROM staff_users WHERE email = $1", person)
    assert after == before
    assert (await sign_in(client, person))["access_token"]


async def test_an_unknown_invitation_page_is_a_404_that_names_nothing(
    client: AsyncTestClient[Litestar],
) -> None:
    page = await client.get(
        f"/invite/{secrets.token_urlsafe(32)}", headers={"accept-language": "fr"}
    )

    assert page.status_code == 404
    assert "pas valable" in page.text


# SMTP -----------------------------------------------------------------------------------------


async def test_with_smtp_the_invitation_is_mailed_and_the_link_is_not_shown(
    servers: Servers, owner: Any, make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    tenant = await make_tenant()
    inviter = await make_staff(tenant.slug, "owner")
    email = f"mailed-{secrets.token_hex(3)}@example.org"
    with smtp_sink() as sink:
        url = f"smtp://havre%40mail:s%3Acret@{sink.host}:{sink.port}?from=havre@example.org"
        async with own_app(servers, env={"HAVRE_SMTP_URL": url}) as client:
            headers = await bearer_for(client, inviter)
            response = await invite(
                client, headers, tenant.slug, email=email, role="admin", locale="en"
            )
            overview = await client.get(f"/api/tenants/{tenant.slug}/staff/", headers=headers)
            assert sink.arrived.wait(timeout=10)
            received = sink.messages[0]
            body = received.message.get_content()
            link = next(word for word in body.split() if "/invite/" in word)
            joined = await accept(client, token_of(link))

    assert response.status_code == 201, response.text
    assert response.json()["emailed"] is True
    assert response.json()["link"] is None
    assert overview.json()["smtp_configured"] is True
    assert received.login == ("havre@mail", "s:cret")
    assert received.sender == "havre@example.org"
    assert received.recipients == [email]
    assert received.message["To"] == email
    assert received.message["Subject"] == f"Invitation to join {tenant.name} on Havre"
    assert "administrator" in body
    assert joined.status_code == 200
    assert joined.json()["next"] == "/admin/"


async def test_when_the_mail_server_cannot_be_reached_the_link_is_shown_instead(
    servers: Servers, make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    tenant = await make_tenant()
    inviter = await make_staff(tenant.slug, "admin")
    nobody_listens = f"smtp://127.0.0.1:{free_port()}"
    async with own_app(servers, env={"HAVRE_SMTP_URL": nobody_listens}) as client:
        response = await invite(client, await bearer_for(client, inviter), tenant.slug)

    assert response.status_code == 201
    assert response.json()["emailed"] is False
    assert "/invite/" in response.json()["link"]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://mail.example.org", SmtpSettings(host="mail.example.org", port=25)),
        (
            "smtps://u%40x:p%2Fw@mail.example.org?from=line@example.org",
            SmtpSettings(
                host="mail.example.org",
                port=465,
                use_tls=True,
                username="u@x",
                password="p/w",
                sender="line@example.org",
            ),
        ),
        (
            "smtp://mail.example.org:587?starttls=true",
            SmtpSettings(host="mail.example.org", port=587, starttls=True),
        ),
    ],
)
def test_smtp_urls_are_read(url: str, expected: SmtpSettings) -> None:
    assert parse_smtp_url(url) == expected


@pytest.mark.parametrize(
    "url",
    ["http://mail.example.org", "smtp://", "smtp://mail:notaport", "smtp://m?from=a%0Ab@x"],
)
def test_bad_smtp_urls_are_refused_with_the_variable_named(url: str) -> None:
    with pytest.raises(SettingsError, match="HAVRE_SMTP_URL"):
        parse_smtp_url(url)


# Isolation ----------------------------------------------------------------------------------


async def test_invitations_of_another_tenant_cannot_be_read_changed_or_created(
    client: AsyncTestClient[Litestar],
    db: Database,
    owner: Any,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
) -> None:
    a, b = await make_tenant(), await make_tenant()
    for tenant in (a, b):
        headers = await bearer_for(client, await make_staff(tenant.slug, "owner"))
        assert (await invite(client, headers, tenant.slug)).status_code == 201
    a_id, b_id = await organisation_id_of(owner, a.slug), await organisation_id_of(owner, b.slug)
    before = await owner.fetch("SELECT * FROM invitations WHERE organisation_id = $1", b_id)

    async with db.tenant_transaction(a_id) as conn:
        visible = await conn.fetch("SELECT organisation_id FROM invitations")
        revoked = await conn.execute(
            "UPDATE invitations SET revoked_at = now() WHERE organisation_id = $1", b_id
        )
        moved = await conn.execute(
            "UPDATE invitations SET role = 'admin' WHERE organisation_id = $1", b_id
        )
        deleted = await conn.execute("DELETE FROM invitations WHERE organisation_id = $1", b_id)
    with pytest.raises(InsufficientPrivilegeError):
        async with db.tenant_transaction(a_id) as conn:
            await conn.execute(
                "INSERT INTO invitations (organisation_id, email, role, token_hash, expires_at) "
                "VALUES ($1, 'x@example.org', 'admin', $2, now() + interval '1 day')",
                b_id,
                secrets.token_hex(16),
            )
    with pytest.raises(InsufficientPrivilegeError):
        async with db.tenant_transaction(a_id) as conn:
            await conn.execute(
                "UPDATE invitations SET organisation_id = $1 WHERE organisation_id = $2", b_id, a_id
            )
    async with db.transaction() as conn:
        without_tenant = await conn.fetchval("SELECT count(*) FROM invitations")

    assert {r["organisation_id"] for r in visible} == {a_id}
    assert (revoked, moved, deleted) == ("UPDATE 0", "UPDATE 0", "DELETE 0")
    assert without_tenant == 0
    assert await owner.fetch("SELECT * FROM invitations WHERE organisation_id = $1", b_id) == before


async def test_the_account_creating_function_needs_a_usable_invitation(
    db: Database, owner: Any, make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    tenant = await make_tenant()
    org = await organisation_id_of(owner, tenant.slug)
    inviter = await staff_id_of(owner, await make_staff(tenant.slug, "owner"))
    used = await owner.fetchval(
        "INSERT INTO invitations (organisation_id, email, role, token_hash, expires_at, "
        "invited_by, accepted_at) VALUES ($1, 'used@example.org', 'listener', $2, "
        "now() + interval '1 day', $3, now()) RETURNING id",
        org,
        secrets.token_hex(16),
        inviter,
    )

    async with db.transaction() as conn:
        for invitation in (used, UUID(int=0)):
            created = await conn.fetchval(
                "SELECT havre_create_invited_staff($1, 'x', 'fr', 'hash')", invitation
            )
            assert created is None
    assert (
        await owner.fetchval("SELECT count(*) FROM staff_users WHERE email = 'used@example.org'")
        == 0
    )
