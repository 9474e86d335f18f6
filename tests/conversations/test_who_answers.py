"""What the visitor is told about who answers: the listener's chosen name, their team's role
word, and after a reload the same, or the crisis resources once a high-risk chat has ended."""

from __future__ import annotations

from typing import Any

from server.tenants.structs import Localised, Team
from tests.conftest import MakeTenant
from tests.conversations.clients import open_visitor
from tests.conversations.conftest import OpenListener, StartVisitor, claimed

PSY = Localised(fr="une psychologue du service", en="a psychologist of the service")


async def test_the_visitor_learns_the_listeners_chosen_name_and_their_teams_role_word(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    owner: Any,
    live_host: str,
) -> None:
    tenant = await open_tenant(
        teams=[Team(slug="psy", name="Psychologues", languages=["fr", "en"], role_word=PSY)]
    )
    listener = await open_listener(tenant.slug)
    email = listener.email  # type: ignore[attr-defined]
    await owner.execute("UPDATE staff_users SET visitor_name = 'Camille' WHERE email = $1", email)
    await owner.execute(
        "INSERT INTO team_members (organisation_id, team_id, staff_id) "
        "SELECT t.organisation_id, t.id, s.id FROM teams t, staff_users s "
        "JOIN organisations o ON true WHERE o.slug = $1 AND t.organisation_id = o.id "
        "AND s.email = $2",
        tenant.slug,
        email,
    )
    visitor, started = await start_visitor(tenant.slug)
    cid = started["conversation_id"]

    await listener.send({"type": "claim", "conversation_id": cid})
    joined = await visitor.of_type("state", state="active")

    assert joined["listener"] == {"name": "Camille", "role": {"fr": PSY.fr, "en": PSY.en}}
    again = await open_visitor(live_host, started["token"])
    try:
        welcome = again.received("welcome")[0]
        assert welcome["state"] == "active"
        assert welcome["listener"] == joined["listener"]
    finally:
        await again.close()


async def test_without_a_chosen_name_or_team_word_the_visitor_reads_the_lines_role_word(
    open_tenant: MakeTenant, start_visitor: StartVisitor, open_listener: OpenListener
) -> None:
    tenant = await open_tenant()
    listener = await open_listener(tenant.slug)
    visitor, started = await start_visitor(tenant.slug)

    await listener.send({"type": "claim", "conversation_id": started["conversation_id"]})
    joined = await visitor.of_type("state", state="active")

    assert joined["listener"] == {}


async def test_a_line_without_teams_is_answered_and_its_visitor_told_so(
    open_tenant: MakeTenant, start_visitor: StartVisitor, open_listener: OpenListener
) -> None:
    tenant = await open_tenant(teams=[])  # its chats are unrouted: no team, no role word
    listener = await open_listener(tenant.slug)
    visitor, started = await start_visitor(tenant.slug)

    await listener.send({"type": "claim", "conversation_id": started["conversation_id"]})
    joined = await visitor.of_type("state", state="active")

    assert joined["listener"] == {}
    assert (await listener.of_type("assigned"))["conversation"]["team"] is None


async def test_a_visitor_reloading_after_a_high_risk_end_gets_the_crisis_resources_again(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    live_host: str,
) -> None:
    tenant = await open_tenant()
    listener = await open_listener(tenant.slug)
    visitor, cid = await claimed(listener, start_visitor, tenant.slug)
    await listener.send({"type": "set_risk", "conversation_id": cid, "level": "high"})
    await listener.of_type("risk", conversation_id=cid, level="high")

    await visitor.send({"type": "end"})
    ended = await visitor.of_type("state", state="ended")
    assert ended["crisis_help"] is True

    again = await open_visitor(live_host, visitor.token)  # type: ignore[attr-defined]
    try:
        welcome = again.received("welcome")[0]
        assert (welcome["state"], welcome["crisis_help"]) == ("ended", True)
    finally:
        await again.close()


async def test_a_visitor_reloading_after_an_ordinary_end_is_not_sent_crisis_resources(
    open_tenant: MakeTenant,
    start_visitor: StartVisitor,
    open_listener: OpenListener,
    live_host: str,
) -> None:
    tenant = await open_tenant()
    listener = await open_listener(tenant.slug)
    visitor, _ = await claimed(listener, start_visitor, tenant.slug)

    await visitor.send({"type": "end"})
    await visitor.of_type("state", state="ended")

    again = await open_visitor(live_host, visitor.token)  # type: ignore[attr-defined]
    try:
        welcome = again.received("welcome")[0]
        assert welcome["state"] == "ended"
        assert "crisis_help" not in welcome
    finally:
        await again.close()
