"""The scorer is pluggable by configuration: HAVRE_TRIAGE_SCORER names a factory, checked
before anything starts, and the live chat scores visitors' messages with it."""

from __future__ import annotations

import uuid
from typing import TypeAlias

import asyncpg
import httpx
import pytest

from server.settings import SettingsError, load_settings
from server.triage.scorer import RiskAssessment, RiskLevel
from tests.conftest import MakeTenant, Servers, serve_in_thread, settings_env
from tests.conversations.clients import open_visitor
from tests.conversations.conftest import ALWAYS_OPEN

Owner: TypeAlias = "asyncpg.Connection[asyncpg.Record]"


class WeatherScorer:
    """A stand-in another service might provide: it hears danger in the weather."""

    def score(self, text: str, locale: str | None = None) -> RiskAssessment:
        if "orage" in text:
            return RiskAssessment(level=RiskLevel.HIGH, reasons=("ideation:passive",))
        return RiskAssessment()


def weather_scorer() -> WeatherScorer:
    return WeatherScorer()


NOT_A_FACTORY = 42


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("tests.triage.test_plugged_scorer", "module:factory"),
        ("tests.triage.no_such_module:make", "cannot load"),
        ("tests.triage.test_plugged_scorer:missing", "cannot load"),
        ("tests.triage.test_plugged_scorer:NOT_A_FACTORY", "not callable"),
    ],
)
def test_a_scorer_setting_that_names_no_factory_stops_settings_with_a_clear_message(
    servers: Servers, value: str, says: str
) -> None:
    with pytest.raises(SettingsError) as refused:
        load_settings(settings_env(servers, HAVRE_TRIAGE_SCORER=value))
    assert "HAVRE_TRIAGE_SCORER" in str(refused.value)
    assert says in str(refused.value)


async def test_the_live_chat_scores_visitors_with_the_configured_scorer(
    servers: Servers, make_tenant: MakeTenant, owner: Owner
) -> None:
    settings = load_settings(
        settings_env(servers, HAVRE_TRIAGE_SCORER="tests.triage.test_plugged_scorer:weather_scorer")
    )
    tenant = await make_tenant(hours=ALWAYS_OPEN)
    with serve_in_thread(settings) as host:
        async with httpx.AsyncClient(base_url=f"http://{host}") as http:
            started = (
                await http.post(
                    "/api/conversations",
                    json={"tenant": tenant.slug, "locale": "fr", "consent": True},
                )
            ).json()
        visitor = await open_visitor(host, started["token"])
        try:
            # The lexicon scorer would raise this; the configured one does not.
            await visitor.say("j'ai acheté des médicaments, je vais tout prendre ce soir")
            await visitor.say("il y a de l'orage")
        finally:
            await visitor.close()
    row = await owner.fetchrow(
        "SELECT risk_level, risk_reasons FROM conversations WHERE id = $1",
        uuid.UUID(started["conversation_id"]),
    )
    assert (row["risk_level"], list(row["risk_reasons"])) == ("high", ["ideation:passive"])
