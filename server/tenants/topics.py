"""What topic keys mean, in French and English: tenant files name topics by key (`anxiety`,
`exams`), and visitors, listeners and admins read them in their own language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from server.i18n import Locale

if TYPE_CHECKING:
    from server.tenants.structs import TenantFile

TOPIC_LABELS: dict[str, dict[Locale, str]] = {
    "addiction": {"fr": "Addictions", "en": "Addiction"},
    "anxiety": {"fr": "Anxiété", "en": "Anxiety"},
    "children": {"fr": "Enfance en danger", "en": "Children at risk"},
    "crisis": {"fr": "Crise", "en": "Crisis"},
    "deaf": {"fr": "Personnes sourdes ou malentendantes", "en": "Deaf or hard of hearing"},
    "depression": {"fr": "Déprime, dépression", "en": "Low mood, depression"},
    "distress": {"fr": "Détresse", "en": "Distress"},
    "eating": {"fr": "Alimentation", "en": "Eating"},
    "emergency": {"fr": "Urgence", "en": "Emergency"},
    "exams": {"fr": "Examens", "en": "Exams"},
    "family": {"fr": "Famille", "en": "Family"},
    "grief": {"fr": "Deuil", "en": "Grief"},
    "harassment": {"fr": "Harcèlement", "en": "Harassment"},
    "health": {"fr": "Santé", "en": "Health"},
    "housing": {"fr": "Logement", "en": "Housing"},
    "identity": {"fr": "Identité, orientation", "en": "Identity, orientation"},
    "loneliness": {"fr": "Solitude", "en": "Loneliness"},
    "medical": {"fr": "Urgence médicale", "en": "Medical emergency"},
    "mental-health": {"fr": "Santé mentale", "en": "Mental health"},
    "money": {"fr": "Argent", "en": "Money"},
    "relationships": {"fr": "Relations, couple", "en": "Relationships"},
    "self-harm": {"fr": "Automutilation", "en": "Self-harm"},
    "sleep": {"fr": "Sommeil", "en": "Sleep"},
    "stress": {"fr": "Stress", "en": "Stress"},
    "studies": {"fr": "Études", "en": "Studies"},
    "suicide": {"fr": "Idées suicidaires", "en": "Suicidal thoughts"},
    "violence": {"fr": "Violences", "en": "Violence"},
    "women": {"fr": "Violences faites aux femmes", "en": "Violence against women"},
    "work": {"fr": "Travail", "en": "Work"},
    "youth": {"fr": "Jeunes", "en": "Young people"},
}


def topic_label(key: str, locale: Locale) -> str:
    """The topic's name; a key outside the vocabulary is shown as written (hyphens as spaces)."""
    known = TOPIC_LABELS.get(key)
    return known[locale] if known else key.replace("-", " ")


def topic_labels(keys: list[str], locale: Locale) -> dict[str, str]:
    return {key: topic_label(key, locale) for key in keys}


def line_topics(tenant: TenantFile) -> list[str]:
    """The line's one topic list, in its order: what a visitor may choose before writing,
    what a listener records at wrap-up and what the dashboard counts. A line that lists
    none gets its teams' topics (referral topics say what a service is for, not what a
    conversation was about)."""
    if tenant.topics:
        return list(tenant.topics)
    return list(dict.fromkeys(t for team in tenant.teams for t in team.topics))


def topic_choices(locale: Locale, chosen: list[str] | None = None) -> list[tuple[str, str]]:
    """(key, name) of every topic of the vocabulary, by name in `locale`, for an admin to tick;
    a chosen key outside the vocabulary is kept (shown as written)."""
    keys = set(TOPIC_LABELS) | set(chosen or [])
    return sorted(((k, topic_label(k, locale)) for k in keys), key=lambda c: c[1].casefold())
