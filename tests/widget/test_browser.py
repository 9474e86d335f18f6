"""The widget in a real Chromium, embedded by a host page on another origin."""

from __future__ import annotations

from typing import Any

from playwright.async_api import Page, expect

from tests.conftest import MakeTenant
from tests.conversations.conftest import OpenListener
from tests.widget.conftest import (
    HostSite,
    chat_frame,
    claimed,
    launcher_point,
    open_widget,
    reload_chat,
    start_chat,
)


async def test_visitor_consents_queues_and_talks_with_a_listener(
    page: Page, host_site: HostSite, widget_tenant: MakeTenant, open_listener: OpenListener
) -> None:
    tenant = await widget_tenant()
    listener = await open_listener(tenant.slug)
    frame = await open_widget(page, host_site, tenant.slug)
    start = frame.locator("#start")
    await expect(start).to_be_disabled()
    await frame.get_by_label("J'ai compris").check()
    await start.click()
    await expect(frame.locator("#status")).to_contain_text("position 1")
    assert await page.evaluate("Object.keys(sessionStorage).length") == 0  # host untouched
    assert await page.evaluate("document.cookie") == ""

    snapshot = await listener.next(
        lambda f: f["type"] == "queue_snapshot" and len(f["entries"]) > 0
    )
    cid = next(e for e in snapshot["entries"] if e["tenant"] == tenant.slug)["conversation_id"]
    await listener.send({"type": "claim", "conversation_id": cid})
    await listener.of_type("assigned")
    await expect(frame.locator("#status")).to_have_text("Un·e bénévole formé·e est avec vous.")
    await expect(frame.locator(".msg.system").first).to_have_text(
        "Havre : Un·e bénévole formé·e a rejoint la discussion et vous lit."
    )

    await frame.get_by_label("Votre message").fill("Bonsoir, ça ne va pas")
    await frame.get_by_label("Votre message").press("Enter")
    heard = await listener.of_type("message", conversation_id=cid)
    assert heard["body"] == "Bonsoir, ça ne va pas"
    await expect(frame.locator(".msg.visitor .mark")).to_have_text("Envoyé")
    await listener.send({"type": "typing", "conversation_id": cid})
    await expect(frame.locator("#typing")).to_be_visible()
    await listener.say(cid, "Bonsoir, je suis là.")
    await expect(frame.locator(".msg.listener")).to_contain_text("Bonsoir, je suis là.")
    await expect(frame.locator("#log")).to_have_attribute("aria-live", "polite")
    await listener.of_type("read", conversation_id=cid)
    await listener.send({"type": "read", "conversation_id": cid, "seq": heard["seq"]})
    await expect(frame.locator(".msg.visitor .mark")).to_have_text("Lu")

    stored = await frame.evaluate(
        "slug => JSON.parse(sessionStorage.getItem('havre:' + slug))", tenant.slug
    )
    assert stored["token"]
    assert stored["last_seq"] == 2

    await page.evaluate("void Havre.on('conversation:ended', p => { window.endedWith = p.state; })")
    await listener.send(
        {"type": "end", "conversation_id": cid,
         "wrapup": {"topics": [], "risk_level": "none", "outcome": "supported"}}
    )  # fmt: skip
    await listener.next(lambda f: f["type"] in ("state", "unassigned", "error"))
    assert listener.received("error") == []
    await expect(frame.locator("#status")).to_contain_text("La discussion est terminée")
    assert await page.evaluate("window.endedWith") == "ended"
    await frame.get_by_role("button", name="5 sur 5").click()
    await expect(frame.locator("#rating")).to_contain_text("Merci")
    assert page.errors == []  # type: ignore[attr-defined]


async def test_reload_resumes_and_messages_typed_offline_are_resent(
    page: Page, host_site: HostSite, widget_tenant: MakeTenant, open_listener: OpenListener
) -> None:
    tenant = await widget_tenant()
    listener = await open_listener(tenant.slug)
    frame = await open_widget(page, host_site, tenant.slug)
    await frame.get_by_label("J'ai compris").check()
    await frame.locator("#start").click()
    snapshot = await listener.next(
        lambda f: f["type"] == "queue_snapshot" and len(f["entries"]) > 0
    )
    cid = snapshot["entries"][0]["conversation_id"]
    await listener.send({"type": "claim", "conversation_id": cid})
    await listener.of_type("assigned")
    await listener.say(cid, "Premier message")
    await expect(frame.locator(".msg.listener")).to_have_count(1)

    frame = await reload_chat(page, frame)
    await expect(frame.locator(".msg.listener")).to_contain_text("Premier message")

    await page.context.set_offline(True)
    await expect(frame.locator("#status")).to_contain_text("reconnexion", timeout=15000)
    await frame.get_by_label("Votre message").fill("Écrit hors ligne")
    await frame.get_by_role("button", name="Envoyer").click()
    await expect(frame.locator(".msg.visitor .mark")).to_have_text("En attente d'envoi")
    await page.context.set_offline(False)
    heard = await listener.of_type("message", conversation_id=cid, author="visitor")
    assert heard["body"] == "Écrit hors ligne"
    await expect(frame.locator(".msg.visitor .mark")).to_have_text("Envoyé", timeout=15000)


async def test_quick_exit_replaces_the_page_and_clears_the_session(
    page: Page, host_site: HostSite, widget_tenant: MakeTenant, open_listener: OpenListener
) -> None:
    tenant = await widget_tenant()
    listener = await open_listener(tenant.slug)
    frame = await open_widget(page, host_site, tenant.slug)
    await frame.get_by_label("J'ai compris").check()
    await frame.locator("#start").click()
    await expect(frame.locator("#status")).to_contain_text("position")
    snapshot = await listener.next(
        lambda f: f["type"] == "queue_snapshot" and len(f["entries"]) > 0
    )
    cid = snapshot["entries"][0]["conversation_id"]
    await frame.get_by_role("button", name="Sortie rapide").click()
    await page.wait_for_url(host_site.exit_url)
    assert await page.title() == "Météo"
    # The conversation was ended (abandoned while queued): it left the queue.
    await listener.next(
        lambda f: (
            f["type"] == "queue_snapshot" and all(e["conversation_id"] != cid for e in f["entries"])
        )
    )
    # Nothing is left in the chat's sessionStorage: back on the host, the chat starts afresh.
    await page.goto(host_site.url(tenant.slug))
    await page.wait_for_selector("havre-widget", state="attached")
    await page.evaluate("Havre.open()")
    frame = await chat_frame(page)
    await expect(frame.locator("#consent")).to_be_visible()
    assert await frame.evaluate("sessionStorage.length") == 0
    assert await page.evaluate("sessionStorage.length") == 0


async def test_closed_line_shows_referrals_and_no_queue(
    page: Page, host_site: HostSite, widget_tenant: MakeTenant
) -> None:
    tenant = await widget_tenant(hours=[])
    frame = await open_widget(page, host_site, tenant.slug)
    await expect(frame.locator("#closed")).to_be_visible()
    await expect(frame.locator(".hours")).to_have_text("Fermé pour le moment")
    call = frame.locator(".referrals").get_by_role("link", name="Appeler 3114")
    await expect(call).to_have_attribute("href", "tel:3114")
    await expect(frame.locator(".urgent .strip a")).to_have_attribute("href", "tel:3114")
    assert await frame.locator("#prechat, #status, #message").count() == 0


async def closed_shadow_links(page: Page) -> list[tuple[str, str]]:
    """(href, text) of every link inside closed shadow roots, in document order."""
    cdp = await page.context.new_cdp_session(page)
    root = (await cdp.send("DOM.getDocument", {"depth": -1, "pierce": True}))["root"]
    found: list[tuple[str, str]] = []

    def walk(node: dict[str, Any], closed: bool) -> None:
        for shadow in node.get("shadowRoots", []):
            walk(shadow, closed or shadow.get("shadowRootType") == "closed")
        if closed and node.get("nodeName") == "A":
            attributes = node.get("attributes", [])
            href = dict(zip(attributes[::2], attributes[1::2], strict=True)).get("href", "")
            text = "".join(c.get("nodeValue", "") for c in node.get("children", []))
            found.append((href, text))
        for child in node.get("children", []):
            walk(child, closed)

    walk(root, False)
    return found


async def test_a_site_not_allowed_gets_the_emergency_numbers_and_the_hosted_chat_link(
    page: Page, host_site: HostSite, widget_tenant: MakeTenant
) -> None:
    tenant = await widget_tenant(allowed_origins=["https://partner.example"])
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    await page.goto(host_site.url(tenant.slug))
    await page.wait_for_selector("havre-widget", state="attached")
    await page.mouse.click(*await launcher_point(page))

    # The launcher's panel is a closed shadow root: read through the DevTools protocol.
    links = await closed_shadow_links(page)
    assert links[0] == (
        f"{host_site.havre_url}/c/{tenant.slug}?locale=fr",
        "Ouvrir la discussion dans une nouvelle page",
    )
    assert ("tel:3114", "3114") in links
    assert [f for f in page.frames if f != page.main_frame] == []
    assert not [url for url in requested if "/w/" in url or "/widget/assets/" in url]

    # The hosted page is the whole chat on Havre's own origin.
    await page.goto(f"{host_site.havre_url}/c/{tenant.slug}")
    await expect(page.locator("#consent")).to_be_visible()
    assert await page.title() == tenant.name


async def test_a_page_that_is_not_allowed_cannot_frame_the_chat(
    page: Page, host_site: HostSite, widget_tenant: MakeTenant
) -> None:
    """A page that frames /w/ itself, without the loader, gets Chromium's error page."""
    tenant = await widget_tenant(allowed_origins=["https://partner.example"])
    assets: list[str] = []
    page.on("request", lambda r: assets.append(r.url) if "/widget/assets/" in r.url else None)
    src = f"{host_site.havre_url}/w/{tenant.slug}"
    async with page.expect_response(lambda r: "/w/" in r.url):
        await page.goto(f"{host_site.origin}/frame?src={src}")
    await page.wait_for_load_state("load")
    frames = [f for f in page.frames if f != page.main_frame]
    assert len(frames) == 1
    assert await frames[0].locator("#app").count() == 0
    assert assets == []  # the chat's script and style were never requested


async def test_hostile_host_css_still_shows_a_working_launcher(
    page: Page, host_site: HostSite, widget_tenant: MakeTenant
) -> None:
    tenant = await widget_tenant(
        branding={"launcher_label": {"fr": "Besoin de parler ?", "en": "Need to talk?"}}
    )
    frame = await open_widget(page, host_site, tenant.slug, hostile="1")
    await expect(frame.locator("#consent")).to_be_visible()


async def test_a_host_with_a_strict_content_security_policy_still_shows_a_working_launcher(
    page: Page, host_site: HostSite, widget_tenant: MakeTenant
) -> None:
    # Hosts that forbid inline styles are common; the launcher is placed by its own style
    # sheet, so a click where it should be proves the sheet applied.
    violations: list[str] = []
    page.on(
        "console", lambda m: violations.append(m.text) if "Content Security" in m.text else None
    )
    tenant = await widget_tenant()
    frame = await open_widget(page, host_site, tenant.slug, strict="1")
    await expect(frame.locator("#consent")).to_be_visible()
    assert violations == []


async def test_keyboard_only(page: Page, host_site: HostSite, widget_tenant: MakeTenant) -> None:
    tenant = await widget_tenant()
    await page.goto(host_site.url(tenant.slug, locale="en"))
    await page.wait_for_selector("havre-widget", state="attached")
    await page.keyboard.press("Tab")  # the host's link
    await page.keyboard.press("Tab")  # the launcher
    await page.keyboard.press("Enter")
    frame = await chat_frame(page)
    await expect(frame.locator("#consent")).to_be_focused(timeout=5000)
    await page.keyboard.press("Space")
    await page.keyboard.press("Tab")  # language
    await page.keyboard.press("Tab")  # start
    await expect(frame.locator("#start")).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(frame.locator("#status")).to_contain_text("number 1")
    await expect(frame.locator("#message")).to_be_focused()
    await page.keyboard.type("Hello")
    await page.keyboard.press("Enter")
    await expect(frame.locator(".msg.visitor .mark")).to_have_text("Delivered")


async def test_unknown_tenant_logs_one_error_and_draws_nothing(
    page: Page, host_site: HostSite
) -> None:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    async with page.expect_console_message(
        lambda m: m.type == "error" and m.text.startswith("Havre:")
    ):
        await page.goto(host_site.url("nobody-here"))
    await page.wait_for_function("typeof Havre === 'object'")
    assert await page.locator("havre-widget").count() == 0
    assert len([e for e in errors if e.startswith("Havre:")]) == 1
    assert page.errors == []  # type: ignore[attr-defined]
    await page.evaluate("Havre.open(); Havre.close()")


async def test_read_marks_survive_a_reload(page: Page, live_chat: Any) -> None:
    frame, listener, cid = await live_chat(page)
    await frame.get_by_label("Votre message").fill("Bonsoir")
    await frame.get_by_label("Votre message").press("Enter")
    heard = await listener.of_type("message", conversation_id=cid)
    await frame.get_by_label("Votre message").fill("Vous êtes là ?")
    await frame.get_by_label("Votre message").press("Enter")
    await listener.of_type("message", conversation_id=cid)
    await listener.send({"type": "read", "conversation_id": cid, "seq": heard["seq"]})
    marks = frame.locator(".msg.visitor .mark")
    await expect(marks).to_have_text(["Lu", "Envoyé"])

    frame = await reload_chat(page, frame)
    await expect(frame.locator(".msg.visitor .mark")).to_have_text(["Lu", "Envoyé"])


async def test_the_visitor_reads_the_listeners_chosen_name_and_it_stays_after_a_reload(
    page: Page,
    host_site: HostSite,
    widget_tenant: MakeTenant,
    open_listener: OpenListener,
    owner: Any,
) -> None:
    tenant = await widget_tenant()
    listener = await open_listener(tenant.slug)
    email = listener.email  # type: ignore[attr-defined]
    await owner.execute("UPDATE staff_users SET visitor_name = 'Camille' WHERE email = $1", email)
    frame = await open_widget(page, host_site, tenant.slug)
    await start_chat(frame)
    await claimed(listener, tenant.slug)

    await expect(frame.locator(".msg.system").last).to_have_text(
        "Havre : Camille, un·e bénévole formé·e, a rejoint la discussion et vous lit."
    )
    await expect(frame.locator("#status")).to_have_text(
        "Camille, un·e bénévole formé·e, est avec vous."
    )
    frame = await reload_chat(page, frame)
    await expect(frame.locator("#status")).to_have_text(
        "Camille, un·e bénévole formé·e, est avec vous."
    )
