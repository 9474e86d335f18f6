"""The admin console's API: each section stores a valid change in one transaction with an
audit entry, refuses bad input with field errors and stores nothing, and answers only the
tenant's own admins."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.referrals.defaults import NATIONAL_REFERRALS
from server.tenants.structs import ReferralName
from tests.admin.conftest import Headers, audit_entries, stored
from tests.conftest import MakeStaff, MakeTenant

ROUTING = {
    "mode": "auto",
    "default_capacity": 3,
    "session_limit_minutes": 60,
    "inactivity_timeout_minutes": 10,
    "wait_alert_minutes": 5,
}

# section: (valid body, what must then be stored, invalid body, field at fault, error code)
CASES: dict[str, tuple[dict[str, Any], Any, dict[str, Any], str, str]] = {
    "branding": (
        {
            "name": "Ligne renommée",
            "exit_url": "https://example.org/meteo",
            "branding": {
                "primary_color": "#0b3d2e",
                "text_color": "#ffffff",
                "position": "left",
                "welcome": {"fr": "Bonsoir.", "en": "Good evening."},
                "launcher_label": {"fr": "Parler", "en": "Talk"},
            },
        },
        lambda t: (
            (t.name, t.exit_url, t.branding.primary_color, t.branding.position)
            == ("Ligne renommée", "https://example.org/meteo", "#0b3d2e", "left")
        ),
        {"name": "X", "exit_url": "https://example.org/", "branding": {"primary_color": "green"}},
        "branding.primary_color",
        "invalid_colour",
    ),
    "hours": (
        {
            "time_zone": "America/Toronto",
            "closing_cutoff_minutes": 30,
            "hours": [{"days": ["sat", "sun"], "opens": "20:00", "closes": "02:00"}],
            "exceptions": [{"date": "2026-12-25", "label": {"fr": "Noël", "en": "Christmas"}}],
        },
        lambda t: (
            (t.time_zone, t.routing.closing_cutoff_minutes, len(t.hours), len(t.exceptions))
            == ("America/Toronto", 30, 1, 1)
        ),
        {
            "time_zone": "Europe/Paris",
            "closing_cutoff_minutes": 15,
            "hours": [{"days": ["mon"], "opens": "10:00", "closes": "10:00"}],
        },
        "hours[0]",
        "same_opening_and_closing",
    ),
    "teams": (
        {
            "routing": ROUTING,
            "teams": [
                {"slug": "general", "name": "Renamed", "languages": ["fr", "en"]},
                {"name": "Nuit étudiante", "topics": ["anxiety"]},
            ],
        },
        lambda t: (
            (t.routing.mode, [(x.slug, x.name) for x in t.teams])
            == ("auto", [("general", "Renamed"), ("nuit-etudiante", "Nuit étudiante")])
        ),
        {"routing": ROUTING, "teams": [{"slug": "general", "name": ""}]},
        "teams[0].name",
        "required",
    ),
    "referrals": (
        {
            "referrals": [
                {"name": "SOS Amitié", "phone": "09 72 39 40 50", "hidden": True},
                {"key": "3114", "name": "3114", "phone": "3114", "emergency": True},
            ]
        },
        lambda t: (
            [(r.key, r.hidden) for r in t.referrals] == [("sos-amitie", True), ("3114", False)]
        ),
        {"referrals": [{"key": "3114", "name": "3114", "phone": "3114"}, {"name": "Nothing"}]},
        "referrals[1]",
        "referral_without_contact",
    ),
    "replies": (
        {
            "canned_replies": [
                {"key": "hello", "locale": "en", "title": "Hello", "body": "Hello, I am here."},
                {"locale": "fr", "title": "Au revoir", "body": "Merci de votre confiance."},
            ]
        },
        lambda t: (
            [(c.key, c.locale) for c in t.canned_replies] == [("au-revoir", "fr"), ("hello", "en")]
        ),
        {"canned_replies": [{"locale": "de", "title": "Hallo", "body": "Hallo."}]},
        "canned_replies[0].locale",
        "invalid_choice",
    ),
    "widget": (
        {"allowed_origins": ["https://www.example.org", "http://localhost:8000"]},
        lambda t: t.allowed_origins == ["http://localhost:8000", "https://www.example.org"],
        {"allowed_origins": ["https://ok.example", "https://bad.example/path"]},
        "allowed_origins[1]",
        "invalid_origin",
    ),
    "privacy": (
        {"retention_days": 30},
        lambda t: t.retention_days == 30,
        {"retention_days": 0},
        "retention_days",
        "too_small",
    ),
}


def api(slug: str, section: str) -> str:
    return f"/api/admin/{slug}/{section}"


@pytest.mark.parametrize("section", list(CASES))
async def test_valid_change_is_stored_and_audited(
    section: str,
    client: AsyncTestClient[Litestar],
    owner: Any,
    make_tenant: MakeTenant,
    headers_for: Headers,
) -> None:
    tenant = await make_tenant()
    headers = await headers_for(tenant.slug)
    body, is_stored, *_ = CASES[section]

    response = await client.put(api(tenant.slug, section), json=body, headers=headers)

    assert response.status_code == 200, response.text
    assert is_stored(await stored(owner, tenant.slug))
    [entry] = await audit_entries(owner, tenant.slug, f"settings.{section}")
    assert entry["target"] == tenant.slug
    assert entry["actor_id"] is not None
    assert entry["details"], "the entry names what changed"
    read_back = await client.get(api(tenant.slug, section), headers=headers)
    assert read_back.status_code == 200


@pytest.mark.parametrize("section", list(CASES))
async def test_invalid_input_is_refused_next_to_the_field_and_nothing_is_stored(
    section: str,
    client: AsyncTestClient[Litestar],
    owner: Any,
    make_tenant: MakeTenant,
    headers_for: Headers,
) -> None:
    tenant = await make_tenant()
    headers = await headers_for(tenant.slug)
    before = await stored(owner, tenant.slug)
    *_, body, field, code = CASES[section]

    response = await client.put(api(tenant.slug, section), json=body, headers=headers)

    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["code"] == "validation_failed"
    assert {"field": field, "code": code} in [
        {"field": e["field"], "code": e["code"]} for e in problem["errors"]
    ]
    assert all(e["message"] for e in problem["errors"])
    assert await stored(owner, tenant.slug) == before
    assert await audit_entries(owner, tenant.slug, f"settings.{section}") == []


async def test_field_errors_are_worded_in_the_admin_language(
    client: AsyncTestClient[Litestar], make_tenant: MakeTenant, headers_for: Headers
) -> None:
    tenant = await make_tenant()
    headers = await headers_for(tenant.slug)
    body = {"retention_days": 5000}

    english = await client.put(api(tenant.slug, "privacy"), json=body, headers=headers)
    french = await client.put(
        api(tenant.slug, "privacy"), json=body, headers={**headers, "accept-language": "fr"}
    )

    assert english.json()["errors"][0]["message"] == "At most 3650."
    assert french.json()["errors"][0]["message"] == "Au plus 3650."


async def test_an_unchanged_section_writes_no_audit_entry(
    client: AsyncTestClient[Litestar], owner: Any, make_tenant: MakeTenant, headers_for: Headers
) -> None:
    tenant = await make_tenant(retention_days=45)
    headers = await headers_for(tenant.slug)

    response = await client.put(
        api(tenant.slug, "privacy"), json={"retention_days": 45}, headers=headers
    )

    assert response.status_code == 200
    assert await audit_entries(owner, tenant.slug, "settings.privacy") == []


async def test_branding_returns_contrast_warnings_and_check_uses_the_same_formula(
    client: AsyncTestClient[Litestar], make_tenant: MakeTenant, headers_for: Headers
) -> None:
    tenant = await make_tenant()
    headers = await headers_for(tenant.slug)
    pale = {"primary_color": "#ffff00", "text_color": "#ffffff"}

    saved = await client.put(
        api(tenant.slug, "branding"),
        json={"name": tenant.name, "exit_url": "https://example.org/", "branding": pale},
        headers=headers,
    )
    checked = await client.post(api(tenant.slug, "branding/check"), json=pale, headers=headers)
    fine = await client.post(
        api(tenant.slug, "branding/check"),
        json={"primary_color": "#1f4e79", "text_color": "#ffffff"},
        headers=headers,
    )
    bad = await client.post(
        api(tenant.slug, "branding/check"),
        json={"primary_color": "#ffff00", "text_color": "white"},
        headers=headers,
    )

    codes = {"text_on_primary_low_contrast", "primary_on_page_low_contrast"}
    assert {w["code"] for w in saved.json()["warnings"]} == codes
    assert checked.status_code == 200
    assert checked.json() == saved.json()["warnings"]
    assert "WCAG AA" in checked.json()[0]["message"]
    assert fine.json() == []
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "text_color"


async def test_hours_preview_says_what_a_visitor_reads_and_stores_nothing(
    client: AsyncTestClient[Litestar], owner: Any, make_tenant: MakeTenant, headers_for: Headers
) -> None:
    tenant = await make_tenant()
    headers = await headers_for(tenant.slug)
    always = [{"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "opens": "00:00",
               "closes": "00:00"}]  # fmt: skip
    body = {"time_zone": "Europe/Paris", "closing_cutoff_minutes": 0, "hours": always}

    open_now = await client.post(api(tenant.slug, "hours/preview"), json=body, headers=headers)
    closed = await client.post(
        api(tenant.slug, "hours/preview"), json={**body, "hours": []}, headers=headers
    )

    assert open_now.status_code == 200, open_now.text
    assert open_now.json() == {
        "open": True,
        "accepting": True,
        "fr": "Ouvert en ce moment",
        "en": "Open now",
    }
    assert closed.json()["open"] is False
    assert closed.json()["en"] == "Closed for now"
    assert (await stored(owner, tenant.slug)).hours == tenant.hours


async def test_a_renamed_team_keeps_its_id_its_conversations_and_its_members(
    client: AsyncTestClient[Litestar],
    owner: Any,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
    headers_for: Headers,
) -> None:
    tenant = await make_tenant()
    headers = await headers_for(tenant.slug)
    listener = await make_staff(tenant.slug, "listener")
    listener_id = str(await owner.fetchval("SELECT id FROM staff_users WHERE email = $1", listener))
    team_of = "SELECT t.id FROM teams t JOIN organisations o ON o.id = t.organisation_id WHERE o.slug = $1 AND t.slug = 'general'"  # noqa: E501
    team_id = await owner.fetchval(team_of, tenant.slug)
    conversation = await owner.fetchval(
        "INSERT INTO conversations (organisation_id, team_id, locale)"
        " SELECT organisation_id, id, 'fr' FROM teams WHERE id = $1 RETURNING id",
        team_id,
    )
    teams = [{"slug": "general", "name": "Écoute du soir", "members": [listener_id]}]

    first = await client.put(
        api(tenant.slug, "teams"), json={"routing": ROUTING, "teams": teams}, headers=headers
    )
    read = await client.get(api(tenant.slug, "teams"), headers=headers)

    assert first.status_code == 200, first.text
    assert await owner.fetchval(team_of, tenant.slug) == team_id
    assert (
        await owner.fetchval("SELECT team_id FROM conversations WHERE id = $1", conversation)
        == team_id
    )
    assert read.json()["teams"][0]["members"] == [listener_id]
    assert listener_id in [s["id"] for s in read.json()["staff"]]
    [entry] = await audit_entries(owner, tenant.slug, "settings.teams")
    assert entry["details"]["changed"] == ["general"]


async def test_members_must_belong_to_the_organisation(
    client: AsyncTestClient[Litestar],
    owner: Any,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
    headers_for: Headers,
) -> None:
    tenant, other = await make_tenant(), await make_tenant()
    headers = await headers_for(tenant.slug)
    stranger = await make_staff(other.slug, "listener")
    stranger_id = str(await owner.fetchval("SELECT id FROM staff_users WHERE email = $1", stranger))
    teams = [{"slug": "general", "name": "General", "members": [stranger_id]}]

    response = await client.put(
        api(tenant.slug, "teams"), json={"routing": ROUTING, "teams": teams}, headers=headers
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "teams[0].members"
    assert (
        await owner.fetchval(
            "SELECT count(*) FROM team_members WHERE staff_id = $1::uuid", stranger_id
        )
        == 0
    )


async def test_a_team_granted_to_a_partner_cannot_be_deleted_from_under_the_grant(
    client: AsyncTestClient[Litestar], owner: Any, make_tenant: MakeTenant, headers_for: Headers
) -> None:
    partner = await make_tenant()
    host = await make_tenant(partners=[{"organisation": partner.slug, "teams": ["general"]}])
    headers = await headers_for(host.slug)

    response = await client.put(
        api(host.slug, "teams"), json={"routing": ROUTING, "teams": []}, headers=headers
    )

    assert response.status_code == 400
    assert response.json()["errors"][0] | {"message": ""} == {
        "field": "teams",
        "code": "team_granted_to_partner",
        "message": "",
    }
    assert [t.slug for t in (await stored(owner, host.slug)).teams] == ["general"]


async def test_referrals_reset_to_the_national_defaults_and_hidden_ones_leave_the_console(
    client: AsyncTestClient[Litestar], owner: Any, make_tenant: MakeTenant, headers_for: Headers
) -> None:
    tenant = await make_tenant()
    headers = await headers_for(tenant.slug)
    listener = await headers_for(tenant.slug, "listener")

    reset = await client.post(api(tenant.slug, "referrals/reset"), headers=headers)
    body = reset.json()
    body["referrals"][0]["hidden"] = True
    hidden = await client.put(api(tenant.slug, "referrals"), json=body, headers=headers)
    listed = await client.get(f"/api/tenants/{tenant.slug}/referrals", headers=listener)

    assert reset.status_code == 200, reset.text
    keys = [r.key for r in NATIONAL_REFERRALS]
    assert keys == ["3114", "samu", "112", "114", "sos-amitie", "suicide-ecoute",
                    "fil-sante-jeunes", "119", "3919"]  # fmt: skip
    assert [r.key for r in (await stored(owner, tenant.slug)).referrals] == keys
    assert hidden.status_code == 200
    assert [r["key"] for r in listed.json()] == keys[1:]
    assert len(await audit_entries(owner, tenant.slug, "settings.referrals")) == 2


async def test_referral_names_are_saved_and_given_back_in_french_and_english(
    client: AsyncTestClient[Litestar], owner: Any, make_tenant: MakeTenant, headers_for: Headers
) -> None:
    tenant = await make_tenant()
    headers = await headers_for(tenant.slug)
    samu = {"fr": "SAMU — 15", "en": "SAMU — 15, medical emergencies"}
    body = {
        "referrals": [
            {"key": "3114", "name": "3114", "phone": "3114", "emergency": True},  # file form
            {"name": samu, "phone": "15"},
            {"name": {"fr": "SOS Amitié"}, "phone": "09 72 39 40 50"},  # English left empty
            {"name": {"fr": "Fil Santé Jeunes", "en": "Fil Santé Jeunes"}, "phone": "119"},
        ]
    }

    saved = await client.put(api(tenant.slug, "referrals"), json=body, headers=headers)
    read_back = await client.get(api(tenant.slug, "referrals"), headers=headers)

    assert saved.status_code == 200, saved.text
    # As tenant files spell them: a pair only where the English words differ.
    assert [(r["key"], r["name"]) for r in saved.json()["referrals"]] == [
        ("3114", "3114"),
        ("samu-15", samu),
        ("sos-amitie", "SOS Amitié"),
        ("fil-sante-jeunes", "Fil Santé Jeunes"),
    ]
    assert read_back.json() == saved.json()
    referrals = (await stored(owner, tenant.slug)).referrals
    assert [r.name_in("en") for r in referrals] == [
        "3114",
        samu["en"],
        "SOS Amitié",
        "Fil Santé Jeunes",
    ]
    assert referrals[1].name == ReferralName(**samu)


@pytest.mark.parametrize(
    ("name", "field", "code"),
    [
        ({"fr": "SAMU", "en": "x" * 201}, "referrals[0].name.en", "too_long"),
        ({"fr": "SAMU", "en": ""}, "referrals[0].name.en", "required"),
        ({"en": "SAMU"}, "referrals[0].name.fr", "required"),
    ],
    ids=["english-too-long", "english-empty", "french-missing"],
)
async def test_a_refused_referral_name_is_named_by_its_language(
    client: AsyncTestClient[Litestar],
    owner: Any,
    make_tenant: MakeTenant,
    headers_for: Headers,
    name: dict[str, str],
    field: str,
    code: str,
) -> None:
    tenant = await make_tenant()
    headers = await headers_for(tenant.slug)
    before = await stored(owner, tenant.slug)
    body = {"referrals": [{"name": name, "phone": "15"}]}

    refused = await client.put(api(tenant.slug, "referrals"), json=body, headers=headers)

    assert refused.status_code == 400, refused.text
    assert [(e["field"], e["code"]) for e in refused.json()["errors"]] == [(field, code)]
    assert await stored(owner, tenant.slug) == before


async def test_audit_details_name_fields_never_the_texts(
    client: AsyncTestClient[Litestar], owner: Any, make_tenant: MakeTenant, headers_for: Headers
) -> None:
    tenant = await make_tenant()
    headers = await headers_for(tenant.slug)
    secret = "Un texte que le journal ne doit pas recopier"
    replies = [{"key": "hello", "locale": "fr", "title": "Bonjour", "body": secret}]

    await client.put(api(tenant.slug, "replies"), json={"canned_replies": replies}, headers=headers)

    [entry] = await audit_entries(owner, tenant.slug, "settings.replies")
    assert entry["details"] == {
        "added": [],
        "removed": ["hello/en"],
        "changed": ["hello/fr"],
        "reordered": False,
        "changes": [
            {
                "field": "canned_replies",
                "from": ["Hello (EN)", "Bonjour (FR)"],
                "to": ["Bonjour (FR)"],
            },
            {"field": "reply.body", "item": "Bonjour (FR)"},  # named, not quoted
        ],
    }
    assert secret not in str(entry)


async def test_widget_settings_give_the_snippet_with_the_public_url(
    client: AsyncTestClient[Litestar], app: Litestar, make_tenant: MakeTenant, headers_for: Headers
) -> None:
    tenant = await make_tenant()
    headers = await headers_for(tenant.slug)

    response = await client.get(api(tenant.slug, "widget"), headers=headers)

    public_url = app.state.settings.server.public_url
    assert response.json()["snippet"] == (
        f'<script src="{public_url}/widget.js" data-tenant="{tenant.slug}" async></script>'
    )
    assert response.json()["test_page"] == f"/admin/{tenant.slug}/widget/test"


def every_endpoint(slug: str) -> list[tuple[str, str, Any]]:
    calls: list[tuple[str, str, Any]] = []
    for section, (body, *_) in CASES.items():
        calls += [("GET", api(slug, section), None), ("PUT", api(slug, section), body)]
    calls += [
        (
            "POST",
            api(slug, "branding/check"),
            {"primary_color": "#000000", "text_color": "#ffffff"},
        ),
        ("POST", api(slug, "hours/preview"), CASES["hours"][0]),
        ("POST", api(slug, "referrals/reset"), None),
    ]
    return calls


@pytest.mark.parametrize(
    "caller",
    ["listener", "supervisor", "admin of another tenant", "partner listener", "partner admin",
     "listener of a partner not granted"],
)  # fmt: skip
async def test_only_the_tenant_admins_reach_any_endpoint(
    caller: str,
    client: AsyncTestClient[Litestar],
    owner: Any,
    make_tenant: MakeTenant,
    headers_for: Headers,
) -> None:
    partner, stranger = await make_tenant(), await make_tenant()
    tenant = await make_tenant(partners=[{"organisation": partner.slug}])
    home, role, status = {
        "listener": (tenant.slug, "listener", 403),
        "supervisor": (tenant.slug, "supervisor", 403),
        "admin of another tenant": (stranger.slug, "admin", 404),
        "partner listener": (partner.slug, "listener", 403),
        "partner admin": (partner.slug, "admin", 403),
        "listener of a partner not granted": (stranger.slug, "listener", 404),
    }[caller]
    headers = await headers_for(home, role)
    before = await stored(owner, tenant.slug)

    answers = {
        f"{method} {path}": await client.request(method, path, json=body, headers=headers)
        for method, path, body in every_endpoint(tenant.slug)
    }

    assert {call: r.status_code for call, r in answers.items()} == dict.fromkeys(answers, status)
    for response in answers.values():
        assert tenant.name not in response.text
    assert await stored(owner, tenant.slug) == before
    assert (
        await owner.fetchval(
            "SELECT count(*) FROM audit_log a JOIN organisations o ON o.id = a.organisation_id"
            " WHERE o.slug = $1 AND a.action LIKE 'settings.%'",
            tenant.slug,
        )
        == 0
    )


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"retention_days": 30, "purge": True}, "", "unknown_field"),
        ({"retention_days": "thirty"}, "retention_days", "whole_number"),
        ({}, "retention_days", "required"),
    ],
)
async def test_malformed_bodies_get_a_field_error_never_a_500(
    body: dict[str, Any],
    field: str,
    code: str,
    client: AsyncTestClient[Litestar],
    make_tenant: MakeTenant,
    headers_for: Headers,
) -> None:
    tenant = await make_tenant()
    headers = await headers_for(tenant.slug)

    response = await client.put(api(tenant.slug, "privacy"), json=body, headers=headers)
    not_an_object = await client.put(api(tenant.slug, "privacy"), json=[1, 2], headers=headers)
    not_json = await client.put(
        api(tenant.slug, "privacy"),
        content=b"{retention",
        headers={**headers, "content-type": "application/json"},
    )

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["field"], error["code"]) == (field, code)
    assert not_an_object.status_code == 400
    assert not_json.status_code == 400


async def test_two_admins_saving_different_sections_at_once_both_land(
    client: AsyncTestClient[Litestar], owner: Any, make_tenant: MakeTenant, headers_for: Headers
) -> None:
    tenant = await make_tenant()
    first, second = await headers_for(tenant.slug), await headers_for(tenant.slug, "owner")
    branding, *_ = CASES["branding"]

    answers = await asyncio.gather(
        client.put(api(tenant.slug, "branding"), json=branding, headers=first),
        client.put(api(tenant.slug, "privacy"), json={"retention_days": 12}, headers=second),
        client.put(api(tenant.slug, "widget"), json=CASES["widget"][0], headers=first),
    )

    assert [r.status_code for r in answers] == [200, 200, 200]
    saved = await stored(owner, tenant.slug)
    assert saved.name == "Ligne renommée"
    assert saved.retention_days == 12
    assert len(saved.allowed_origins) == 2


async def test_reading_branding_gives_every_value_defaults_included(
    client: AsyncTestClient[Litestar], make_tenant: MakeTenant, headers_for: Headers
) -> None:
    tenant = await make_tenant()  # default colours, which tenant files leave out
    headers = await headers_for(tenant.slug)

    response = await client.get(api(tenant.slug, "branding"), headers=headers)

    assert response.json()["branding"] == {
        "primary_color": "#1f4e79",
        "text_color": "#ffffff",
        "position": "right",
        "logo_url": None,
        "launcher_label": None,
        "welcome": None,
        "role_word": None,
    }
    assert response.json()["warnings"] == []


async def test_a_team_with_its_own_opening_hours_cannot_be_deleted_from_under_them(
    client: AsyncTestClient[Litestar], owner: Any, make_tenant: MakeTenant, headers_for: Headers
) -> None:
    tenant = await make_tenant(
        hours=[{"days": ["mon"], "opens": "09:00", "closes": "17:00", "team": "general"}]
    )
    headers = await headers_for(tenant.slug)

    response = await client.put(
        api(tenant.slug, "teams"), json={"routing": ROUTING, "teams": []}, headers=headers
    )

    assert response.status_code == 400
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
        ("teams", "team_has_hours")
    ]
    assert [h.team for h in (await stored(owner, tenant.slug)).hours] == ["general"]


async def test_the_shift_alert_limit_is_set_in_the_teams_section_and_checked(
    client: AsyncTestClient[Litestar], owner: Any, make_tenant: MakeTenant, headers_for: Headers
) -> None:
    tenant = await make_tenant()
    headers = await headers_for(tenant.slug)
    body = CASES["teams"][0]
    too_long = {**body, "routing": {**ROUTING, "shift_alert_minutes": 2000}}

    refused = await client.put(api(tenant.slug, "teams"), json=too_long, headers=headers)
    saved = await client.put(
        api(tenant.slug, "teams"),
        json={**body, "routing": {**ROUTING, "shift_alert_minutes": 180}},
        headers=headers,
    )

    assert refused.status_code == 400
    assert {"field": "routing.shift_alert_minutes", "code": "too_large"} in [
        {"field": e["field"], "code": e["code"]} for e in refused.json()["errors"]
    ]
    assert saved.status_code == 200, saved.text
    assert saved.json()["routing"]["shift_alert_minutes"] == 180
    assert (await stored(owner, tenant.slug)).routing.shift_alert_minutes == 180


async def test_saving_teams_keeps_the_routing_settings_this_section_does_not_show(
    client: AsyncTestClient[Litestar], owner: Any, make_tenant: MakeTenant, headers_for: Headers
) -> None:
    tenant = await make_tenant(routing={"shift_alert_minutes": 300, "closing_cutoff_minutes": 30})
    headers = await headers_for(tenant.slug)
    body = CASES["teams"][0]

    saved = await client.put(api(tenant.slug, "teams"), json=body, headers=headers)

    assert saved.status_code == 200, saved.text
    routing = (await stored(owner, tenant.slug)).routing
    assert (routing.mode, routing.shift_alert_minutes, routing.closing_cutoff_minutes) == (
        "auto",
        300,
        30,
    )


async def test_the_lines_topics_and_a_teams_role_word_are_saved_and_read_back(
    client: AsyncTestClient[Litestar], owner: Any, make_tenant: MakeTenant, headers_for: Headers
) -> None:
    tenant = await make_tenant()
    headers = await headers_for(tenant.slug)
    role = {"fr": "une psychologue du service", "en": "a psychologist of the service"}
    teams = [{"slug": "general", "name": "General", "topics": ["exams"], "role_word": role}]

    response = await client.put(
        api(tenant.slug, "teams"),
        json={"routing": ROUTING, "topics": ["stress", "exams"], "teams": teams},
        headers=headers,
    )
    older_page = await client.put(
        api(tenant.slug, "teams"), json={"routing": ROUTING, "teams": teams}, headers=headers
    )

    assert response.status_code == older_page.status_code == 200, response.text
    saved = await stored(owner, tenant.slug)
    assert saved.topics == ["stress", "exams"]  # an older page leaving topics out keeps them
    assert saved.teams[0].role_word is not None
    assert (saved.teams[0].role_word.fr, saved.teams[0].role_word.en) == (role["fr"], role["en"])
    read = (await client.get(api(tenant.slug, "teams"), headers=headers)).json()
    assert read["topics"] == ["stress", "exams"]
    assert read["teams"][0]["role_word"] == role


async def test_a_team_topic_the_line_does_not_list_is_refused_next_to_the_team(
    client: AsyncTestClient[Litestar], owner: Any, make_tenant: MakeTenant, headers_for: Headers
) -> None:
    tenant = await make_tenant()
    headers = await headers_for(tenant.slug)
    before = await stored(owner, tenant.slug)
    teams = [{"slug": "general", "name": "General", "topics": ["grief"]}]

    response = await client.put(
        api(tenant.slug, "teams"),
        json={"routing": ROUTING, "topics": ["exams"], "teams": teams},
        headers=headers,
    )

    assert response.status_code == 400, response.text
    [error] = response.json()["errors"]
    assert (error["field"], error["code"]) == ("teams[0].topics", "topic_not_listed")
    assert error["message"] == "This topic is not one of the line's topics: add it first."
    assert await stored(owner, tenant.slug) == before


@pytest.mark.parametrize(
    ("section", "body", "field"),
    [
        ("widget", {"allowed_origins": ["http://127.0.0.1:8000\n"]}, "allowed_origins[0]"),
        (
            "referrals",
            {"referrals": [{"key": "3114\n", "name": "3114", "phone": "3114"}]},
            "referrals[0].key",
        ),
        (
            "replies",
            {"canned_replies": [{"key": "hi\n", "locale": "en", "title": "Hi", "body": "Hi."}]},
            "canned_replies[0].key",
        ),
        (
            "teams",
            {"routing": ROUTING, "teams": [{"slug": "general\n", "name": "G"}]},
            "teams[0].slug",
        ),
        (
            "branding",
            {
                "name": "Ligne",
                "exit_url": "https://example.org/",
                "branding": {"primary_color": "#1f4e79\n", "text_color": "#ffffff"},
            },
            "branding.primary_color",
        ),
        (
            "teams",
            {"routing": ROUTING, "teams": [{"slug": "general", "name": "Nuit\nJour"}]},
            "teams[0].name",
        ),
        (
            "replies",
            {"canned_replies": [{"locale": "en", "title": "Hi\tthere", "body": "Hi."}]},
            "canned_replies[0].title",
        ),
    ],
    ids=["origin", "referral_key", "reply_key", "team_slug", "colour", "team_name", "title"],
)
async def test_a_value_ending_in_a_line_break_is_refused_next_to_its_field(
    client: AsyncTestClient[Litestar],
    owner: Any,
    make_tenant: MakeTenant,
    headers_for: Headers,
    section: str,
    body: dict[str, Any],
    field: str,
) -> None:
    tenant = await make_tenant()
    headers = await headers_for(tenant.slug)
    before = await stored(owner, tenant.slug)

    response = await client.put(api(tenant.slug, section), json=body, headers=headers)

    assert response.status_code == 400, response.text
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert await stored(owner, tenant.slug) == before
    served = await client.get(f"/w/{tenant.slug}")
    assert served.status_code == 200  # the chat page is still served to every visitor
