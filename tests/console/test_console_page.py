"""The listener console page and the one endpoint it adds: canned replies a listener reads."""

from __future__ import annotations

import html
import json
import re
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.conftest import MakeStaff, MakeTenant, sign_in


def canned(slug: str, locale: str | None = None) -> str:
    query = f"?locale={locale}" if locale else ""
    return f"/api/tenants/{slug}/canned-replies{query}"


async def bearer(client: AsyncTestClient[Litestar], email: str) -> None:
    """Signs in for the rest of the test (the cookies are Secure, the test client is http)."""
    tokens = await sign_in(client, email)
    client.headers["authorization"] = f"Bearer {tokens['access_token']}"


def data_attribute(page: str, name: str) -> Any:
    found = re.search(rf'data-{name}="([^"]*)"', page)
    assert found, f"data-{name} missing"
    return json.loads(html.unescape(found.group(1)))


async def test_signed_out_the_console_leads_to_the_sign_in_page(
    client: AsyncTestClient[Litestar],
) -> None:
    response = await client.get("/console/", follow_redirects=False)
    assert response.status_code in (302, 303, 307)
    assert response.headers["location"] == "/sign-in?next=/console/"


async def test_the_console_renders_in_french_and_english_with_its_lines_for_the_scripts(
    client: AsyncTestClient[Litestar], make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    tenant = await make_tenant(
        teams=[
            {"slug": "general", "name": "General", "languages": ["fr"], "topics": ["loneliness"]},
            {"slug": "night", "name": "Night", "languages": ["fr"]},
        ]
    )
    listener = await make_staff(tenant.slug, "listener")
    colleague = await make_staff(tenant.slug, "listener")
    await bearer(client, listener)

    french_page = (await client.get("/console/?lang=fr")).text
    english = (await client.get("/console/?lang=en")).text
    french = html.unescape(french_page)

    assert "Console d'écoute" in french
    assert "En attente" in french
    assert "Disponible" in french
    assert "Listener console" in english
    assert "Waiting" in english
    assert "Available" in english
    assert 'src="/static/console/main.js"' in english
    assert '<template id="tpl-conversation">' in english
    texts = data_attribute(english, "texts")
    assert texts["con_js_whisper"] == "Supervisor (only you see this)"
    assert data_attribute(french_page, "texts")["con_js_whisper"].startswith("Superviseur")
    config = data_attribute(english, "config")
    (line,) = config["lines"]
    assert line["slug"] == tenant.slug
    assert line["name"] == tenant.name
    assert line["capacity"] == 2  # the tenant's default
    assert [t["slug"] for t in line["teams"]] == ["general", "night"]
    # The line's topics (here its teams'), not what its referrals are for.
    assert line["topics"] == ["loneliness"]
    colleagues = {c["name"] for c in line["colleagues"]}
    # Shown by a name (no display name here: the address's local part), never an address.
    assert colleague.split("@")[0] in colleagues
    assert listener.split("@")[0] not in colleagues
    assert not any("@" in name for name in colleagues)


async def test_hostile_names_reach_the_page_escaped_only(
    client: AsyncTestClient[Litestar], make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    hostile = "<script>alert(1)</script>\"'{{ 7*7 }}"
    tenant = await make_tenant(name=hostile)
    await bearer(client, await make_staff(tenant.slug, "listener"))

    page = (await client.get("/console/?lang=en")).text

    assert "<script>alert(1)" not in page
    assert data_attribute(page, "config")["lines"][0]["name"] == hostile


async def test_a_listener_reads_canned_replies_in_the_conversation_language(
    client: AsyncTestClient[Litestar], make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    tenant = await make_tenant()
    await bearer(client, await make_staff(tenant.slug, "listener"))

    french = await client.get(canned(tenant.slug, "fr"))
    both = await client.get(canned(tenant.slug))
    wrong = await client.get(canned(tenant.slug, "de"))

    assert french.status_code == 200, french.text
    assert french.json() == [
        {"key": "hello", "locale": "fr", "title": "Bonjour", "body": "Bonjour, je vous écoute."}
    ]
    assert {r["locale"] for r in both.json()} == {"fr", "en"}
    assert wrong.status_code == 400
    assert wrong.headers["content-type"].startswith("application/problem+json")


async def test_a_listener_of_another_tenant_cannot_read_its_canned_replies(
    client: AsyncTestClient[Litestar], make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    tenant = await make_tenant()
    other = await make_tenant()
    await bearer(client, await make_staff(other.slug, "listener"))

    response = await client.get(canned(tenant.slug, "fr"))

    assert response.status_code == 404
    assert response.json()["code"] == "tenant_not_found"


async def test_a_partner_reads_them_only_once_granted(
    client: AsyncTestClient[Litestar], make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    partner = await make_tenant()
    stranger = await make_tenant()
    host = await make_tenant(partners=[{"organisation": partner.slug}])
    await bearer(client, await make_staff(stranger.slug, "listener"))
    refused = await client.get(canned(host.slug, "fr"))
    await bearer(client, await make_staff(partner.slug, "listener"))
    granted = await client.get(canned(host.slug, "fr"))

    assert refused.status_code == 404
    assert granted.status_code == 200
    assert [r["key"] for r in granted.json()] == ["hello"]


async def test_signed_out_the_canned_replies_answer_401(
    client: AsyncTestClient[Litestar], make_tenant: MakeTenant
) -> None:
    tenant = await make_tenant()
    response = await client.get(canned(tenant.slug, "fr"))
    assert response.status_code == 401
