"""What the listener console page hands its scripts: the lines served, with their teams,
topics, colleagues and the listener's capacity there. No conversation data: that comes live
over the console socket."""

from __future__ import annotations

from uuid import UUID

import msgspec

from server.access import role_at_least
from server.db import Database
from server.i18n import LOCALES, Locale
from server.staff.structs import Me
from server.tenants.files import read_tenant
from server.tenants.topics import line_topics, topic_labels
from server.words import ALL_TEXTS

# Everyone who serves the line, partners' listeners included, by a name and never an e-mail
# address (a partner's listener must not learn the host's staff addresses).
_COLLEAGUES = """
WITH serving AS (
    SELECT DISTINCT staff_id FROM havre_tenant_staff(havre_current_tenant()) WHERE staff_id <> $1
)
SELECT s.staff_id, n.name
  FROM serving s
  LEFT JOIN havre_tenant_staff_names(ARRAY(SELECT staff_id FROM serving)) n
         ON n.staff_id = s.staff_id
 ORDER BY n.name NULLS LAST, s.staff_id
"""
_OWN_CAPACITY = (
    "SELECT max(capacity) FROM havre_tenant_staff(havre_current_tenant()) WHERE staff_id = $1"
)


class TeamOption(msgspec.Struct, frozen=True):
    slug: str
    name: str


class Colleague(msgspec.Struct, frozen=True):
    id: UUID
    name: str | None


class ConsoleLine(msgspec.Struct, frozen=True):
    slug: str
    name: str
    role: str
    partner: bool
    locale: str
    capacity: int
    teams: list[TeamOption]
    topics: list[str]
    colleagues: list[Colleague]


class ConsoleData(msgspec.Struct, frozen=True):
    staff_id: UUID
    lines: list[ConsoleLine]
    topic_labels: dict[str, str]  # every topic of these lines, in the page's language
    # The words of a referral card, in every language: the card is written in the
    # conversation's language, which need not be the listener's.
    card_words: dict[str, dict[str, str]]
    # HAVRE_PRESENCE_TTL: a reload within it keeps the listener's status.
    presence_ttl_seconds: int = 15


CARD_WORDS = ("phone", "sms", "hours")


def card_words() -> dict[str, dict[str, str]]:
    """{"fr": {"phone": "Tél.", ...}, "en": {...}} from the `con_card_*` texts."""
    return {
        locale: {word: ALL_TEXTS[f"con_card_{word}"][locale] for word in CARD_WORDS}
        for locale in LOCALES
    }


async def console_data(db: Database, me: Me, locale: Locale) -> ConsoleData:
    lines: list[ConsoleLine] = []
    for access in me.tenants:
        if not role_at_least(access.role, "listener"):
            continue
        async with db.tenant_transaction(access.organisation_id, staff_id=me.id) as conn:
            tenant = await read_tenant(conn, access.slug)
            if tenant is None:
                continue
            own = await conn.fetchval(_OWN_CAPACITY, me.id)
            colleagues = [
                Colleague(id=r["staff_id"], name=r["name"])
                for r in await conn.fetch(_COLLEAGUES, me.id)
            ]
        lines.append(
            ConsoleLine(
                slug=tenant.slug,
                name=tenant.name,
                role=access.role,
                partner=access.via_partner is not None,
                locale=tenant.default_locale,
                capacity=int(own or tenant.routing.default_capacity),
                teams=[TeamOption(slug=t.slug, name=t.name) for t in tenant.teams],
                topics=line_topics(tenant),
                colleagues=colleagues,
            )
        )
    keys = sorted({topic for line in lines for topic in line.topics})
    return ConsoleData(
        staff_id=me.id,
        lines=lines,
        topic_labels=topic_labels(keys, locale),
        card_words=card_words(),
    )
