"""The admin console's pages: the lines one administers, each section in French and English,
sign-in when signed out, and nothing for staff who do not administer the line."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.conftest import MakeStaff, MakeTenant, sign_in


async def signed_in_as(client: AsyncTestClient[Litestar], email: str) -> None:
    """Pages read the access token from the cookie or, as here, from the Authorization header
    (the test client, on plain http, would not send the Secure cookie)."""
    tokens = await sign_in(client, email)
    client.cookies.clear()
    client.headers["authorization"] = f"Bearer {tokens['access_token']}"


SECTIONS = ["", "branding", "hours", "teams", "referrals", "replies", "widget", "privacy"]
HEADINGS = {
    "": ("Vue d'ensemble", "Overview"),
    "branding": ("Apparence du widget", "Widget branding"),
    "hours": ("Horaires d'ouverture", "Opening hours"),
    "teams": ("Équipes et routage", "Teams and routing"),
    "referrals": ("Liste d'orientations", "Referral list"),
    "replies": ("Réponses types", "Canned replies"),
    "widget": ("Installer le widget", "Install the widget"),
    "privacy": ("Confidentialité", "Privacy"),
}
NAV = ["branding", "hours", "teams", "referrals", "replies", "staff", "widget", "privacy",
       "audit", "dashboard"]  # fmt: skip


@pytest.mark.parametrize("section", SECTIONS)
@pytest.mark.parametrize("lang", ["fr", "en"])
async def test_each_section_renders_in_both_languages_with_the_navigation(
    section: str,
    lang: str,
    client: AsyncTestClient[Litestar],
    make_tenant: MakeTenant,
    make_staff: MakeStaff,
) -> None:
    tenant = await make_tenant()
    await signed_in_as(client, await make_staff(tenant.slug, "admin"))

    response = await client.get(f"/admin/{tenant.slug}/{section}?lang={lang}")

    assert response.status_code == 200, response.text
    page = response.text
    assert f'<html lang="{lang}">' in page
    heading = HEADINGS[section][0 if lang == "fr" else 1]
    assert heading in html.unescape(page)
    for link in NAV:
        assert f'href="/admin/{tenant.slug}/{link}"' in page
    if section:
        assert f'href="/admin/{tenant.slug}/{section}" aria-current="page"' in page
        assert f'src="/static/admin/{section}.js"' in page
    # The strict policy allows neither inline scripts nor style attributes.
    assert "<script>" not in page
    assert " style=" not in page


async def test_overview_shows_the_retention_and_what_visitors_read_now(
    client: AsyncTestClient[Litestar], make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    tenant = await make_tenant(retention_days=120)
    await signed_in_as(client, await make_staff(tenant.slug, "owner"))

    page = (await client.get(f"/admin/{tenant.slug}/?lang=en")).text

    assert "Conversations kept for: 120 days" in page
    assert re.search(r'class="badge (open|closed)"', page)


async def test_the_admin_home_lists_only_the_lines_one_administers(
    client: AsyncTestClient[Litestar], make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    mine, served = await make_tenant(), await make_tenant()
    email = await make_staff(mine.slug, "admin")
    partner_host = await make_tenant(partners=[{"organisation": mine.slug}])
    await make_staff(served.slug, "listener", email=email)
    await signed_in_as(client, email)

    page = (await client.get("/admin/")).text

    assert f'href="/admin/{mine.slug}/"' in page
    assert served.slug not in page  # a listener there
    assert partner_host.slug not in page  # served through a partner grant


@pytest.mark.parametrize("section", [*SECTIONS, "widget/test"])
async def test_signed_out_visitors_are_sent_to_sign_in(
    section: str, client: AsyncTestClient[Litestar], make_tenant: MakeTenant
) -> None:
    tenant = await make_tenant()

    response = await client.get(f"/admin/{tenant.slug}/{section}", follow_redirects=False)

    assert response.status_code in (302, 303, 307)
    assert response.headers["location"].startswith("/sign-in?next=/admin/")
    assert tenant.name not in response.text


async def test_signed_out_admin_home_is_sent_to_sign_in(
    client: AsyncTestClient[Litestar],
) -> None:
    response = await client.get("/admin/", follow_redirects=False)

    assert response.headers["location"] == "/sign-in?next=/admin/"


@pytest.mark.parametrize("role", ["listener", "supervisor"])
async def test_staff_who_do_not_administer_the_line_get_404(
    role: str, client: AsyncTestClient[Litestar], make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    tenant, other = await make_tenant(), await make_tenant()
    await signed_in_as(client, await make_staff(tenant.slug, role))

    answers = [await client.get(f"/admin/{tenant.slug}/{s}") for s in SECTIONS]
    await signed_in_as(client, await make_staff(other.slug, "admin"))
    foreign = [await client.get(f"/admin/{tenant.slug}/{s}") for s in SECTIONS]

    for response in answers + foreign:
        assert response.status_code == 404
        assert tenant.name not in response.text


async def test_the_widget_test_page_loads_the_real_loader_under_its_own_policy(
    client: AsyncTestClient[Litestar], make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    tenant = await make_tenant(allowed_origins=["https://www.example.org"])
    await signed_in_as(client, await make_staff(tenant.slug, "admin"))

    response = await client.get(f"/admin/{tenant.slug}/widget/test?lang=en")

    assert response.status_code == 200
    assert f'<script src="/widget.js" data-tenant="{tenant.slug}"' in response.text
    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy
    assert "unsafe-eval" not in policy
    assert "unsafe-inline" not in policy
    assert "is not among the allowed websites" in response.text


async def test_user_strings_are_escaped_in_every_page(
    client: AsyncTestClient[Litestar], make_tenant: MakeTenant, make_staff: MakeStaff
) -> None:
    hostile = '<img src=x onerror="alert(1)">{{ 7*7 }}'
    tenant = await make_tenant(
        name=hostile,
        teams=[{"slug": "general", "name": hostile}],
        referrals=[{"key": "x", "name": hostile, "url": "https://example.org/"}],
        canned_replies=[{"key": "x", "locale": "fr", "title": hostile, "body": hostile}],
    )
    await signed_in_as(client, await make_staff(tenant.slug, "admin"))

    pages: list[Any] = [await client.get(f"/admin/{tenant.slug}/{s}") for s in SECTIONS]

    for response in pages:
        assert response.status_code == 200
        assert "<img src=x" not in response.text
        assert "49" not in re.findall(r">([^<]*)<", response.text)
