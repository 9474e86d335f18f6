"""Topics are keys in tenant files and names in each reader's language."""

from __future__ import annotations

from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.tenants.files import parse_tenant_file
from server.tenants.topics import TOPIC_LABELS, topic_label
from tests.conftest import REPO, MakeTenant


def test_every_topic_of_the_vocabulary_is_named_in_french_and_english() -> None:
    for key, names in TOPIC_LABELS.items():
        assert set(names) == {"fr", "en"}, key
        assert all(name.strip() for name in names.values()), key


@pytest.mark.parametrize("path", sorted((REPO / "tenants").glob("*.toml")), ids=lambda p: p.stem)
def test_every_topic_the_demo_tenants_use_has_a_name(path: Path) -> None:
    tenant = parse_tenant_file(path)
    used = {t for team in tenant.teams for t in team.topics}
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
