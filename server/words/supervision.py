"""Page texts of the supervisor console, in French and English.

Keys starting with `sv_js_` are also handed to the page's scripts (data-texts on the page's
root element); `{name}`-style fields are filled there, with textContent only.
"""

from __future__ import annotations

from server.i18n import Locale
from server.words.vocabulary import risk_texts

TEXTS: dict[str, dict[Locale, str]] = {
    "sv_title": {"fr": "Supervision", "en": "Supervision"},
    "sv_forbidden_title": {"fr": "Accès réservé", "en": "Restricted access"},
    "sv_forbidden": {
        "fr": "La supervision est réservée aux superviseur·es et aux administrateur·rices.",
        "en": "Supervision is for supervisors and administrators only.",
    },
    "sv_back_to_console": {"fr": "Retour à la console d'écoute", "en": "Back to the console"},
    "sv_lines": {"fr": "Lignes supervisées :", "en": "Lines supervised:"},
    "sv_live": {"fr": "Conversations en cours", "en": "Live conversations"},
    "sv_col_line": {"fr": "Ligne", "en": "Line"},
    "sv_col_team": {"fr": "Équipe", "en": "Team"},
    "sv_col_state": {"fr": "État", "en": "State"},
    "sv_col_risk": {"fr": "Risque", "en": "Risk"},
    "sv_loading": {"fr": "Chargement des conversations…", "en": "Loading the conversations…"},
    "sv_col_listener": {"fr": "Écoutant·e", "en": "Listener"},
    "sv_col_waiting": {"fr": "Attente", "en": "Waiting"},
    "sv_col_duration": {"fr": "Durée", "en": "Duration"},
    "sv_col_supervised": {"fr": "Supervisée", "en": "Supervised"},
    "sv_col_action": {"fr": "Action", "en": "Action"},
    "sv_no_live": {
        "fr": "Aucune conversation en cours.",
        "en": "No live conversation.",
    },
    "sv_alerts": {"fr": "Alertes", "en": "Alerts"},
    "sv_no_alerts": {"fr": "Aucune alerte.", "en": "No alerts."},
    "sv_sound": {"fr": "Son pour les alertes", "en": "Sound for alerts"},
    "sv_clear_alerts": {"fr": "Effacer les alertes", "en": "Clear alerts"},
    "sv_transcript": {"fr": "Lecture silencieuse", "en": "Silent reading"},
    "sv_transcript_hint": {
        "fr": "La personne accueillie n'est pas prévenue de votre présence. "
        "Chaque lecture est inscrite au journal d'audit.",
        "en": "The visitor is not told you are reading. Every reading is written to the audit log.",
    },
    "sv_whisper_label": {
        "fr": "Chuchoter à l'écoutant·e (jamais montré à la personne accueillie)",
        "en": "Whisper to the listener (never shown to the visitor)",
    },
    "sv_whisper_send": {"fr": "Chuchoter", "en": "Whisper"},
    "sv_take_over": {"fr": "Prendre le relais", "en": "Take over"},
    "sv_leave": {"fr": "Quitter la lecture", "en": "Stop reading"},
    "sv_confirm_title": {"fr": "Prendre le relais ?", "en": "Take over?"},
    "sv_confirm_body": {
        "fr": "Vous devenez l'écoutant·e de cette conversation ; la personne qui l'avait est "
        "prévenue et la perd. L'historique est conservé.",
        "en": "You become this conversation's listener; the person who had it is told and "
        "loses it. The history is kept.",
    },
    "sv_confirm_yes": {"fr": "Oui, prendre le relais", "en": "Yes, take over"},
    "sv_confirm_no": {"fr": "Annuler", "en": "Cancel"},
    # --- blocked visitors (server/web/supervision_blocks.py) ------------------------------
    # Keys starting with `sv_blk_js_` are handed to static/supervision/blocks.js; the reasons
    # are named with the console's words (`con_block_reason_*`).
    "sv_blocks_link": {"fr": "Personnes bloquées", "en": "Blocked visitors"},
    "sv_blk_title": {"fr": "Personnes bloquées", "en": "Blocked visitors"},
    "sv_blk_back": {"fr": "Retour à la supervision", "en": "Back to supervision"},
    "sv_blk_intro": {
        "fr": "Les blocages des 30 derniers jours, ceux en vigueur d'abord. Un blocage ne garde "
        "ni adresse ni identité, seulement des empreintes, oubliées dès qu'il prend fin.",
        "en": "The last 30 days' blocks, those in force first. A block keeps no address and no "
        "identity, only fingerprints, forgotten as soon as it ends.",
    },
    "sv_blk_zone": {"fr": "Heures de la ligne ({zone})", "en": "The line's time ({zone})"},
    "sv_blk_none": {
        "fr": "Aucun blocage ces 30 derniers jours.",
        "en": "No block in the last 30 days.",
    },
    "sv_blk_col_reason": {"fr": "Motif", "en": "Reason"},
    "sv_blk_col_since": {"fr": "Depuis", "en": "Since"},
    "sv_blk_col_until": {"fr": "Jusqu'au", "en": "Until"},
    "sv_blk_col_by": {"fr": "Par", "en": "By"},
    "sv_blk_col_network": {"fr": "Réseau aussi", "en": "Network too"},
    "sv_blk_col_status": {"fr": "État", "en": "Status"},
    "sv_blk_col_action": {"fr": "Action", "en": "Action"},
    "sv_blk_network_yes": {"fr": "Oui, 24 h au plus", "en": "Yes, 24 h at most"},
    "sv_blk_network_no": {"fr": "Non", "en": "No"},
    "sv_blk_active": {"fr": "En vigueur", "en": "In force"},
    "sv_blk_js_expired": {"fr": "Expiré", "en": "Expired"},
    "sv_blk_lift": {"fr": "Lever le blocage", "en": "Lift block"},
    "sv_blk_lift_label": {
        "fr": "Lever le blocage : {reason}, {date}",
        "en": "Lift block: {reason}, {date}",
    },
    "sv_blk_js_lifted": {"fr": "Levé par {name} le {date}", "en": "Lifted by {name} on {date}"},
    "sv_blk_js_lifted_anonymous": {"fr": "Levé le {date}", "en": "Lifted on {date}"},
    "sv_blk_js_at": {"fr": "{date} à {time}", "en": "{date} at {time}"},
    "sv_blk_js_nobody": {"fr": "—", "en": "—"},
    "sv_blk_js_lifting": {"fr": "Levée…", "en": "Lifting…"},
    "sv_blk_js_done": {
        "fr": "Blocage levé : la personne peut de nouveau écrire sur cette ligne.",
        "en": "Block lifted: the visitor can write to this line again.",
    },
    "sv_blk_js_gone": {
        "fr": "Ce blocage n'est plus en vigueur : il a expiré ou a déjà été levé.",
        "en": "This block is no longer in force: it expired or was already lifted.",
    },
    "sv_blk_js_signed_out": {
        "fr": "Votre session a expiré : reconnectez-vous, puis réessayez.",
        "en": "Your session has expired: sign in again, then retry.",
    },
    "sv_blk_js_offline": {
        "fr": "Le serveur ne répond pas : le blocage n'a pas été levé. Réessayez.",
        "en": "The server is not answering: the block was not lifted. Try again.",
    },
    "sv_blk_js_failed": {
        "fr": "Le blocage n'a pas été levé : {why}",
        "en": "The block was not lifted: {why}",
    },
    # --- handed to the scripts ------------------------------------------------------------
    "sv_js_connecting": {"fr": "Connexion…", "en": "Connecting…"},
    "sv_js_connected": {"fr": "Connecté·e", "en": "Connected"},
    "sv_js_reconnecting": {"fr": "Reconnexion…", "en": "Reconnecting…"},
    "sv_js_forbidden": {
        "fr": "Vous ne supervisez plus aucune ligne. Voyez avec l'administration de votre ligne.",
        "en": "You no longer supervise any line. Please ask your line's administrator.",
    },
    "sv_js_join": {"fr": "Lire", "en": "Join"},
    "sv_js_reading": {"fr": "En lecture", "en": "Reading"},
    "sv_js_yes": {"fr": "Oui", "en": "Yes"},
    "sv_js_no": {"fr": "Non", "en": "No"},
    "sv_js_nobody": {"fr": "—", "en": "—"},
    "sv_js_state_queued": {"fr": "En attente", "en": "Waiting"},
    "sv_js_state_active": {"fr": "En cours", "en": "Active"},
    "sv_js_state_ended": {"fr": "Terminée", "en": "Ended"},
    "sv_js_state_abandoned": {"fr": "Abandonnée", "en": "Abandoned"},
    "sv_js_state_missed": {"fr": "Manquée", "en": "Missed"},
    # A waiting visitor whose page has gone past the grace: listed after those present.
    "sv_js_left": {"fr": "a quitté la page", "en": "left the page"},
    **risk_texts("sv_js_risk_", capital=True),
    "sv_js_author_visitor": {"fr": "Personne accueillie", "en": "Visitor"},
    "sv_js_author_listener": {"fr": "Écoutant·e", "en": "Listener"},
    "sv_js_author_supervisor": {"fr": "Supervision", "en": "Supervisor"},
    "sv_js_author_system": {"fr": "Système", "en": "System"},
    "sv_js_kind_whisper": {"fr": "chuchotement", "en": "whisper"},
    "sv_js_kind_note": {"fr": "note privée", "en": "private note"},
    "sv_js_kind_referral": {"fr": "orientation", "en": "referral"},
    "sv_js_reading_title": {
        "fr": "{tenant} · {team} · écoutant·e : {listener}",
        "en": "{tenant} · {team} · listener: {listener}",
    },
    "sv_js_alert_risk": {
        "fr": "{tenant} : risque {level} dans la conversation de {listener} ({reasons})",
        "en": "{tenant}: {level} risk in {listener}'s conversation ({reasons})",
    },
    "sv_js_alert_risk_waiting": {
        "fr": "{tenant} : risque {level} chez une personne qui attend ({reasons})",
        "en": "{tenant}: {level} risk from someone waiting ({reasons})",
    },
    "sv_js_alert_long_wait": {
        "fr": "{tenant} : une personne attend depuis {minutes} min",
        "en": "{tenant}: a visitor has been waiting {minutes} min",
    },
    "sv_js_alert_long_shift": {
        "fr": "{tenant} : {listener} est en conversation depuis {minutes} min",
        "en": "{tenant}: {listener} has been in conversations for {minutes} min",
    },
    "sv_js_alert_visitor_left": {
        "fr": "{tenant} : une personne en attente, à risque {level}, a quitté la page. Elle "
        "reste dans la file et retrouve sa place si elle revient.",
        "en": "{tenant}: a waiting visitor at {level} risk left the page. They stay in the "
        "queue and get their place back if they return.",
    },
    "sv_js_alert_supervised_start": {
        "fr": "{tenant} : {listener} commence une conversation supervisée",
        "en": "{tenant}: {listener} started a supervised conversation",
    },
    "sv_js_taken_over": {
        "fr": "Vous avez pris le relais : poursuivez dans la console d'écoute.",
        "en": "You took over: carry on in the listener console.",
    },
    "sv_js_whispered": {"fr": "Chuchotement envoyé.", "en": "Whisper sent."},
    "sv_js_conversation_over": {
        "fr": "Cette conversation est terminée.",
        "en": "This conversation has ended.",
    },
}
