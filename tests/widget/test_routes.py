"""The widget's HTTP side: loader, iframe page, public config, hashed compressed assets."""

from __future__ import annotations

import gzip
import re

import brotli
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.conftest import MakeTenant

ALWAYS_OPEN = [
    {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "opens": "00:00", "closes": "00:00"}
]
Client = AsyncTestClient[Litestar]


async def test_loader_is_cached_briefly_with_an_etag(client: Client) -> None:
    response = await client.get("/widget.js", headers={"Accept-Encoding": "identity"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["cache-control"] == "public, max-age=300"
    etag = response.headers["etag"]
    assert "window.Havre" in response.text
    again = await client.get("/widget.js", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""


async def test_loader_stays_under_three_kilobytes_gzipped(client: Client) -> None:
    response = await client.get("/widget.js", headers={"Accept-Encoding": "identity"})
    assert len(gzip.compress(response.content, 9)) <= 3 * 1024


async def test_frame_page_has_its_own_policy(client: Client, make_tenant: MakeTenant) -> None:
    tenant = await make_tenant(allowed_origins=["https://partner.example", "http://localhost:8080"])
    response = await client.get(f"/w/{tenant.slug}?locale=en")
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors http://localhost:8080 https://partner.example;" in policy
    assert "script-src 'self';" in policy
    assert "'unsafe-inline'" not in policy
    assert response.headers.get_list("content-security-policy") == [policy]
    assert '<html lang="en">' in response.text
    assert "<script>" not in response.text
    scripts = re.findall(r'src="(/widget/assets/app\.[0-9a-f]{12}\.js)"', response.text)
    styles = re.findall(r'href="(/widget/assets/app\.[0-9a-f]{12}\.css)"', response.text)
    assert len(scripts) == 1
    assert len(styles) == 1


async def test_frame_without_allowed_origins_cannot_be_framed(
    client: Client, make_tenant: MakeTenant
) -> None:
    tenant = await make_tenant()
    response = await client.get(f"/w/{tenant.slug}")
    assert "frame-ancestors 'none';" in response.headers["content-security-policy"]
    assert '<html lang="fr">' in response.text


async def test_unknown_tenant_is_404(client: Client) -> None:
    assert (await client.get("/w/nobody-here")).status_code == 404
    assert (await client.get("/api/widget/nobody-here/config")).status_code == 404
    assert (await client.get("/w/NOT_A_SLUG")).status_code == 404


async def test_config_is_public_and_cacheable(client: Client, make_tenant: MakeTenant) -> None:
    tenant = await make_tenant(
        hours=ALWAYS_OPEN,
        exit_url="https://meteo.example/",
        branding={"primary_color": "#123456", "launcher_label": {"fr": "Parler", "en": "Talk"}},
        teams=[{"slug": "etudes", "name": "Études", "topics": ["studies"]}],
    )
    response = await client.get(f"/api/widget/{tenant.slug}/config?locale=en")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, no-cache"
    assert response.headers["access-control-allow-origin"] == "*"
    body = response.json()
    assert body["name"] == tenant.name
    assert body["locale"] == "en"
    assert body["default_locale"] == "fr"
    assert body["open"] is True
    assert body["accepting"] is True
    assert body["hours"] == {"fr": "Ouvert en ce moment", "en": "Open now"}
    assert body["branding"]["primary_color"] == "#123456"
    assert body["branding"]["launcher_label"] == {"fr": "Parler", "en": "Talk"}
    assert body["exit_url"] == "https://meteo.example/"
    assert body["topics"] == ["studies"]
    assert body["referrals"][0]["emergency"] is True
    assert body["referrals"][0]["phone"] == "3114"
    assert body["texts"]["launcher"] == "Talk to someone"
    again = await client.get(
        f"/api/widget/{tenant.slug}/config?locale=en",
        headers={"If-None-Match": response.headers["etag"]},
    )
    assert again.status_code == 304


async def test_each_visitor_reads_the_referral_names_in_their_own_language(
    client: Client, make_tenant: MakeTenant
) -> None:
    samu = {"fr": "SAMU — 15", "en": "SAMU — 15, medical emergencies"}
    tenant = await make_tenant(
        hours=[],
        referrals=[
            {"key": "samu", "name": samu, "phone": "15", "emergency": True},
            {"key": "sos", "name": "SOS Amitié", "phone": "09 72 39 40 50"},
        ],
    )
    names: dict[str, list[str]] = {}
    for locale in ("fr", "en"):
        config = (await client.get(f"/api/widget/{tenant.slug}/config?locale={locale}")).json()
        # The closed line's answer to a visitor who tries anyway lists them too.
        refused = await client.post(
            "/api/conversations", json={"tenant": tenant.slug, "locale": locale, "consent": True}
        )
        assert refused.json()["code"] == "tenant_closed"
        assert refused.json()["referrals"] == config["referrals"]
        names[locale] = [r["name"] for r in config["referrals"]]

    assert names == {"fr": ["SAMU — 15", "SOS Amitié"], "en": [samu["en"], "SOS Amitié"]}


async def test_config_of_a_closed_line_says_when_it_opens(
    client: Client, make_tenant: MakeTenant
) -> None:
    tenant = await make_tenant(hours=[])
    body = (await client.get(f"/api/widget/{tenant.slug}/config")).json()
    assert body["locale"] == "fr"
    assert body["open"] is False
    assert body["accepting"] is False
    assert body["hours"] == {"fr": "Fermé pour le moment", "en": "Closed for now"}
    assert body["texts"]["launcher"] == "Parler à quelqu'un"


async def test_assets_are_immutable_and_precompressed(
    client: Client, make_tenant: MakeTenant
) -> None:
    tenant = await make_tenant()
    page = (await client.get(f"/w/{tenant.slug}")).text
    (script,) = re.findall(r'src="(/widget/assets/[^"]+)"', page)
    plain = await client.get(script, headers={"Accept-Encoding": "identity"})
    assert plain.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert plain.headers["vary"] == "Accept-Encoding"
    assert "content-encoding" not in plain.headers
    raw = await client.get(script, headers={"Accept-Encoding": "gzip, br"})
    assert raw.headers["content-encoding"] == "br"
    assert raw.headers["vary"] == "Accept-Encoding"
    assert raw.content == plain.content  # httpx decodes brotli when it can
    gz = await client.get(script, headers={"Accept-Encoding": "gzip"})
    assert gz.headers["content-encoding"] == "gzip"
    assert gz.content == plain.content
    assert (await client.get("/widget/assets/app.000000000000.js")).status_code == 404


def test_brotli_and_gzip_bodies_decode_to_the_file() -> None:
    from server.widget.assets import choose_encoding
    from server.widget.routes import ASSETS

    for asset in [ASSETS.loader, *ASSETS.by_name.values()]:
        raw = asset.bodies["identity"]
        assert gzip.decompress(asset.bodies["gzip"]) == raw
        assert brotli.decompress(asset.bodies["br"]) == raw
    assert choose_encoding("gzip, deflate, br") == "br"
    assert choose_encoding("gzip, br;q=0") == "gzip"
    assert choose_encoding("") == "identity"
    assert choose_encoding("*") == "br"


async def test_config_gives_readable_colours_for_a_failing_pair(
    client: Client, make_tenant: MakeTenant
) -> None:
    tenant = await make_tenant(branding={"primary_color": "#ffee00", "text_color": "#ffffff"})
    body = (await client.get(f"/api/widget/{tenant.slug}/config")).json()
    assert body["branding"]["text_color"] == "#ffffff"  # what the tenant chose, as it is
    assert body["palette"]["primary"] == "#ffee00"
    assert body["palette"]["on_primary"] == "#000000"  # what the widget writes with


async def test_the_tenant_logo_origin_is_the_only_other_image_source(
    client: Client, make_tenant: MakeTenant
) -> None:
    tenant = await make_tenant(branding={"logo_url": "https://cdn.partner.example/logo.svg"})
    policy = (await client.get(f"/w/{tenant.slug}")).headers["content-security-policy"]
    assert "img-src 'self' data: https://cdn.partner.example;" in policy


async def test_preview_page_is_framed_by_havre_and_can_only_fetch_its_config(
    client: Client, make_tenant: MakeTenant
) -> None:
    tenant = await make_tenant(allowed_origins=["https://partner.example"])
    response = await client.get(f"/w/{tenant.slug}?preview=1&locale=en")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'self' https://partner.example;" in policy
    # No socket, no POST /api/conversations: the one address it may reach is its config.
    assert f"connect-src testserver.local/api/widget/{tenant.slug}/config;" in policy
    assert "ws://" not in policy
    (script,) = re.findall(r'src="(/widget/assets/preview\.[0-9a-f]{12}\.js)"', response.text)
    code = (await client.get(script)).text
    assert "WebSocket" not in code
    assert "/api/conversations" not in code
    assert "havre:preview" in code
    chat = (await client.get(f"/w/{tenant.slug}")).text
    assert "/widget/assets/app." in chat
    assert "preview." not in chat


async def test_preview_without_allowed_origins_is_still_framed_by_havre(
    client: Client, make_tenant: MakeTenant
) -> None:
    tenant = await make_tenant()
    policy = (await client.get(f"/w/{tenant.slug}?preview=1")).headers["content-security-policy"]
    assert "frame-ancestors 'self';" in policy


async def test_everything_until_usable_stays_under_25_kilobytes_gzipped(
    client: Client, make_tenant: MakeTenant
) -> None:
    tenant = await make_tenant(hours=ALWAYS_OPEN)
    identity = {"Accept-Encoding": "identity"}
    page = await client.get(f"/w/{tenant.slug}", headers=identity)
    (script,) = re.findall(r'src="(/widget/assets/[^"]+)"', page.text)
    (style,) = re.findall(r'href="(/widget/assets/[^"]+)"', page.text)
    bodies = [
        (await client.get(url, headers=identity)).content
        for url in ("/widget.js", f"/api/widget/{tenant.slug}/config", script, style)
    ]
    # One config: the chat takes the loader's (test_config_once.py proves it in Chromium).
    total = sum(len(gzip.compress(body, 9)) for body in [page.content, *bodies])
    assert total <= 25 * 1024


async def test_text_responses_name_their_charset_once(
    client: Client, make_tenant: MakeTenant
) -> None:
    tenant = await make_tenant()
    page = await client.get(f"/w/{tenant.slug}")
    (script,) = re.findall(r'src="(/widget/assets/[^"]+)"', page.text)
    (style,) = re.findall(r'href="(/widget/assets/[^"]+)"', page.text)
    types = [
        page.headers["content-type"],
        (await client.get("/widget.js")).headers["content-type"],
        (await client.get(script)).headers["content-type"],
        (await client.get(style)).headers["content-type"],
    ]
    assert types == [
        "text/html; charset=utf-8",
        "text/javascript; charset=utf-8",
        "text/javascript; charset=utf-8",
        "text/css; charset=utf-8",
    ]


async def test_the_hosted_chat_page_is_the_chat_and_can_never_be_framed(
    client: Client, make_tenant: MakeTenant
) -> None:
    tenant = await make_tenant(allowed_origins=["https://partner.example"])
    response = await client.get(f"/c/{tenant.slug}?locale=en")
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none';" in policy
    assert "partner.example" not in policy
    assert '<html lang="en">' in response.text
    assert re.search(r'src="/widget/assets/app\.[0-9a-f]{12}\.js"', response.text)
    assert (await client.get("/c/nobody-here")).status_code == 404
