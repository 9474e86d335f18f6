"""Page texts of the admin dashboard and audit log, in French and English."""

from __future__ import annotations

from server.i18n import Locale
from server.web.texts_areas.vocabulary import risk_texts

TEXTS: dict[str, dict[Locale, str]] = {
    # Dashboard
    "dash_title": {"fr": "Tableau de bord", "en": "Dashboard"},
    "dash_filters": {"fr": "Filtres", "en": "Filters"},
    "dash_from": {"fr": "Du", "en": "From"},
    "dash_to": {"fr": "Au", "en": "To"},
    "dash_team": {"fr": "Équipe", "en": "Team"},
    "dash_all_teams": {"fr": "Toutes les équipes", "en": "All teams"},
    "dash_apply": {"fr": "Afficher", "en": "Show"},
    "dash_period": {
        "fr": "Période du {first} au {last} ({zone})",
        "en": "Period from {first} to {last} ({zone})",
    },
    "dash_per_day": {"fr": "Conversations par jour", "en": "Conversations per day"},
    "dash_per_day_desc": {
        "fr": "Pour chaque jour : conversations commencées, dont répondues, et tentatives "
        "hors horaires.",
        "en": "For each day: conversations started, of which answered, and out-of-hours attempts.",
    },
    "dash_day": {"fr": "Jour", "en": "Day"},
    "dash_conversations": {"fr": "Conversations", "en": "Conversations"},
    "dash_answered": {"fr": "Répondues", "en": "Answered"},
    "dash_missed": {"fr": "Manquées", "en": "Missed"},
    "dash_abandoned": {"fr": "Abandonnées", "en": "Abandoned"},
    "dash_waiting": {"fr": "En attente", "en": "Still waiting"},
    "dash_out_of_hours": {"fr": "Tentatives hors horaires", "en": "Out-of-hours attempts"},
    "dash_outcomes": {"fr": "Issue des demandes", "en": "What happened to requests"},
    "dash_outcomes_desc": {
        "fr": "Répondues, manquées (personne n'a répondu à temps), abandonnées (la personne "
        "est partie avant), et tentatives refusées parce que la ligne était fermée.",
        "en": "Answered, missed (nobody answered in time), abandoned (the visitor left "
        "first), and attempts refused because the line was closed.",
    },
    "dash_waits": {"fr": "Attente avant réponse", "en": "Wait before an answer"},
    "dash_durations": {"fr": "Durée des conversations", "en": "Conversation length"},
    "dash_median": {"fr": "Médiane", "en": "Median"},
    "dash_p90": {"fr": "90 % en moins de", "en": "90% within"},
    "dash_measured": {"fr": "Mesurées", "en": "Measured"},
    "dash_spread_desc": {
        "fr": "Médiane {median}, 90e centile {p90}, sur {count} conversations.",
        "en": "Median {median}, 90th percentile {p90}, over {count} conversations.",
    },
    "dash_risk_levels": {"fr": "Niveaux de risque", "en": "Risk levels"},
    **risk_texts("dash_risk_", capital=True),
    "dash_topics": {"fr": "Thèmes choisis par les visiteurs", "en": "Topics chosen by visitors"},
    "dash_wrapup_topics": {
        "fr": "Thèmes notés par les écoutants",
        "en": "Topics recorded by listeners",
    },
    "dash_no_topic": {"fr": "Sans thème", "en": "No topic"},
    "dash_ratings": {"fr": "Avis des visiteurs", "en": "Visitor feedback"},
    "dash_rating_average": {
        "fr": "Moyenne {average} sur 5 ({count} avis)",
        "en": "Average {average} out of 5 ({count} ratings)",
    },
    "dash_no_ratings": {"fr": "Aucun avis sur la période.", "en": "No feedback in this period."},
    "dash_stars": {"fr": "{n} sur 5", "en": "{n} out of 5"},
    "dash_colon": {"fr": " : ", "en": ": "},
    "dash_count": {"fr": "Nombre", "en": "Count"},
    "dash_label": {"fr": "Catégorie", "en": "Category"},
    "dash_data_table": {"fr": "Voir les chiffres", "en": "Show the figures"},
    "dash_nothing": {
        "fr": "Aucune donnée sur la période.",
        "en": "No data in this period.",
    },
    "dash_chart_total": {"fr": "Total : {total}", "en": "Total: {total}"},
    # Audit log
    "audit_title": {"fr": "Journal d'audit", "en": "Audit log"},
    "audit_intro": {
        "fr": "Les actions du personnel sur cette ligne : connexions, invitations, rôles, "
        "réglages, consultations de transcriptions.",
        "en": "Staff actions on this line: sign-ins, invitations, roles, settings, "
        "transcript views.",
    },
    "audit_action": {"fr": "Action", "en": "Action"},
    "audit_all_actions": {"fr": "Toutes les actions", "en": "All actions"},
    "audit_actor": {"fr": "Personne (e-mail)", "en": "Person (e-mail)"},
    "audit_when": {"fr": "Date", "en": "When"},
    "audit_who": {"fr": "Personne", "en": "Who"},
    "audit_target": {"fr": "Objet", "en": "Target"},
    "audit_details": {"fr": "Détails", "en": "Details"},
    "audit_system": {"fr": "Système", "en": "System"},
    "audit_unknown_actor": {"fr": "Compte inconnu", "en": "Unknown account"},
    "audit_empty": {
        "fr": "Aucune entrée ne correspond à ces filtres.",
        "en": "No entry matches these filters.",
    },
    "audit_older": {"fr": "Entrées plus anciennes", "en": "Older entries"},
    "audit_newer": {"fr": "Entrées plus récentes", "en": "Newer entries"},
    "audit_first_page": {"fr": "Les plus récentes", "en": "Most recent"},
    "audit_pages": {"fr": "Pages du journal", "en": "Log pages"},
    "audit_times": {"fr": "Heures en {zone}", "en": "Times in {zone}"},
}
