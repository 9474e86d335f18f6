"""A reconnecting widget asks for what it has shown, not for what was acknowledged: a
listener's message overtaken by the visitor's own ack still reaches the visitor, once."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable
from typing import Any

from playwright.async_api import Page, WebSocketRoute, expect

from tests.conftest import MakeTenant
from tests.conversations.conftest import OpenListener
from tests.widget.conftest import HostSite, open_widget, start_chat

Frame = dict[str, Any]


class VisitorRelay:
    """Stands between the widget and /ws/visitor. While `hold_from` is set, the server's
    `message` frames stop at the relay from the first one it matches on, as if the server had
    not yet fanned them out; every other frame goes through, and so does everything on the
    sockets opened after a cut."""

    def __init__(self) -> None:
        self.links: list[tuple[WebSocketRoute, WebSocketRoute]] = []
        self.to_page: list[Frame] = []
        self.held: list[Frame] = []
        self.hold_from: Callable[[Frame], bool] | None = None
        self.changed = asyncio.Event()

    def open(self, page_side: WebSocketRoute) -> None:
        server_side = page_side.connect_to_server()
        self.links.append((page_side, server_side))
        holding = False

        def from_server(raw: str | bytes) -> None:
            nonlocal holding
            frame = json.loads(raw)
            if frame["type"] == "message" and self.hold_from is not None:
                holding = holding or self.hold_from(frame)
            if holding and frame["type"] == "message":
                self.held.append(frame)
            else:
                page_side.send(raw)
                self.to_page.append(frame)
            self.changed.set()

        server_side.on_message(from_server)

    async def until(self, condition: Callable[[], bool], wait: float = 10.0) -> None:
        async def poll() -> None:
            while not condition():
                self.changed.clear()
                await self.changed.wait()

        await asyncio.wait_for(poll(), wait)

    async def cut(self) -> None:
        """The network drops the current socket under the widget; nothing is held after it."""
        self.hold_from = None
        page_side, server_side = self.links[-1]
        await server_side.close(code=1001, reason="going away")
        await page_side.close(code=4000, reason="network lost")


async def test_a_listener_message_overtaken_by_the_visitors_ack_is_shown_after_a_reconnect(
    page: Page, host_site: HostSite, widget_tenant: MakeTenant, open_listener: OpenListener
) -> None:
    tenant = await widget_tenant()
    listener = await open_listener(tenant.slug)
    relay = VisitorRelay()
    await page.route_web_socket(re.compile(r".*/ws/visitor$"), relay.open)
    frame = await open_widget(page, host_site, tenant.slug)
    await start_chat(frame)
    snapshot = await listener.next(
        lambda f: f["type"] == "queue_snapshot" and len(f["entries"]) > 0
    )
    cid = snapshot["entries"][0]["conversation_id"]
    await listener.send({"type": "claim", "conversation_id": cid})
    await listener.of_type("assigned")

    # The listener's next message, and every message after it, stay in the relay, as if
    # still on their way through the server.
    asked = "Tu es toujours là ?"
    relay.hold_from = lambda f: f["author"] == "listener" and f["body"] == asked
    said = await listener.say(cid, asked)
    await relay.until(lambda: any(f["seq"] == said["seq"] for f in relay.held))

    # The visitor answers; the server commits it after the listener's message and acks it.
    answer = "Oui, je suis là."
    await frame.get_by_label("Votre message").fill(answer)
    await frame.get_by_label("Votre message").press("Enter")
    mine = frame.locator(".msg.visitor").filter(has_text=answer)
    await expect(mine.locator(".mark")).to_have_attribute("data-state", "delivered")
    assert any(f["type"] == "ack" and f["seq"] > said["seq"] for f in relay.to_page)

    # The socket drops before the listener's message reached the widget.
    await relay.cut()
    await relay.until(lambda: len(relay.links) == 2)
    later = "Je t'écoute."
    await listener.say(cid, later)  # delivered in order: after it, nothing earlier is on its way
    await expect(frame.locator(".msg.listener").filter(has_text=later)).to_have_count(1)

    await expect(frame.locator(".msg.listener").filter(has_text=asked)).to_have_count(1)
    await expect(mine).to_have_count(1)
    assert page.errors == []  # type: ignore[attr-defined]
