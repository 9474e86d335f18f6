"""Every word a staff page shows, in French and English: the pages' own here, each console
area's in its module (account, admin, console, dashboard, supervision; the risk vocabulary in
vocabulary.py), merged once; a key defined twice is refused."""

from __future__ import annotations

from server.i18n import Locale
from server.words import account, admin, console, dashboard, protection, supervision

PAGES: dict[str, dict[Locale, str]] = {
    "sign_in_title": {"fr": "Connexion", "en": "Sign in"},
    "email": {"fr": "Adresse e-mail", "en": "E-mail address"},
    "password": {"fr": "Mot de passe", "en": "Password"},
    "sign_in": {"fr": "Se connecter", "en": "Sign in"},
    "sign_out": {"fr": "Se déconnecter", "en": "Sign out"},
    "signing_in": {"fr": "Connexion…", "en": "Signing in…"},
    "console_title": {"fr": "Console d'écoute", "en": "Listener console"},
    "admin_title": {"fr": "Administration", "en": "Administration"},
    "hello": {"fr": "Connecté·e en tant que", "en": "Signed in as"},
    "lines_served": {"fr": "Lignes que vous servez", "en": "Lines you serve"},
    "lines_admin": {"fr": "Lignes que vous administrez", "en": "Lines you administer"},
    "role": {"fr": "Rôle", "en": "Role"},
    "via_partner": {"fr": "en tant que partenaire", "en": "as a partner"},
    "no_lines": {
        "fr": "Vous n'êtes rattaché·e à aucune ligne pour l'instant.",
        "en": "You are not attached to any line yet.",
    },
    "no_admin": {
        "fr": "Vous n'administrez aucune ligne.",
        "en": "You do not administer any line.",
    },
    "referrals": {"fr": "Orientations", "en": "Referrals"},
    "opening_hours": {"fr": "Horaires d'ouverture", "en": "Opening hours"},
    "time_zone": {"fr": "Fuseau horaire", "en": "Time zone"},
    "demo_title": {"fr": "Site hôte de démonstration", "en": "Demo host site"},
    "demo_intro": {
        "fr": "Cette page joue le rôle du site d'une association ou d'une université "
        "qui accueille Havre avec une seule balise script.",
        "en": "This page plays the part of an association's or a university's website "
        "that hosts Havre with a single script tag.",
    },
    "demo_shown": {
        "fr": "Le widget de cette page est celui de",
        "en": "The widget on this page is",
    },
    "demo_try": {
        "fr": "Ouvrez-le avec le bouton en bas de page : la conversation arrive dans la console "
        "d'écoute.",
        "en": "Open it with the button at the bottom of the page: the conversation reaches the "
        "listener console.",
    },
    "demo_switch": {"fr": "Afficher le widget de cette ligne", "en": "Show this line's widget"},
    "demo_hosted": {
        "fr": "Page de discussion hébergée (lien pour un e-mail, un SMS, un QR code)",
        "en": "Hosted chat page (a link for an e-mail, an SMS, a QR code)",
    },
    "emergency": {"fr": "Urgences", "en": "Emergencies"},
    "listener": {"fr": "écoutant·e", "en": "listener"},
    "supervisor": {"fr": "superviseur·e", "en": "supervisor"},
    "admin": {"fr": "administrateur·rice", "en": "administrator"},
    "owner": {"fr": "responsable", "en": "owner"},
    "mon": {"fr": "lundi", "en": "Monday"},
    "tue": {"fr": "mardi", "en": "Tuesday"},
    "wed": {"fr": "mercredi", "en": "Wednesday"},
    "thu": {"fr": "jeudi", "en": "Thursday"},
    "fri": {"fr": "vendredi", "en": "Friday"},
    "sat": {"fr": "samedi", "en": "Saturday"},
    "sun": {"fr": "dimanche", "en": "Sunday"},
    "language": {"fr": "English", "en": "Français"},
    "nav_label": {"fr": "Navigation", "en": "Navigation"},
    "nav_console": {"fr": "Console d'écoute", "en": "Listener console"},
    "nav_supervision": {"fr": "Supervision", "en": "Supervision"},
    "nav_admin": {"fr": "Administration", "en": "Administration"},
    "nav_account": {"fr": "Mon compte", "en": "My account"},
}


def _all_texts() -> dict[str, dict[Locale, str]]:
    merged = dict(PAGES)
    for area in AREAS:
        clash = merged.keys() & area.keys()
        if clash:
            raise RuntimeError(f"page text keys defined twice: {sorted(clash)}")
        merged.update(area)
    return merged


def page_texts(locale: Locale) -> dict[str, str]:
    return {key: value[locale] for key, value in ALL_TEXTS.items()}


AREAS = (
    account.TEXTS,
    admin.TEXTS,
    protection.TEXTS,
    console.TEXTS,
    dashboard.TEXTS,
    supervision.TEXTS,
)
ALL_TEXTS = _all_texts()
