"""Page texts of the admin console's Protection section (a line's own limits, fair use and
robot challenge), in French and English."""

from __future__ import annotations

from server.i18n import Locale

TEXTS: dict[str, dict[Locale, str]] = {
    "adm_protection_title": {"fr": "Protection contre les abus", "en": "Abuse protection"},
    "adm_protection_intro": {
        "fr": "Une ligne publique peut être inondée par un script ou occupée par des canulars, "
        "au détriment des personnes qui ont besoin d'aide. Ces réglages s'ajoutent à ceux de "
        "l'instance ; une personne refusée voit toujours les numéros d'urgence et vos "
        "ressources.",
        "en": "A public line can be flooded by a script or kept busy by pranks, at the expense "
        "of the people who need help. These settings add to the instance's; a person refused "
        "always sees the emergency numbers and your referrals.",
    },
    "adm_protection_starts": {"fr": "Ouvertures de discussion", "en": "Conversation starts"},
    "adm_protection_per_client_hour": {
        "fr": "Par réseau et par heure (facultatif)",
        "en": "Per network, per hour (optional)",
    },
    "adm_protection_per_client_hint": {
        "fr": "Vide : la limite de l'instance ({n}). Un campus ou un opérateur mobile partage "
        "une adresse entre beaucoup de personnes : restez large. De 1 à 1000 ; au-delà de "
        "celle de l'instance, elle n'a pas d'effet.",
        "en": "Empty: the instance's limit ({n}). A campus or a mobile operator shares one "
        "address between many people: stay generous. From 1 to 1000; above the instance's, "
        "it has no effect.",
    },
    "adm_protection_per_line_minute": {
        "fr": "Pour toute la ligne, par minute (facultatif)",
        "en": "For the whole line, per minute (optional)",
    },
    "adm_protection_per_line_hint": {
        "fr": "Vide : la limite de l'instance ({n}). De 1 à 10 000.",
        "en": "Empty: the instance's limit ({n}). From 1 to 10,000.",
    },
    "adm_protection_messages": {"fr": "Messages", "en": "Messages"},
    "adm_protection_messages_per_10_minutes": {
        "fr": "Messages d'une personne en 10 minutes (facultatif)",
        "en": "Messages from one person in 10 minutes (optional)",
    },
    "adm_protection_messages_hint": {
        "fr": "Vide : la limite de l'instance ({n}). De 10 à 1000 ; la rafale de l'instance "
        "({burst} en 10 secondes) s'applique toujours. Un message refusé reste dans la zone de "
        "saisie de la personne, avec une courte explication.",
        "en": "Empty: the instance's limit ({n}). From 10 to 1000; the instance's burst ({burst} "
        "in 10 seconds) always applies. A message refused stays in the person's message box, "
        "with a short note.",
    },
    "adm_protection_fair_use": {"fr": "Usage équitable", "en": "Fair use"},
    "adm_protection_fair_use_hint": {
        "fr": "Limite les discussions ouvertes depuis un même appareil (reconnu par un "
        "identifiant anonyme du navigateur) : au-delà, la personne lit un message bienveillant "
        "avec le moment où elle pourra réécrire, et vos ressources de suivi.",
        "en": "Limits the conversations started from one device (known by an anonymous "
        "browser token): past it, the person reads a kind message saying when they can write "
        "again, with your follow-up referrals.",
    },
    "adm_protection_fair_use_on": {
        "fr": "Limiter les discussions par appareil",
        "en": "Limit conversations per device",
    },
    "adm_protection_fair_use_conversations": {
        "fr": "Discussions au plus (1 à 50)",
        "en": "Conversations at most (1 to 50)",
    },
    "adm_protection_fair_use_hours": {
        "fr": "Sur une période de (heures, 1 à 720)",
        "en": "Over a period of (hours, 1 to 720)",
    },
    "adm_protection_challenge": {"fr": "Défi anti-robots", "en": "Robot challenge"},
    "adm_protection_challenge_on": {
        "fr": "Demander au navigateur de résoudre un petit calcul avant chaque discussion",
        "en": "Ask the browser to solve a small puzzle before each conversation",
    },
    "adm_protection_challenge_hint": {
        "fr": "À activer quand la ligne est attaquée. Le calcul se fait en une ou deux "
        "secondes pendant que la personne lit l'accueil ; aucun service tiers, aucune image à "
        "déchiffrer, rien n'est enregistré sur elle. Un script qui ouvre des milliers de "
        "discussions doit le résoudre à chaque fois.",
        "en": "Turn it on when the line is under attack. The browser solves it in a second or "
        "two while the person reads the welcome; no third-party service, no picture to "
        "decipher, nothing stored about them. A script opening thousands of conversations must "
        "solve it every time.",
    },
    "adm_protection_instance": {"fr": "Limites de l'instance", "en": "The instance's limits"},
    "adm_protection_instance_hint": {
        "fr": "Fixées par l'exploitant de Havre ; elles valent pour toutes les lignes.",
        "en": "Set by whoever runs Havre; they apply to every line.",
    },
    "adm_protection_instance_client": {"fr": "Par réseau", "en": "Per network"},
    "adm_protection_instance_client_value": {
        "fr": "{minute} discussions par minute, {hour} par heure",
        "en": "{minute} conversations a minute, {hour} an hour",
    },
    "adm_protection_instance_line": {"fr": "Par ligne", "en": "Per line"},
    "adm_protection_per_minute": {
        "fr": "{n} discussions par minute",
        "en": "{n} conversations a minute",
    },
    "adm_protection_instance_messages": {
        "fr": "Messages d'une personne",
        "en": "Messages from one person",
    },
    "adm_protection_instance_messages_value": {
        "fr": "{burst} en 10 secondes, {sustained} en 10 minutes",
        "en": "{burst} in 10 seconds, {sustained} in 10 minutes",
    },
    "adm_protection_blocks_link": {
        "fr": "Voir les personnes bloquées par l'équipe",
        "en": "See the visitors the team blocked",
    },
}
