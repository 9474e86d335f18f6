"""Page texts of the listener console, in French and English.

Keys starting with `con_js_` are also handed to the console's scripts (see
server/web/console_context.py and templates/console.html); `{n}`-style fields are filled there.
"""

from __future__ import annotations

from server.i18n import Locale
from server.words.vocabulary import risk_texts

TEXTS: dict[str, dict[Locale, str]] = {
    # --- status bar ---------------------------------------------------------------------
    "con_presence": {"fr": "Disponibilité", "en": "Availability"},
    "con_available": {"fr": "Disponible", "en": "Available"},
    "con_away": {"fr": "Absent·e", "en": "Away"},
    "con_capacity": {"fr": "Capacité", "en": "Capacity"},
    "con_active": {"fr": "En cours", "en": "Active"},
    "con_preferences": {"fr": "Préférences", "en": "Preferences"},
    "con_pref_sound": {"fr": "Son pour les nouvelles demandes", "en": "Sound for new chats"},
    "con_pref_badge": {
        "fr": "Compteur dans le titre de l'onglet",
        "en": "Counter in the tab title",
    },
    "con_lines": {"fr": "Lignes", "en": "Lines"},
    "con_no_lines": {
        "fr": "Vous n'écoutez pour aucune ligne : demandez à un·e administrateur·rice.",
        "en": "You listen for no line: ask an administrator.",
    },
    # --- queue --------------------------------------------------------------------------
    "con_queue": {"fr": "En attente", "en": "Waiting"},
    "con_queue_empty": {"fr": "Personne n'attend.", "en": "Nobody is waiting."},
    "con_take": {"fr": "Prendre", "en": "Take"},
    # --- conversations ------------------------------------------------------------------
    "con_conversations": {"fr": "Conversations", "en": "Conversations"},
    "con_no_conversation": {
        "fr": "Aucune conversation en cours. Prenez une personne dans la file d'attente.",
        "en": "No conversation yet. Take someone from the queue.",
    },
    "con_transcript": {"fr": "Échanges", "en": "Transcript"},
    "con_message": {"fr": "Message", "en": "Message"},
    "con_send": {"fr": "Envoyer", "en": "Send"},
    "con_as_note": {
        "fr": "Note privée (la personne ne la voit pas)",
        "en": "Private note (the visitor does not see it)",
    },
    "con_composer_help": {
        "fr": "Entrée envoie, Maj+Entrée va à la ligne, Ctrl+/ ou « / » en début de message "
        "ouvre les réponses types.",
        "en": "Enter sends, Shift+Enter adds a line, Ctrl+/ or “/” at the start opens canned "
        "replies.",
    },
    "con_time_left": {"fr": "Temps restant", "en": "Time left"},
    "con_extend": {"fr": "Prolonger de 15 min", "en": "Extend by 15 min"},
    "con_risk": {"fr": "Niveau de risque", "en": "Risk level"},
    "con_set_risk": {"fr": "Ajuster le risque", "en": "Set the risk"},
    "con_close_tab": {"fr": "Fermer l'onglet", "en": "Close the tab"},
    "con_tools": {"fr": "Outils", "en": "Tools"},
    # --- canned replies and referrals ----------------------------------------------------
    "con_canned": {"fr": "Réponses types", "en": "Canned replies"},
    "con_canned_search": {"fr": "Chercher une réponse type", "en": "Search canned replies"},
    "con_referrals": {"fr": "Orientations", "en": "Referrals"},
    "con_referral_topic": {"fr": "Filtrer par sujet", "en": "Filter by topic"},
    "con_all_topics": {"fr": "Tous les sujets", "en": "All topics"},
    "con_send_referral": {"fr": "Envoyer la fiche", "en": "Send the card"},
    # --- transfer -----------------------------------------------------------------------
    "con_transfer": {"fr": "Transférer", "en": "Transfer"},
    "con_transfer_to_team": {"fr": "À une équipe", "en": "To a team"},
    "con_transfer_to_colleague": {"fr": "À un·e collègue", "en": "To a colleague"},
    "con_transfer_note": {"fr": "Note pour la suite (privée)", "en": "Hand-over note (private)"},
    "con_transfer_submit": {"fr": "Transférer la conversation", "en": "Transfer the conversation"},
    # --- wrap-up ------------------------------------------------------------------------
    "con_end": {"fr": "Terminer", "en": "End"},
    "con_wrapup": {"fr": "Bilan de fin", "en": "Wrap-up"},
    "con_wrapup_topics": {"fr": "Sujets abordés", "en": "Topics discussed"},
    "con_wrapup_risk": {"fr": "Risque évalué", "en": "Risk assessed"},
    "con_wrapup_outcome": {"fr": "Issue", "en": "Outcome"},
    "con_wrapup_note": {"fr": "Note privée (facultative)", "en": "Private note (optional)"},
    "con_wrapup_submit": {"fr": "Terminer la conversation", "en": "End the conversation"},
    "con_outcome_choose": {"fr": "Choisir…", "en": "Choose…"},
    "con_wrapup_confirm_note": {
        "fr": "Risque grave ou imminent : vérifiez l'issue et la note, puis confirmez.",
        "en": "High or imminent risk: check the outcome and the note, then confirm.",
    },
    "con_js_wrapup_confirm": {"fr": "Confirmer et terminer", "en": "Confirm and end"},
    "con_js_wrapup_save": {"fr": "Terminer la conversation", "en": "End the conversation"},
    "con_outcome_supported": {"fr": "Soutien apporté", "en": "Supported"},
    "con_outcome_referred": {"fr": "Orientée vers un service", "en": "Referred"},
    "con_outcome_emergency": {"fr": "Secours appelés", "en": "Emergency services"},
    "con_outcome_visitor_left": {"fr": "La personne est partie", "en": "The visitor left"},
    "con_outcome_other": {"fr": "Autre", "en": "Other"},
    **risk_texts("con_risk_"),
    # --- blocking a visitor (server/conversations/block_route.py) ---------------------------
    # The reasons' words are also the supervisors' list of blocks (one vocabulary).
    "con_block": {"fr": "Bloquer cette personne", "en": "Block this visitor"},
    "con_block_reason": {"fr": "Motif", "en": "Reason"},
    "con_block_reason_choose": {"fr": "Choisir…", "en": "Choose…"},
    "con_block_reason_abuse": {
        "fr": "Propos injurieux ou harcèlement",
        "en": "Abuse or harassment",
    },
    "con_block_reason_sexual": {"fr": "Propos sexuels", "en": "Sexual content"},
    "con_block_reason_threats": {"fr": "Menaces envers l'équipe", "en": "Threats to the team"},
    "con_block_reason_prank": {"fr": "Canular ou faux appel", "en": "Prank or fake contact"},
    "con_block_reason_spam": {"fr": "Messages en masse", "en": "Flooding or spam"},
    "con_block_duration": {"fr": "Durée", "en": "Duration"},
    "con_block_hours_1": {"fr": "1 heure", "en": "1 hour"},
    "con_block_hours_24": {"fr": "24 heures", "en": "24 hours"},
    "con_block_hours_168": {"fr": "7 jours", "en": "7 days"},
    "con_block_hours_720": {"fr": "30 jours", "en": "30 days"},
    # Shown only while the conversation is under way: blocking then ends it.
    "con_block_note_end": {"fr": "La conversation se termine.", "en": "The conversation ends."},
    "con_block_note": {
        "fr": "Cet appareil ne pourra plus ouvrir de discussion sur cette ligne pendant la "
        "durée choisie, ce réseau pendant 24 h au plus. Un·e superviseur·e peut lever le "
        "blocage.",
        "en": "This device cannot open a chat on this line for the time chosen, and this "
        "network for 24 hours at most. A supervisor can lift the block.",
    },
    "con_js_block_submit": {"fr": "Bloquer et terminer", "en": "Block and end"},
    "con_js_block_submit_ended": {"fr": "Bloquer", "en": "Block"},
    "con_js_block_confirm": {"fr": "Confirmer le blocage", "en": "Confirm the block"},
    "con_js_block_sending": {"fr": "Blocage…", "en": "Blocking…"},
    "con_block_cancel": {"fr": "Annuler", "en": "Cancel"},
    "con_block_confirm_note": {
        "fr": "Bloquer cette personne ? Elle ne pourra plus vous écrire sur cette ligne.",
        "en": "Block this visitor? They will not be able to write to this line.",
    },
    "con_js_ended_blocked": {"fr": "Personne bloquée", "en": "Visitor blocked"},
    "con_js_block_done": {
        "fr": "Blocage enregistré pour {duration} : {reason}.",
        "en": "Blocked for {duration}: {reason}.",
    },
    "con_js_block_not_yours": {
        "fr": "Cette conversation ne vous est plus attribuée : personne n'a été bloqué.",
        "en": "This conversation is no longer yours: nobody was blocked.",
    },
    "con_js_block_signed_out": {
        "fr": "Votre session a expiré : reconnectez-vous, puis réessayez. Personne n'a été bloqué.",
        "en": "Your session has expired: sign in again, then retry. Nobody was blocked.",
    },
    "con_js_block_offline": {
        "fr": "Le serveur ne répond pas : personne n'a été bloqué. Réessayez.",
        "en": "The server is not answering: nobody was blocked. Try again.",
    },
    "con_js_block_failed": {
        "fr": "Personne n'a été bloqué : {why}",
        "en": "Nobody was blocked: {why}",
    },
    # --- crisis panel -------------------------------------------------------------------
    "con_crisis": {"fr": "Risque suicidaire : évaluer", "en": "Suicide risk: assess"},
    "con_crisis_intro": {
        "fr": "Demandez directement, avec calme : parler du suicide ne le provoque pas.",
        "en": "Ask directly and calmly: talking about suicide does not cause it.",
    },
    "con_crisis_plan": {"fr": "Plan : a-t-elle prévu comment ?", "en": "Plan: do they know how?"},
    "con_crisis_means": {
        "fr": "Moyens : y a-t-elle accès ?",
        "en": "Means: do they have access to them?",
    },
    "con_crisis_timeframe": {
        "fr": "Échéance : quand pense-t-elle passer à l'acte ?",
        "en": "Timeframe: when are they thinking of acting?",
    },
    "con_crisis_details": {"fr": "Précisions", "en": "Details"},
    "con_crisis_save": {
        "fr": "Enregistrer l'évaluation en note privée",
        "en": "Save the assessment as a private note",
    },
    "con_crisis_emergency": {"fr": "Orientations d'urgence", "en": "Emergency referrals"},
    "con_crisis_alerted": {
        "fr": "Vos superviseur·es ont été alerté·es.",
        "en": "Your supervisors have been alerted.",
    },
    "con_crisis_alerted_named": {
        "fr": "Superviseur·es alerté·es : {names}.",
        "en": "Supervisors alerted: {names}.",
    },
    "con_crisis_nobody": {
        "fr": "Aucun·e superviseur·e n'est en ligne : suivez la procédure d'urgence "
        "de votre ligne.",
        "en": "No supervisor is online: follow your line's emergency procedure.",
    },
    "con_supervised": {
        "fr": "Un·e superviseur·e suit vos premières conversations : celle-ci en fait partie.",
        "en": "A supervisor follows your first conversations: this is one of them.",
    },
    "con_supervision_link": {"fr": "Console de supervision", "en": "Supervision console"},
    # --- texts for the scripts -----------------------------------------------------------
    "con_js_connected": {"fr": "Connecté·e", "en": "Connected"},
    "con_js_connecting": {"fr": "Connexion…", "en": "Connecting…"},
    "con_js_reconnecting": {
        "fr": "Connexion perdue, reconnexion…",
        "en": "Connection lost, reconnecting…",
    },
    "con_js_forbidden": {
        "fr": "Vous ne servez plus aucune ligne. Voyez avec l'administration de votre ligne.",
        "en": "You no longer serve any line. Please ask your line's administrator.",
    },
    "con_js_visitor": {"fr": "Personne", "en": "Visitor"},
    "con_js_you": {"fr": "Vous", "en": "You"},
    "con_js_listener": {"fr": "Écoutant·e", "en": "Listener"},
    "con_js_supervisor": {"fr": "Superviseur·e", "en": "Supervisor"},
    "con_js_system": {"fr": "Havre", "en": "Havre"},
    "con_js_note": {"fr": "Note privée", "en": "Private note"},
    "con_js_referral": {"fr": "Fiche d'orientation envoyée", "en": "Referral card sent"},
    "con_js_whisper": {
        "fr": "Superviseur·e (vous seul·e voyez ceci)",
        "en": "Supervisor (only you see this)",
    },
    "con_js_whisper_from": {
        "fr": "Superviseur·e {name} (vous seul·e voyez ceci)",
        "en": "Supervisor {name} (only you see this)",
    },
    "con_js_sending": {"fr": "envoi…", "en": "sending…"},
    "con_js_read": {"fr": "lu", "en": "read"},
    "con_js_typing": {"fr": "La personne écrit…", "en": "The visitor is typing…"},
    "con_js_waiting": {"fr": "attend depuis {time}", "en": "waiting for {time}"},
    "con_js_no_team": {"fr": "sans équipe", "en": "no team"},
    # A waiting visitor whose page has gone past the grace (HAVRE_QUEUE_GRACE).
    "con_js_left": {"fr": "A quitté la page", "en": "Left the page"},
    "con_js_left_hint": {
        "fr": "Sa page ne répond plus. La personne reste dans la file, après celles qui sont "
        "là, et retrouve sa place si elle revient.",
        "en": "Their page stopped answering. They stay in the queue, after the people who are "
        "there, and get their place back if they return.",
    },
    "con_js_no_topic": {"fr": "sans sujet", "en": "no topic"},
    "con_js_ended": {"fr": "Conversation terminée", "en": "Conversation ended"},
    "con_js_ended_visitor": {
        "fr": "La personne a mis fin à la conversation.",
        "en": "The visitor ended the conversation.",
    },
    "con_js_visitor_alias": {"fr": "Visiteur·se {code}", "en": "Visitor {code}"},
    # On a tab: the visitor's last message has had no answer for this long.
    "con_js_waiting_for": {"fr": "attend depuis {n} min", "en": "waiting {n} min"},
    "con_js_ended_quick_exit": {
        "fr": "La personne a utilisé la sortie rapide : elle a peut-être été interrompue. "
        "Notez ce que vous savez dans la synthèse.",
        "en": "The visitor used quick exit: they may have been interrupted. Write what you "
        "know in the wrap-up.",
    },
    "con_js_ended_lost": {
        "fr": "La connexion avec la personne a été perdue.",
        "en": "The connection with the visitor was lost.",
    },
    "con_js_taken_over": {
        "fr": "Un·e superviseur·e a repris la conversation.",
        "en": "A supervisor took the conversation over.",
    },
    "con_js_transferred": {"fr": "Conversation transférée.", "en": "Conversation transferred."},
    "con_js_session_ending": {
        "fr": "La session se termine dans {n} min.",
        "en": "The session ends in {n} min.",
    },
    "con_js_inactivity": {
        "fr": "Sans nouvelles de la personne : fin dans {n} min.",
        "en": "No word from the visitor: ends in {n} min.",
    },
    "con_js_closing": {"fr": "La ligne ferme dans {n} min.", "en": "The line closes in {n} min."},
    "con_js_new_chat": {"fr": "Nouvelle conversation", "en": "New conversation"},
    "con_js_no_canned_match": {
        "fr": "Aucune réponse type ne correspond à cette recherche.",
        "en": "No canned reply matches this search.",
    },
    "con_js_no_canned": {
        "fr": "Aucune réponse type dans cette langue.",
        "en": "No canned reply in this language.",
    },
    "con_js_no_referral": {"fr": "Aucune orientation.", "en": "No referral."},
    "con_js_emergency": {"fr": "urgence", "en": "emergency"},
    "con_js_phone": {"fr": "Tél.", "en": "Phone"},
    # The words of a referral card the visitor reads, in the conversation's language (both
    # languages reach the page through console_context.ConsoleData.card_words).
    "con_card_phone": {"fr": "Tél.", "en": "Phone"},
    "con_card_sms": {"fr": "SMS", "en": "Text"},
    "con_card_hours": {"fr": "Horaires", "en": "Hours"},
    "con_js_sms": {"fr": "SMS", "en": "Text"},
    "con_js_partner_colleague": {"fr": "Écoutant·e partenaire", "en": "Partner listener"},
    "con_js_assessment": {"fr": "Évaluation du risque", "en": "Risk assessment"},
    "con_js_yes": {"fr": "oui", "en": "yes"},
    "con_js_no": {"fr": "non", "en": "no"},
    # Risk reasons: `con_js_reason_` + the triage category with "_" for ":" (server/triage/
    # lexicon.py CATEGORY_ORDER; tests/console/test_reason_labels.py checks none is missing).
    "con_js_reason_listener": {"fr": "évalué par l'écoutant·e", "en": "set by the listener"},
    "con_js_reason_act_ingested": {"fr": "passage à l'acte : a déjà pris", "en": "act: ingested"},
    "con_js_reason_act_at_location": {
        "fr": "passage à l'acte : est sur place",
        "en": "act: at the location",
    },
    "con_js_reason_act_injured": {"fr": "passage à l'acte : blessé·e", "en": "act: injured"},
    "con_js_reason_intent_suicidal": {"fr": "intention suicidaire", "en": "suicidal intent"},
    "con_js_reason_ideation_suicidal": {"fr": "idées suicidaires", "en": "suicidal ideation"},
    "con_js_reason_ideation_passive": {"fr": "idées passives de mort", "en": "passive ideation"},
    "con_js_reason_ideation_ambivalent": {
        "fr": "idées suicidaires ambivalentes",
        "en": "ambivalent ideation",
    },
    "con_js_reason_ideation_negated": {"fr": "idées suicidaires niées", "en": "denied ideation"},
    "con_js_reason_history_attempt": {
        "fr": "antécédents : tentative de suicide",
        "en": "history: suicide attempt",
    },
    "con_js_reason_means_overdose": {"fr": "moyens : surdose", "en": "means: overdose"},
    "con_js_reason_means_medication": {"fr": "moyens : médicaments", "en": "means: medication"},
    "con_js_reason_means_dose": {"fr": "moyens : dose", "en": "means: dose"},
    "con_js_reason_means_blade": {"fr": "moyens : lame", "en": "means: blade"},
    "con_js_reason_means_rope": {"fr": "moyens : corde", "en": "means: rope"},
    "con_js_reason_means_firearm": {"fr": "moyens : arme à feu", "en": "means: firearm"},
    "con_js_reason_means_poison": {"fr": "moyens : poison", "en": "means: poison"},
    "con_js_reason_method_jump": {"fr": "méthode : saut", "en": "method: jumping"},
    "con_js_reason_method_train": {"fr": "méthode : train", "en": "method: train"},
    "con_js_reason_method_hanging": {"fr": "méthode : pendaison", "en": "method: hanging"},
    "con_js_reason_method_cutting": {"fr": "méthode : coupures", "en": "method: cutting"},
    "con_js_reason_method_drowning": {"fr": "méthode : noyade", "en": "method: drowning"},
    "con_js_reason_method_vehicle": {"fr": "méthode : véhicule", "en": "method: vehicle"},
    "con_js_reason_selfharm_current": {
        "fr": "automutilation actuelle",
        "en": "current self-harm",
    },
    "con_js_reason_selfharm_past": {"fr": "automutilation passée", "en": "past self-harm"},
    "con_js_reason_plan_prepared": {"fr": "plan : préparé", "en": "plan: prepared"},
    "con_js_reason_plan_decided": {"fr": "plan : décidé", "en": "plan: decided"},
    "con_js_reason_plan_means_ready": {"fr": "plan : moyens prêts", "en": "plan: means ready"},
    "con_js_reason_plan_location": {"fr": "plan : lieu choisi", "en": "plan: place chosen"},
    "con_js_reason_plan_farewell": {"fr": "plan : adieux", "en": "plan: farewells"},
    "con_js_reason_plan_letter": {"fr": "plan : lettre", "en": "plan: letter"},
    "con_js_reason_timeframe_now": {"fr": "échéance : maintenant", "en": "timeframe: now"},
    "con_js_reason_timeframe_tonight": {"fr": "échéance : ce soir", "en": "timeframe: tonight"},
    "con_js_reason_timeframe_today": {"fr": "échéance : aujourd'hui", "en": "timeframe: today"},
    "con_js_reason_timeframe_soon": {"fr": "échéance : bientôt", "en": "timeframe: soon"},
    "con_js_reason_harm_violence": {"fr": "violences subies", "en": "violence suffered"},
    "con_js_reason_concern_third_party": {
        "fr": "inquiétude pour un proche",
        "en": "concern for someone else",
    },
    "con_js_reason_suicide_exposure": {
        "fr": "suicide d'un proche",
        "en": "someone close died by suicide",
    },
    "con_js_reason_suicide_mention": {"fr": "mention du suicide", "en": "suicide mentioned"},
    "con_js_reason_distress_hopelessness": {
        "fr": "détresse : désespoir",
        "en": "distress: hopelessness",
    },
    "con_js_reason_distress_exhaustion": {
        "fr": "détresse : épuisement",
        "en": "distress: exhaustion",
    },
    "con_js_reason_distress_worthlessness": {
        "fr": "détresse : dévalorisation",
        "en": "distress: worthlessness",
    },
    "con_js_reason_distress_isolation": {"fr": "détresse : isolement", "en": "distress: isolation"},
    "con_js_reason_distress_panic": {"fr": "détresse : panique", "en": "distress: panic"},
    "con_js_reason_distress_emptiness": {"fr": "détresse : vide", "en": "distress: emptiness"},
    "con_js_reason_distress_general": {"fr": "détresse", "en": "distress"},
    "con_js_reason_context_medical": {"fr": "contexte médical", "en": "medical context"},
    "con_js_reason_context_everyday": {"fr": "contexte quotidien", "en": "everyday context"},
}
