"""Topics are keys in tenant files and names in each reader's language."""

from __future__ import annotations

from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.dashboard.demo_history import PROFILES
from server.tenants.files import parse_tenant_file
from server.tenants.parsing import rule_violations
from server.tenants.structs import Referral, Team
from server.tenants.topics import TOPIC_LABELS, line_topics, topic_choices, topic_label
from tests.conftest import REPO, MakeTenant, tenant_file


def test_every_topic_of_the_vocabulary_is_named_in_french_and_english() -> None:
    for key, names in TOPIC_LABELS.items():
        assert set(names) == {"fr", "en"}, key
        assert all(name.strip() for name in names.values()), key


@pytest.mark.parametrize("path", sorted((REPO / "tenants").glob("*.toml")), ids=lambda p: p.stem)
def test_every_topic_the_demo_tenants_use_has_a_name(path: Path) -> None:
    tenant = parse_tenant_file(path)
    used = {t for team in tenant.teams for t in team.topics} | set(tenant.topics)
    used |= {t for referral in tenant.referrals for t in referral.topics}
    assert sorted(used - TOPIC_LABELS.keys()) == []


def test_a_key_outside_the_vocabulary_is_shown_as_written() -> None:
    assert topic_label("anxiety", "fr") == "Anxiété"
    assert topic_label("night-owls", "fr") == "night owls"


async def test_the_widget_config_names_the_topics_in_the_visitor_s_language(
    client: AsyncTestClient[Litestar], make_tenant: MakeTenant
) -> None:
    tenant = await make_tenant(
        teams=[{"slug": "general", "name": "General", "topics": ["loneliness", "exams"]}]
    )
    for locale, expected in (
        ("fr", {"exams": "Examens", "loneliness": "Solitude"}),
        ("en", {"exams": "Exams", "loneliness": "Loneliness"}),
    ):
        response = await client.get(f"/api/widget/{tenant.slug}/config", params={"locale": locale})
        assert response.status_code == 200
        assert response.json()["topic_labels"] == expected


def test_the_lines_own_topic_list_comes_first_then_its_teams_topics_never_referrals() -> None:
    teams = [Team(slug="a", name="A", topics=["exams", "sleep"]), Team(slug="b", name="B",
             topics=["sleep", "grief"])]  # fmt: skip
    referrals = [Referral(key="r", name="R", phone="3114", topics=["emergency", "medical"])]

    listed = tenant_file(None, topics=["grief", "exams", "sleep"], teams=teams)
    derived = tenant_file(None, teams=teams, referrals=referrals)

    assert line_topics(listed) == ["grief", "exams", "sleep"]
    assert line_topics(derived) == ["exams", "sleep", "grief"]


def test_a_team_routing_by_a_topic_the_line_does_not_list_is_refused() -> None:
    tenant = tenant_file(
        None,
        topics=["exams", "exams"],
        teams=[Team(slug="a", name="A", topics=["exams", "grief"])],
    )
    found = {(v.where, v.code) for v in rule_violations(tenant)}
    assert found == {("topics", "duplicate_topic"), ("teams[0].topics", "topic_not_listed")}
    assert rule_violations(tenant_file(None, teams=[Team(slug="a", name="A", topics=["x"])])) == []


def test_topic_choices_are_the_vocabulary_by_name_keeping_a_key_written_by_hand() -> None:
    choices = topic_choices("fr", ["night-owls"])
    names = [name for _, name in choices]
    assert names == sorted(names, key=str.casefold)
    assert {key for key, _ in choices} == set(TOPIC_LABELS) | {"night-owls"}


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.slug)
def test_demo_history_records_only_topics_of_its_line(profile: object) -> None:
    tenant = parse_tenant_file(REPO / "tenants" / f"{profile.slug}.toml")  # type: ignore[attr-defined]
    assert set(profile.topics) <= set(line_topics(tenant))  # type: ignore[attr-defined]
