"""The admin section "Staff & partners": members, roles and their protections, capacity and
supervision, deactivation, partner grants, and who may call any of it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

import pytest
import redis.asyncio as aioredis
from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.i18n import text
from server.settings import Settings
from server.staff.messages import STAFF_MESSAGES
from tests.conftest import MakeStaff, MakeTenant, sign_in
from tests.staff.accounts import bearer, bearer_for, organisation_id_of, staff_id_of

TWO_TEAMS = [
    {"slug": "general", "name": "General", "languages": ["fr"]},
    {"slug": "students", "name": "Students", "languages": ["fr"]},
]


@dataclass(frozen=True)
class Line:
    slug: str
    name: str
    id: UUID
    teams: dict[str, UUID]
    owner: str  # e-mail addresses; every account's password is PASSWORD
    admin: str
    supervisor: str
    listener: str


@pytest.fixture
async def line(owner: Any, make_tenant: MakeTenant, make_staff: MakeStaff) -> Line:
    tenant = await make_tenant(teams=TWO_TEAMS)
    org = await organisation_id_of(owner, tenant.slug)
    teams = {
        r["slug"]: r["id"]
        for r in await owner.fetch("SELECT slug, id FROM teams WHERE organisation_id = $1", org)
    }
    return Line(
        slug=tenant.slug,
        name=tenant.name,
        id=org,
        teams=teams,
        owner=await make_staff(tenant.slug, "owner"),
        admin=await make_staff(tenant.slug, "admin"),
        supervisor=await make_staff(tenant.slug, "supervisor"),
        listener=await make_staff(tenant.slug, "listener"),
    )


def staff_path(slug: str, staff_id: Any = None) -> str:
    base = f"/api/tenants/{slug}/staff/"
    return base if staff_id is None else f"{base}{staff_id}"


async def change(
    client: AsyncTestClient[Litestar], owner: Any, actor: str, line: Line, target: str, **body: Any
) -> Any:
    target_id = await staff_id_of(owner, target)
    return await client.patch(
        staff_path(line.slug, target_id), json=body, headers=await bearer_for(client, actor)
    )


async def membership(owner: Any, line: Line, email: str) -> dict[str, Any]:
    row = await owner.fetchrow(
        "SELECT m.role, m.is_active, m.capacity, m.supervised_conversations FROM memberships m "
        "JOIN staff_users s ON s.id = m.staff_id WHERE m.organisation_id = $1 AND s.email = $2",
        line.id,
        email,
    )
    return dict(row)


async def audit_actions(owner: Any, line: Line) -> list[tuple[str, str, Any]]:
    rows = await owner.fetch(
        "SELECT action, target, details FROM audit_log WHERE organisation_id = $1 "
        "AND action LIKE ANY(ARRAY['staff.%', 'partner.%']) AND action <> 'staff.sign_in' "
        "ORDER BY id",
        line.id,
    )
    return [(r["action"], r["target"], r["details"]) for r in rows]


# Listing ------------------------------------------------------------------------------------


async def test_the_list_shows_every_member_with_role_teams_and_settings(
    client: AsyncTestClient[Litestar], owner: Any, line: Line
) -> None:
    listener_id = await staff_id_of(owner, line.listener)
    await owner.execute(
        "INSERT INTO team_members (organisation_id, team_id, staff_id) VALUES ($1, $2, $3)",
        line.id,
        line.teams["students"],
        listener_id,
    )
    await owner.execute(
        "UPDATE memberships SET capacity = 3, supervised_conversations = 5 WHERE staff_id = $1",
        listener_id,
    )

    as_owner = await client.get(staff_path(line.slug), headers=await bearer_for(client, line.owner))
    as_admin = await client.get(staff_path(line.slug), headers=await bearer_for(client, line.admin))

    assert as_owner.status_code == 200, as_owner.text
    body = as_owner.json()
    by_email = {m["email"]: m for m in body["members"]}
    assert {line.owner, line.admin, line.supervisor, line.listener} <= by_email.keys()
    assert by_email[line.listener] == {
        "staff_id": str(listener_id),
        "email": line.listener,
        "display_name": "",
        "role": "listener",
        "team_ids": [str(line.teams["students"])],
        "is_active": True,
        "totp_enabled": False,
        "capacity": 3,
        "supervised_conversations": 5,
    }
    assert {t["slug"] for t in body["teams"]} == {"general", "students"}
    assert body["can_manage_admins"] is True
    assert body["smtp_configured"] is False
    assert as_admin.json()["can_manage_admins"] is False


# Roles --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "target", "role", "status", "code"),
    [
        ("admin", "listener", "supervisor", 200, None),
        ("admin", "supervisor", "listener", 200, None),
        ("admin", "listener", "admin", 403, "owner_only"),
        ("admin", "admin", "listener", 403, "owner_only"),
        ("admin", "owner", "listener", 403, "owner_protected"),
        ("owner", "listener", "admin", 200, None),
        ("owner", "admin", "owner", 200, None),
    ],
)
async def test_role_changes_follow_the_owner_rules(
    actor: str,
    target: str,
    role: str,
    status: int,
    code: str | None,
    client: AsyncTestClient[Litestar],
    owner: Any,
    line: Line,
) -> None:
    target_email = getattr(line, target)
    before = await membership(owner, line, target_email)

    response = await change(client, owner, getattr(line, actor), line, target_email, role=role)

    assert response.status_code == status, response.text
    after = await membership(owner, line, target_email)
    if code:
        assert response.json()["code"] == code
        assert after == before
    else:
        assert response.json()["role"] == role
        assert after["role"] == role
        assert ("staff.role_changed", target_email, {"from": before["role"], "to": role}) in (
            await audit_actions(owner, line)
        )


async def test_an_admin_cannot_change_anything_of_an_owner(
    client: AsyncTestClient[Litestar], owner: Any, line: Line
) -> None:
    before = await membership(owner, line, line.owner)

    responses = [
        await change(client, owner, line.admin, line, line.owner, **body)
        for body in ({"capacity": 1}, {"is_active": False}, {"team_ids": []})
    ]

    assert [r.status_code for r in responses] == [403, 403, 403]
    assert {r.json()["code"] for r in responses} == {"owner_protected"}
    assert await membership(owner, line, line.owner) == before


async def test_the_last_active_owner_can_be_neither_demoted_nor_deactivated(
    client: AsyncTestClient[Litestar], owner: Any, line: Line, make_staff: MakeStaff
) -> None:
    # The tenant file's admin address is an owner too, without a password: retire it first.
    await owner.execute(
        "UPDATE memberships SET is_active = false WHERE organisation_id = $1 AND role = 'owner' "
        "AND staff_id <> (SELECT id FROM staff_users WHERE email = $2)",
        line.id,
        line.owner,
    )
    demoted = await change(client, owner, line.owner, line, line.owner, role="admin")
    deactivated = await change(client, owner, line.owner, line, line.owner, is_active=False)
    second = await make_staff(line.slug, "owner")
    now_allowed = await change(client, owner, line.owner, line, line.owner, role="admin")
    last_again = await change(client, owner, second, line, second, is_active=False)

    assert (demoted.status_code, demoted.json()["code"]) == (409, "last_owner")
    assert (deactivated.status_code, deactivated.json()["code"]) == (409, "last_owner")
    assert now_allowed.status_code == 200
    assert (last_again.status_code, last_again.json()["code"]) == (409, "last_owner")
    assert (await membership(owner, line, second))["is_active"] is True


# Capacity, supervision, teams ------------------------------------------------------------------


async def test_capacity_supervision_and_teams_are_set_and_audited(
    client: AsyncTestClient[Litestar], owner: Any, line: Line
) -> None:
    team = str(line.teams["general"])

    response = await change(
        client,
        owner,
        line.admin,
        line,
        line.listener,
        capacity=4,
        supervised_conversations=10,
        team_ids=[team],
    )
    back_to_default = await change(client, owner, line.admin, line, line.listener, capacity=None)

    assert response.status_code == 200, response.text
    assert (response.json()["capacity"], response.json()["supervised_conversations"]) == (4, 10)
    assert response.json()["team_ids"] == [team]
    assert back_to_default.json()["capacity"] is None
    assert back_to_default.json()["supervised_conversations"] == 10
    stored = await membership(owner, line, line.listener)
    assert (stored["capacity"], stored["supervised_conversations"]) == (None, 10)
    settings = [d for a, _, d in await audit_actions(owner, line) if a == "staff.settings_changed"]
    assert settings == [
        {
            "changes": [
                {"field": "capacity", "from": None, "to": 4},
                {"field": "supervised_conversations", "from": 0, "to": 10},
                {"field": "team_ids", "from": [], "to": [team]},
            ]
        },
        {"changes": [{"field": "capacity", "from": 4, "to": None}]},
    ]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"capacity": 0}, "validation_failed"),
        ({"capacity": 21}, "validation_failed"),
        ({"supervised_conversations": -1}, "validation_failed"),
        ({"role": "root"}, "validation_failed"),
        ({"is_active": "no"}, "validation_failed"),
        ({"team_ids": ["00000000-0000-0000-0000-000000000009"]}, "unknown_team"),
        ({"unexpected": True}, "validation_failed"),
    ],
)
async def test_bad_values_are_refused_and_nothing_is_half_saved(
    body: dict[str, Any],
    code: str,
    client: AsyncTestClient[Litestar],
    owner: Any,
    line: Line,
) -> None:
    before = await membership(owner, line, line.listener)

    response = await change(
        client, owner, line.owner, line, line.listener, **{"role": "supervisor", **body}
    )

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert await membership(owner, line, line.listener) == before


async def test_someone_who_is_not_a_member_is_not_found(
    client: AsyncTestClient[Litestar],
    owner: Any,
    line: Line,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
) -> None:
    other = await make_tenant()
    outsider = await staff_id_of(owner, await make_staff(other.slug, "listener"))

    response = await client.patch(
        staff_path(line.slug, outsider),
        json={"capacity": 2},
        headers=await bearer_for(client, line.owner),
    )

    assert response.status_code == 404
    assert response.json()["code"] == "member_not_found"


# Deactivation ---------------------------------------------------------------------------------


async def test_deactivating_signs_the_person_out_and_takes_them_off_routing(
    client: AsyncTestClient[Litestar], settings: Settings, owner: Any, line: Line
) -> None:
    tokens = await sign_in(client, line.listener)
    listener_id = await staff_id_of(owner, line.listener)
    presence_key = f"{client.app.state.settings.redis.prefix}presence:{listener_id}"
    redis = aioredis.from_url(settings.redis.url)
    try:
        await redis.set(presence_key, "available", ex=60)

        response = await change(client, owner, line.admin, line, line.listener, is_active=False)

        present = await redis.get(presence_key)
    finally:
        await redis.aclose()
    refresh = await client.post(
        "/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
    )
    tenant_call = await client.get(
        f"/api/tenants/{line.slug}/referrals", headers=bearer(tokens["access_token"])
    )

    assert response.status_code == 200, response.text
    assert response.json()["is_active"] is False
    assert present == b"away"  # off routing (and kept so: no open console can revive it)
    assert refresh.status_code == 401
    # The unexpired access token ends with the sessions.
    assert tenant_call.status_code == 401
    assert tenant_call.json()["code"] == "invalid_token"
    assert ("staff.deactivated", line.listener, {}) in await audit_actions(owner, line)

    reactivated = await change(client, owner, line.admin, line, line.listener, is_active=True)
    assert reactivated.json()["is_active"] is True
    again = await sign_in(client, line.listener)
    allowed = await client.get(
        f"/api/tenants/{line.slug}/referrals", headers=bearer(again["access_token"])
    )
    assert allowed.status_code == 200
    assert ("staff.reactivated", line.listener, {}) in await audit_actions(owner, line)


async def test_deactivating_in_one_tenant_keeps_the_person_in_another(
    client: AsyncTestClient[Litestar],
    owner: Any,
    line: Line,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
) -> None:
    other = await make_tenant()
    await make_staff(other.slug, "listener", email=line.listener)

    await change(client, owner, line.admin, line, line.listener, is_active=False)
    tokens = await sign_in(client, line.listener)
    there = await client.get(
        f"/api/tenants/{other.slug}/referrals", headers=bearer(tokens["access_token"])
    )

    assert there.status_code == 200


# Partners -----------------------------------------------------------------------------------


async def test_granting_and_revoking_a_partner_organisation(
    client: AsyncTestClient[Litestar],
    owner: Any,
    line: Line,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
) -> None:
    partner = await make_tenant()
    partner_listener = await make_staff(partner.slug, "listener")
    headers = await bearer_for(client, line.admin)
    partner_headers = await bearer_for(client, partner_listener)
    host_referrals = f"/api/tenants/{line.slug}/referrals"
    path = f"/api/tenants/{line.slug}/partners/{partner.slug}"

    before = await client.get(host_referrals, headers=partner_headers)
    granted = await client.put(path, json={"team_ids": None}, headers=headers)
    during = await client.get(host_referrals, headers=partner_headers)
    narrowed = await client.put(
        path, json={"team_ids": [str(line.teams["students"])]}, headers=headers
    )
    listed = await client.get(f"/api/tenants/{line.slug}/partners/", headers=headers)
    me = await client.get("/api/me", headers=partner_headers)
    revoked = await client.delete(path, headers=headers)
    after = await client.get(host_referrals, headers=partner_headers)
    revoked_again = await client.delete(path, headers=headers)

    assert before.status_code == 404
    assert granted.status_code == 200, granted.text
    assert granted.json()["team_ids"] is None
    assert during.status_code == 200
    assert narrowed.json()["team_ids"] == [str(line.teams["students"])]
    grants = listed.json()["grants"]
    assert [(g["slug"], g["name"], g["team_ids"]) for g in grants] == [
        (partner.slug, partner.name, [str(line.teams["students"])])
    ]
    host = next(t for t in me.json()["tenants"] if t["slug"] == line.slug)
    assert host["role"] == "listener"
    assert host["team_ids"] == [str(line.teams["students"])]
    assert revoked.status_code == 204
    assert after.status_code == 404
    assert (revoked_again.status_code, revoked_again.json()["code"]) == (404, "grant_not_found")
    actions = [(a, t) for a, t, _ in await audit_actions(owner, line)]
    assert actions.count(("partner.granted", partner.slug)) == 2
    assert ("partner.revoked", partner.slug) in actions


@pytest.mark.parametrize(
    ("partner", "body", "status", "code"),
    [
        ("no-such-organisation", {"team_ids": None}, 404, "partner_not_found"),
        ("{self}", {"team_ids": None}, 400, "partner_is_self"),
        ("{other}", {"team_ids": ["00000000-0000-0000-0000-000000000003"]}, 400, "unknown_team"),
        ("{other}", {"team_ids": []}, 400, "validation_failed"),
        ("{other}", {"teams": "all"}, 400, "validation_failed"),
    ],
)
async def test_bad_grants_are_refused_and_nothing_is_stored(
    partner: str,
    body: dict[str, Any],
    status: int,
    code: str,
    client: AsyncTestClient[Litestar],
    owner: Any,
    line: Line,
    make_tenant: MakeTenant,
) -> None:
    other = await make_tenant()
    slug = partner.format(self=line.slug, other=other.slug)

    response = await client.put(
        f"/api/tenants/{line.slug}/partners/{slug}",
        json=body,
        headers=await bearer_for(client, line.owner),
    )

    assert response.status_code == status, response.text
    assert response.json()["code"] == code
    assert (
        await owner.fetchval("SELECT count(*) FROM partnerships WHERE host_id = $1", line.id) == 0
    )


# Who may call these endpoints -------------------------------------------------------------------


def endpoints(line: Line, target: UUID, partner_slug: str) -> list[tuple[str, str, Any]]:
    base = f"/api/tenants/{line.slug}"
    return [
        ("GET", f"{base}/staff/", None),
        ("POST", f"{base}/staff/invitations", {"email": "x@example.org", "role": "listener"}),
        ("DELETE", f"{base}/staff/invitations/{UUID(int=7)}", None),
        ("PATCH", f"{base}/staff/{target}", {"is_active": False}),
        ("GET", f"{base}/partners/", None),
        ("PUT", f"{base}/partners/{partner_slug}", {"team_ids": None}),
        ("DELETE", f"{base}/partners/{partner_slug}", None),
    ]


@pytest.mark.parametrize(
    ("caller", "status"),
    [
        ("listener", 403),
        ("supervisor", 403),
        ("admin of another tenant", 404),
        ("listener of a partner", 403),
        ("admin of a partner", 403),
        ("listener of a partner that was not granted", 404),
    ],
)
async def test_every_endpoint_refuses_anyone_below_admin_of_this_tenant(
    caller: str,
    status: int,
    client: AsyncTestClient[Litestar],
    owner: Any,
    line: Line,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
) -> None:
    partner, stranger = await make_tenant(), await make_tenant()
    await owner.execute(
        "INSERT INTO partnerships (host_id, partner_id) VALUES ($1, $2)",
        line.id,
        await organisation_id_of(owner, partner.slug),
    )
    email = {
        "listener": line.listener,
        "supervisor": line.supervisor,
        "admin of another tenant": await make_staff(stranger.slug, "admin"),
        "listener of a partner": await make_staff(partner.slug, "listener"),
        "admin of a partner": await make_staff(partner.slug, "owner"),
        "listener of a partner that was not granted": await make_staff(stranger.slug, "listener"),
    }[caller]
    headers = await bearer_for(client, email)
    target = await staff_id_of(owner, line.listener)
    snapshot = (
        "SELECT (SELECT count(*) FROM invitations WHERE organisation_id = $1), "
        "(SELECT count(*) FROM partnerships WHERE host_id = $1), "
        "(SELECT bool_and(is_active) FROM memberships WHERE organisation_id = $1)"
    )
    before = tuple(await owner.fetchrow(snapshot, line.id))

    answers = {}
    for method, path, body in endpoints(line, target, partner.slug):
        response = await client.request(method, path, json=body, headers=headers)
        answers[f"{method} {path}"] = (response.status_code, response.json()["code"])
        assert line.listener not in response.text

    expected_code = "forbidden" if status == 403 else "tenant_not_found"
    assert set(answers.values()) == {(status, expected_code)}, answers
    assert tuple(await owner.fetchrow(snapshot, line.id)) == before


async def test_anonymous_callers_get_401(
    client: AsyncTestClient[Litestar], owner: Any, line: Line
) -> None:
    target = await staff_id_of(owner, line.listener)
    for method, path, body in endpoints(line, target, "anyone"):
        response = await client.request(method, path, json=body)
        assert response.status_code == 401, path


# The page -------------------------------------------------------------------------------------


async def test_the_page_is_for_the_tenant_admins(
    client: AsyncTestClient[Litestar], line: Line, make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    page = f"/admin/{line.slug}/staff"
    stranger = await make_staff((await make_tenant()).slug, "admin")

    as_admin = await client.get(page, headers=await bearer_for(client, line.admin))
    as_listener = await client.get(page, headers=await bearer_for(client, line.listener))
    as_stranger = await client.get(page, headers=await bearer_for(client, stranger))
    anonymous = await client.get(page, follow_redirects=False)

    assert as_admin.status_code == 200
    assert "Équipe et partenaires" in as_admin.text
    assert line.name in as_admin.text
    assert as_listener.status_code == 403
    assert line.name not in as_listener.text
    assert as_stranger.status_code == 404
    assert anonymous.status_code in (302, 303, 307)
    assert anonymous.headers["location"] == f"/sign-in?next=/admin/{line.slug}/staff"


# Problem titles ---------------------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(STAFF_MESSAGES))
def test_every_staff_problem_has_its_own_title_in_french_and_english(code: str) -> None:
    generic = {text("internal_error", "fr"), text("internal_error", "en")}

    titles = {text(code, "fr"), text(code, "en")}

    assert len(titles) == 2
    assert not titles & generic


async def test_a_refusal_is_titled_in_the_callers_language(
    client: AsyncTestClient[Litestar], owner: Any, line: Line
) -> None:
    target = await staff_id_of(owner, line.owner)
    headers = {**await bearer_for(client, line.admin), "accept-language": "fr-FR"}

    response = await client.patch(
        staff_path(line.slug, target), json={"capacity": 1}, headers=headers
    )

    assert (
        response.json()["title"]
        == "Seul·e un·e responsable peut modifier le compte d'un·e responsable."
    )
