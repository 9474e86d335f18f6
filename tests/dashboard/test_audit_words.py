"""Audit entries in words: before → after per field, names in place of ids, French and English,
older shapes of details and unknown actions still readable, and never a whole id shown."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import msgspec
import pytest

from server.admin.audit_changes import audit_details, member_changes
from server.dashboard.audit_words import AuditNames, describe, moment
from server.i18n import Locale
from server.tenants.structs import Branding, CannedReply, Referral, Routing, Team
from server.words.dashboard import TEXTS
from tests.conftest import tenant_file

UUID_PATTERN = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
ALEX, SAM, GONE = (
    "5200661b-8471-4187-8919-c1f600bee924",
    "ee404169-6b8c-44e0-a5a9-d8c3448b4f39",
    "0b7e7d8e-0000-4000-8000-000000000000",
)
NIGHT, DAY = "90d71bf8-7643-44f7-b546-5064c28bf326", "b8c6eb00-1111-4222-8333-444455556666"
NAMES = AuditNames(
    tenant_slug="ecoute-nuit",
    tenant_name="Écoute de Nuit",
    staff={ALEX: "Alex", SAM: "sam@ecoute-nuit.example"},
    people={"camille@ecoute-nuit.example": "Camille Martin"},
    teams={NIGHT: "Nuit", DAY: "Jour"},
    team_keys={"nuit": "Nuit", "jour": "Jour"},
    partners={"univ-sante": "Université Santé"},
)


def lines(action: str, details: dict[str, Any], locale: Locale, target: str = "") -> list[str]:
    return describe(action, target, details, NAMES, locale).lines


def test_a_settings_change_reads_before_and_after_in_both_languages() -> None:
    before = tenant_file(
        "ecoute-nuit",
        teams=[{"slug": "nuit", "name": "Nuit"}, {"slug": "jour", "name": "Jour"}],
    )
    after = msgspec.structs.replace(
        before,
        branding=msgspec.structs.replace(before.branding, primary_color="#ffee00"),
        routing=msgspec.structs.replace(before.routing, default_capacity=3),
        teams=[before.teams[0]],
    )

    branding = audit_details("branding", before, after)
    teams = audit_details("teams", before, after)

    assert lines("settings.branding", branding, "fr") == ["Couleur principale : #1f4e79 → #ffee00"]
    assert lines("settings.branding", branding, "en") == ["Primary colour: #1f4e79 → #ffee00"]
    assert lines("settings.teams", teams, "fr") == [
        "Conversations simultanées par défaut : 2 → 3",
        "Équipes : Nuit, Jour → Nuit",
    ]
    assert lines("settings.teams", teams, "en") == [
        "Default simultaneous chats: 2 → 3",
        "Teams: Nuit, Jour → Nuit",
    ]
    target = describe("settings.teams", "ecoute-nuit", teams, NAMES, "en").target
    assert target == "Écoute de Nuit"


def test_team_rows_say_which_team_and_name_their_members() -> None:
    before = tenant_file("ecoute-nuit", teams=[{"slug": "nuit", "name": "Nuit"}])
    renamed = Team(slug="nuit", name="Nuit étudiante", languages=["fr", "en"], topics=["exams"])
    after = msgspec.structs.replace(before, teams=[renamed])
    details = audit_details("teams", before, after)
    details["changes"] += member_changes(
        {"nuit": "Nuit étudiante"}, {"nuit": ([UUID(SAM)], [UUID(ALEX), UUID(GONE)])}
    )

    assert lines("settings.teams", details, "fr") == [
        "Nuit — Nom : Nuit → Nuit étudiante",
        "Nuit — Langues : — → français, anglais",
        "Nuit — Sujets : — → Examens",
        "Nuit étudiante — Membres : sam@ecoute-nuit.example → Compte inconnu, Alex",
    ]
    assert lines("settings.teams", details, "en")[1:3] == [
        "Nuit — Languages: — → French, English",
        "Nuit — Topics: — → Exams",
    ]


def test_texts_are_named_never_quoted() -> None:
    before = tenant_file("ecoute-nuit")
    welcome = {"fr": "Un long message d'accueil", "en": "A long welcome message"}
    after = msgspec.structs.replace(
        before,
        branding=msgspec.convert({"welcome": welcome}, Branding),
        canned_replies=[
            msgspec.structs.replace(before.canned_replies[0], body="Un texte qui reste privé."),
            before.canned_replies[1],
        ],
    )

    branding = audit_details("branding", before, after)
    replies = audit_details("replies", before, after)

    assert lines("settings.branding", branding, "fr") == ["Message d'accueil : texte modifié"]
    assert lines("settings.replies", replies, "en") == ["Bonjour (FR) — Message: text changed"]
    assert "long" not in str(branding)
    assert "privé" not in str(replies)


def test_opening_hours_say_which_slots_were_added_and_removed() -> None:
    before = tenant_file(
        "ecoute-nuit",
        teams=[{"slug": "nuit", "name": "Nuit"}],
        hours=[{"days": ["mon", "tue", "wed", "thu", "fri"], "opens": "09:00", "closes": "17:00"}],
    )
    after = msgspec.structs.replace(
        before,
        hours=msgspec.convert(
            [{"days": ["sat", "sun"], "opens": "20:00", "closes": "02:00", "team": "nuit"}],
            list[Any],
        ),
        exceptions=msgspec.convert([{"date": "2026-12-25"}], list[Any]),
        retention_days=30,
    )
    after = msgspec.convert(msgspec.to_builtins(after), type(before))

    hours = audit_details("hours", before, after)
    privacy = audit_details("privacy", before, after)

    assert lines("settings.hours", hours, "fr") == [
        "Semaine type : ajout de samedi, dimanche 20:00–02:00 (Nuit) ; "
        "retrait de lundi–vendredi 09:00–17:00",
        "Jours particuliers : ajout de 25 décembre 2026 : fermé",
    ]
    assert lines("settings.hours", hours, "en")[1] == (
        "Special days: added 25 December 2026: closed"
    )
    assert lines("settings.privacy", privacy, "en") == ["Conversations kept for: 90 days → 30 days"]


def test_member_settings_name_teams_and_the_line_default() -> None:
    details = {
        "changes": [
            {"field": "capacity", "from": None, "to": 3},
            {"field": "team_ids", "from": [NIGHT, DAY], "to": [NIGHT, GONE]},
        ]
    }
    assert lines("staff.settings_changed", details, "fr") == [
        "Conversations simultanées : valeur de la ligne → 3",
        "Équipes : Nuit, Jour → Nuit, équipe supprimée",
    ]
    assert lines("staff.settings_changed", details, "en") == [
        "Simultaneous chats: the line's default → 3",
        "Teams: Nuit, Jour → Nuit, deleted team",
    ]


@pytest.mark.parametrize(
    ("action", "details", "fr", "en"),
    [
        (
            "staff.role_changed",
            {"from": "listener", "to": "supervisor"},
            ["Rôle : écoutant·e → superviseur·e"],
            ["Role: listener → supervisor"],
        ),
        (
            "settings.branding",
            {"fields": ["branding.primary_color", "name"]},
            ["Champs modifiés : Couleur principale, Nom de la ligne"],
            ["Fields changed: Primary colour, Name of the line"],
        ),
        (
            "settings.teams",
            {"fields": ["mode"], "added": ["nuit"], "removed": ["ancienne"], "changed": [],
             "reordered": True},
            ["Champs modifiés : Distribution", "Ajouté : Nuit", "Supprimé : ancienne",
             "Ordre modifié"],
            ["Fields changed: Routing", "Added: Nuit", "Removed: ancienne", "Order changed"],
        ),
        (
            "settings.privacy",
            {"fields": ["retention_days"], "retention_days": {"from": 90, "to": 30}},
            ["Champs modifiés : Conservation des conversations",
             "Conservation des conversations : 90 jours → 30 jours"],
            ["Fields changed: Conversations kept for",
             "Conversations kept for: 90 days → 30 days"],
        ),
        (
            "staff.settings_changed",
            {"capacity": 4, "supervised_conversations": 10, "team_ids": 1},
            ["Conversations simultanées : 4", "Conversations supervisées : 10", "Équipes : 1"],
            ["Simultaneous chats: 4", "Supervised conversations: 10", "Teams: 1"],
        ),
        (
            "partner.granted",
            {"teams": "all"},
            ["Équipes : toutes les équipes"],
            ["Teams: all teams"],
        ),
        (
            "partner.granted",
            {"teams": [NIGHT, DAY], "previous_teams": [DAY]},
            ["Équipes : Jour → Nuit, Jour"],
            ["Teams: Jour → Nuit, Jour"],
        ),
        (
            "conversation.take_over",
            {"previous_listener": ALEX},
            ["Écoutant·e précédent·e : Alex"],
            ["Previous listener: Alex"],
        ),
        (
            "staff.sign_in",
            {"second_factor": "recovery_code", "demo": True},
            ["Avec un code de secours", "Entrée de démonstration"],
            ["With a recovery code", "Demo entry"],
        ),
        (
            "staff.invitation_accepted",
            {"role": "admin", "new_account": True},
            ["Rôle : administrateur·rice", "Nouveau compte créé"],
            ["Role: administrator", "New account created"],
        ),
        (
            "transcript.view",
            {"via": "supervision"},
            ["Depuis la supervision"],
            ["From supervision"],
        ),
    ],
)  # fmt: skip
def test_older_shapes_still_read_as_words(
    action: str, details: dict[str, Any], fr: list[str], en: list[str]
) -> None:
    assert lines(action, details, "fr") == fr
    assert lines(action, details, "en") == en


def test_an_unknown_action_shows_its_details_plainly_without_whole_ids() -> None:
    details = {"reason_code": "expired", "done": False, "ref": GONE, "who": ALEX}

    fr = describe("something.new", GONE, details, NAMES, "fr")
    en = describe("something.new", GONE, details, NAMES, "en")

    assert fr.lines == ["reason code : expired", "done : non", "ref : réf. 0B7E", "who : Alex"]
    assert en.lines == ["reason code: expired", "done: no", "ref: ref. 0B7E", "who: Alex"]
    assert en.target == "ref. 0B7E"
    assert not UUID_PATTERN.search(str([fr, en]))


def test_targets_are_named() -> None:
    conversation = "a1b2c3d4-0000-4000-8000-000000000001"

    def target(action: str, value: str, locale: Locale = "en") -> str:
        return describe(action, value, {}, NAMES, locale).target

    assert target("transcript.view", conversation) == "Visitor A1B2"
    assert target("conversation.take_over", conversation, "fr") == "Visiteur·se A1B2"
    assert target("staff.role_changed", "camille@ecoute-nuit.example") == (
        "Camille Martin (camille@ecoute-nuit.example)"
    )
    assert target("staff.invited", "new@example.org") == "new@example.org"
    assert target("partner.granted", "univ-sante") == "Université Santé"
    assert target("staff.sign_in", "") == ""


def test_times_read_in_the_tenants_zone_and_language() -> None:
    at = datetime(2026, 3, 10, 23, 30, tzinfo=UTC).astimezone(ZoneInfo("Europe/Paris"))
    assert moment(at, "fr") == "11 mars 2026 à 00:30"
    assert moment(at, "en") == "11 March 2026, 00:30"


def test_every_field_a_settings_change_can_name_has_a_french_and_english_label() -> None:
    paths = {f"branding.{f}" for f in Branding.__struct_fields__}
    paths |= set(Routing.__struct_fields__)
    paths |= {f"team.{f}" for f in Team.__struct_fields__ if f != "slug"} | {"team.members"}
    paths |= {f"referral.{f}" for f in Referral.__struct_fields__ if f != "key"}
    paths |= {f"reply.{f}" for f in CannedReply.__struct_fields__ if f not in ("key", "locale")}
    paths |= {"name", "exit_url", "time_zone", "hours", "exceptions", "topics", "teams"}
    paths |= {"referrals", "canned_replies", "allowed_origins", "retention_days"}
    paths |= {"capacity", "supervised_conversations", "team_ids", "role"}
    missing = sorted(p for p in paths if f"audit_field_{p}" not in TEXTS)
    assert missing == []
    assert all(set(TEXTS[f"audit_field_{p}"]) == {"fr", "en"} for p in paths)
