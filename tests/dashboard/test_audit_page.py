"""The audit log page and its JSON: filters, pages of 50 by id, actors by name, fr/en labels,
and only the tenant's own admins may read it."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.admin.structs import SECTIONS
from server.dashboard.audit_labels import ACTION_LABELS
from server.db import Database
from tests.conftest import MakeStaff, MakeTenant
from tests.dashboard.conftest import Headers, Line, MakeLine, Owner

Client = AsyncTestClient[Litestar]
NOON = datetime(2026, 3, 10, 11, 0, tzinfo=UTC)  # 12:00 in Paris


async def staff_id(owner: Owner, email: str) -> UUID:
    found: UUID = await owner.fetchval("SELECT id FROM staff_users WHERE email = $1", email)
    return found


async def log(
    owner: Owner,
    line: Line,
    action: str,
    *,
    actor: UUID | None = None,
    at: datetime = NOON,
    target: str = "",
    details: dict[str, Any] | None = None,
) -> int:
    entry: int = await owner.fetchval(
        "INSERT INTO audit_log (organisation_id, actor_id, action, target, details, created_at) "
        "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        line.id,
        actor,
        action,
        target,
        details or {},
        at,
    )
    return entry


async def audit(client: Client, line: Line, headers: dict[str, str], **params: Any) -> Any:
    response = await client.get(f"/api/tenants/{line.slug}/audit", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_filters_by_action_actor_and_days_of_the_tenants_calendar(
    client: Client, owner: Owner, make_line: MakeLine, make_staff: MakeStaff, bearer: Headers
) -> None:
    line = await make_line()
    admin = await staff_id(owner, line.admin_email)
    camille = await staff_id(
        owner, await make_staff(line.slug, "listener", "camille.x@line.example")
    )
    first = await log(owner, line, "settings.hours", actor=admin, at=NOON - timedelta(days=2))
    second = await log(
        owner, line, "staff.role_changed", actor=admin, target="camille.x@line.example"
    )
    third = await log(owner, line, "staff.sign_in", actor=camille, at=NOON + timedelta(days=1))
    # 23:30 UTC on the 10th is already the 11th in Paris.
    late = await log(
        owner, line, "staff.sign_in", actor=camille, at=datetime(2026, 3, 10, 23, 30, tzinfo=UTC)
    )
    headers = await bearer(line.admin_email)

    def ids(body: Any) -> list[int]:
        return [e["id"] for e in body["entries"] if e["id"] in (first, second, third, late)]

    everything = await audit(client, line, headers)
    assert ids(everything) == [late, third, second, first]  # newest first
    by_action = await audit(client, line, headers, action="staff.sign_in")
    assert ids(by_action) == [late, third]
    assert {e["action"] for e in by_action["entries"]} == {"staff.sign_in"}
    by_actor = await audit(client, line, headers, actor="CAMILLE.x")
    assert [e["id"] for e in by_actor["entries"]] == [late, third]
    assert by_actor["entries"][0]["actor"]["email"] == "camille.x@line.example"
    one_day = await audit(client, line, headers, **{"from": "2026-03-10", "to": "2026-03-10"})
    assert ids(one_day) == [second]
    from_11th = await audit(client, line, headers, **{"from": "2026-03-11"})
    assert ids(from_11th) == [late, third]
    nobody = await audit(client, line, headers, actor="nobody-here@example.org")
    assert nobody["entries"] == []
    assert {"staff.sign_in", "staff.role_changed", "settings.hours"} <= set(everything["actions"])


async def test_pages_of_50_by_id_in_both_directions(
    client: Client, owner: Owner, make_line: MakeLine, bearer: Headers
) -> None:
    line = await make_line()
    admin = await staff_id(owner, line.admin_email)
    made = [
        await log(owner, line, "settings.privacy", actor=admin, target=f"n{n}") for n in range(120)
    ]
    newest_first = sorted(made, reverse=True)
    headers = await bearer(line.admin_email)
    filters = {"action": "settings.privacy"}

    page1 = await audit(client, line, headers, **filters)
    assert [e["id"] for e in page1["entries"]] == newest_first[:50]
    assert page1["newer"] is None
    assert page1["older"] == newest_first[49]
    page2 = await audit(client, line, headers, older=page1["older"], **filters)
    assert [e["id"] for e in page2["entries"]] == newest_first[50:100]
    assert page2["newer"] == newest_first[50]
    page3 = await audit(client, line, headers, older=page2["older"], **filters)
    assert [e["id"] for e in page3["entries"]] == newest_first[100:]
    assert page3["older"] is None
    back = await audit(client, line, headers, newer=page3["newer"], **filters)
    assert [e["id"] for e in back["entries"]] == newest_first[50:100]
    assert back["older"] == page2["older"]
    assert back["newer"] == page2["newer"]


async def test_actors_are_named_only_if_they_belong_to_or_acted_in_the_tenant(
    db: Database, owner: Owner, make_line: MakeLine
) -> None:
    a = await make_line()
    b = await make_line()
    a_admin, b_admin = await staff_id(owner, a.admin_email), await staff_id(owner, b.admin_email)
    async with db.tenant_transaction(a.id) as conn:
        before = await conn.fetch("SELECT id FROM havre_audit_actors($1, NULL)", [a_admin, b_admin])
        by_email = await conn.fetch("SELECT id FROM havre_audit_actors(NULL, $1)", b.admin_email)
    assert [r["id"] for r in before] == [a_admin]
    assert by_email == []
    # Someone of another organisation who acted here (e.g. a partner's listener) gets a name.
    await log(owner, a, "transcript.view", actor=b_admin)
    async with db.tenant_transaction(a.id) as conn:
        after = await conn.fetch("SELECT id FROM havre_audit_actors($1, NULL)", [b_admin])
    assert [r["id"] for r in after] == [b_admin]
    async with db.transaction() as conn:  # no tenant: nobody
        assert await conn.fetch("SELECT id FROM havre_audit_actors(NULL, '')") == []


async def test_another_tenants_entries_never_show(
    client: Client, owner: Owner, make_line: MakeLine, bearer: Headers
) -> None:
    a = await make_line()
    b = await make_line()
    mine = await log(owner, a, "settings.branding")
    theirs = await log(owner, b, "settings.branding")
    body = await audit(client, a, await bearer(a.admin_email))
    ids = [e["id"] for e in body["entries"]]
    assert mine in ids
    assert theirs not in ids


async def test_actions_read_in_french_or_english_with_the_raw_code_as_fallback(
    client: Client, owner: Owner, make_line: MakeLine, bearer: Headers
) -> None:
    line = await make_line()
    admin = await staff_id(owner, line.admin_email)
    await log(owner, line, "staff.sign_in", actor=admin)
    await log(owner, line, "something.new_here", actor=admin)
    headers = await bearer(line.admin_email)
    url = f"/admin/{line.slug}/audit"

    fr = await client.get(url, params={"lang": "fr"}, headers=headers)
    en = await client.get(url, params={"lang": "en"}, headers=headers)
    api_fr = await audit(client, line, {**headers, "accept-language": "fr"})

    assert fr.status_code == en.status_code == 200
    assert "Journal d'audit" in html.unescape(fr.text)
    assert '<span class="action-label">Connexion</span>' in fr.text
    assert "Audit log" in en.text
    assert '<span class="action-label">Sign-in</span>' in en.text
    assert '<span class="action-label">something.new_here</span>' in en.text
    assert {e["action"]: e["label"] for e in api_fr["entries"]} == {
        "staff.sign_in": "Connexion",
        "something.new_here": "something.new_here",
    }
    assert line.admin_email in en.text


async def test_the_page_escapes_what_it_shows_and_links_pages_with_the_filters(
    client: Client, owner: Owner, make_line: MakeLine, bearer: Headers
) -> None:
    line = await make_line()
    for n in range(51):
        await log(
            owner,
            line,
            "settings.referrals",
            target=f"<script>alert({n})</script>",
            details={"name": "<img src=x onerror=alert(1)>"},
        )
    response = await client.get(
        f"/admin/{line.slug}/audit",
        params={"action": "settings.referrals", "lang": "en"},
        headers=await bearer(line.admin_email),
    )
    assert response.status_code == 200
    assert "<script>alert(" not in response.text
    assert "&lt;script&gt;alert(50)&lt;/script&gt;" in response.text
    assert "<img src=x" not in response.text
    assert response.text.count("<tr data-id=") == 50
    assert "action=settings.referrals&amp;lang=en&amp;older=" in response.text


@pytest.mark.parametrize(
    ("params", "code", "field"),
    [
        ({"from": "10/03/2026"}, "invalid_date", "from"),
        ({"from": "2026-03-10", "to": "2026-03-09"}, "invalid_date_range", "to"),
        ({"action": "DROP TABLE"}, "invalid_filter", "action"),
        ({"older": "-1"}, "invalid_filter", "older"),
        ({"newer": "abc"}, "invalid_filter", "newer"),
        ({"older": "²"}, "invalid_filter", "older"),  # a digit to str.isdigit, not to int
    ],
)
async def test_bad_filters_answer_400_with_a_stable_code(
    client: Client,
    make_line: MakeLine,
    bearer: Headers,
    params: dict[str, str],
    code: str,
    field: str,
) -> None:
    line = await make_line()
    headers = await bearer(line.admin_email)
    api = await client.get(f"/api/tenants/{line.slug}/audit", params=params, headers=headers)
    assert api.status_code == 400
    assert api.json()["code"] == code
    assert api.json()["field"] == field
    page = await client.get(f"/admin/{line.slug}/audit", params=params, headers=headers)
    assert page.status_code == 400
    assert 'role="alert"' in page.text


@pytest.mark.parametrize("path", ["/api/tenants/{slug}/audit", "/admin/{slug}/audit"])
async def test_only_the_tenants_own_admins_read_the_audit_log(
    client: Client,
    make_line: MakeLine,
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
    bearer: Headers,
    path: str,
) -> None:
    line = await make_line()
    other = await make_line()
    partner = await make_tenant()
    host = await make_tenant(partners=[{"organisation": partner.slug}])

    async def status(email: str, slug: str = line.slug) -> int:
        url = path.format(slug=slug)
        return (await client.get(url, headers=await bearer(email))).status_code

    assert await status(line.admin_email) == 200
    assert await status(await make_staff(line.slug, "owner")) == 200
    assert await status(await make_staff(line.slug, "listener")) == 403
    assert await status(await make_staff(line.slug, "supervisor")) == 403
    assert await status(other.admin_email) == 404
    assert await status(await make_staff(partner.slug, "admin"), host.slug) == 403
    signed_out = await client.get(path.format(slug=line.slug), follow_redirects=False)
    assert signed_out.status_code in (401, 302, 303, 307)


def test_every_action_the_server_writes_has_a_french_and_english_label() -> None:
    server = Path(__file__).parents[2] / "server"
    written = {
        match
        for path in server.rglob("*.py")
        for match in re.findall(r'action="([a-z_]+\.[a-z_.]+)"', path.read_text(encoding="utf-8"))
    }
    written |= {f"settings.{section}" for section in SECTIONS}  # admin/service.py's f-string
    written |= {"staff.deactivated", "staff.reactivated"}  # chosen by a conditional expression
    assert "staff.sign_in" in written
    assert sorted(written - ACTION_LABELS.keys()) == []
    assert all(set(label) == {"fr", "en"} for label in ACTION_LABELS.values())


UUID_PATTERN = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)


async def test_a_settings_change_reads_as_words_with_the_admins_name_and_no_ids(
    client: Client, owner: Owner, make_line: MakeLine, make_staff: MakeStaff, bearer: Headers
) -> None:
    line = await make_line()
    await owner.execute(
        "UPDATE staff_users SET display_name = 'Camille Martin' WHERE email = $1", line.admin_email
    )
    listener = await make_staff(line.slug, "listener", f"alex@{line.slug}.example")
    await owner.execute("UPDATE staff_users SET display_name = 'Alex' WHERE email = $1", listener)
    headers = await bearer(line.admin_email)
    api = f"/api/admin/{line.slug}"
    read = (await client.get(f"{api}/branding", headers=headers)).json()
    colours = {k: v for k, v in read["branding"].items() if v is not None}
    branding = {**read, "branding": {**colours, "primary_color": "#ffee00"}}
    branding.pop("warnings", None)
    teams = (await client.get(f"{api}/teams", headers=headers)).json()
    kept = next(t for t in teams["teams"] if t["slug"] == "general")
    kept["members"] = [str(await staff_id(owner, listener))]
    routing = {**teams["routing"], "default_capacity": 3}
    saved = [
        await client.put(f"{api}/branding", json=branding, headers=headers),
        await client.put(
            f"{api}/teams",
            json={"routing": routing, "teams": [{k: v for k, v in kept.items() if v is not None}]},
            headers=headers,
        ),
    ]
    assert [r.status_code for r in saved] == [200, 200], [r.text for r in saved]

    fr = await client.get(f"/admin/{line.slug}/audit", params={"lang": "fr"}, headers=headers)
    en = await client.get(f"/admin/{line.slug}/audit", params={"lang": "en"}, headers=headers)

    assert fr.status_code == en.status_code == 200
    page_fr, page_en = html.unescape(fr.text), html.unescape(en.text)
    for page in (page_fr, page_en):
        assert "Camille Martin" in page
        assert not UUID_PATTERN.search(page), UUID_PATTERN.findall(page)
    assert "<li>Couleur principale : #1f4e79 → #ffee00</li>" in page_fr
    assert "<li>Conversations simultanées par défaut : 2 → 3</li>" in page_fr
    assert "<li>Équipes : English, Général → Général</li>" in page_fr
    assert "<li>Général — Membres : — → Alex</li>" in page_fr
    assert "<li>Primary colour: #1f4e79 → #ffee00</li>" in page_en
    assert "<li>Default simultaneous chats: 2 → 3</li>" in page_en
    assert "<li>Teams: English, Général → Général</li>" in page_en
