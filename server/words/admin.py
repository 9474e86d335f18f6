"""Page texts of the admin console settings sections, in French and English."""

from __future__ import annotations

from server.i18n import Locale

TEXTS: dict[str, dict[Locale, str]] = {
    # Navigation (shared with the staff, audit and dashboard pages)
    "adm_nav_label": {"fr": "Sections de l'administration", "en": "Administration sections"},
    "adm_all_lines": {"fr": "Toutes vos lignes", "en": "All your lines"},
    "adm_nav_overview": {"fr": "Vue d'ensemble", "en": "Overview"},
    "adm_nav_branding": {"fr": "Apparence", "en": "Branding"},
    "adm_nav_hours": {"fr": "Horaires", "en": "Opening hours"},
    "adm_nav_teams": {"fr": "Équipes et routage", "en": "Teams and routing"},
    "adm_nav_referrals": {"fr": "Orientations", "en": "Referrals"},
    "adm_nav_replies": {"fr": "Réponses types", "en": "Canned replies"},
    "adm_nav_staff": {"fr": "Équipe humaine", "en": "Staff"},
    "adm_nav_widget": {"fr": "Widget", "en": "Widget"},
    "adm_nav_privacy": {"fr": "Confidentialité", "en": "Privacy"},
    "adm_nav_protection": {"fr": "Protection", "en": "Protection"},
    "adm_nav_audit": {"fr": "Journal d'audit", "en": "Audit log"},
    "adm_nav_dashboard": {"fr": "Tableau de bord", "en": "Dashboard"},
    # Shared bits of the section pages
    "adm_save": {"fr": "Enregistrer", "en": "Save"},
    "adm_saving": {"fr": "Enregistrement…", "en": "Saving…"},
    "adm_saved": {"fr": "Modifications enregistrées.", "en": "Changes saved."},
    "adm_invalid": {
        "fr": "Certaines valeurs ne sont pas valides : voir les messages à côté des champs.",
        "en": "Some values are not valid: see the messages next to the fields.",
    },
    "adm_failed": {
        "fr": "L'enregistrement a échoué. Rechargez la page et réessayez.",
        "en": "Saving failed. Reload the page and try again.",
    },
    "adm_remove": {"fr": "Supprimer", "en": "Delete"},
    "adm_move_up": {"fr": "Monter", "en": "Move up"},
    "adm_move_down": {"fr": "Descendre", "en": "Move down"},
    "adm_optional": {"fr": "facultatif", "en": "optional"},
    "adm_french": {"fr": "Français", "en": "French"},
    "adm_english": {"fr": "Anglais", "en": "English"},
    "adm_none": {"fr": "Aucun·e", "en": "None"},
    "adm_comma_hint": {"fr": "séparés par des virgules", "en": "separated by commas"},
    "adm_key": {"fr": "Identifiant :", "en": "Identifier:"},
    "adm_key_hint": {
        "fr": "Créé à l'enregistrement à partir du nom.",
        "en": "Made from the name when saved.",
    },
    # /admin/
    "adm_lines_intro": {
        "fr": "Choisissez la ligne à configurer.",
        "en": "Choose the line to set up.",
    },
    # Overview
    "adm_overview_title": {"fr": "Vue d'ensemble", "en": "Overview"},
    "adm_now": {"fr": "En ce moment, les visiteurs lisent :", "en": "Right now, visitors read:"},
    "adm_open": {"fr": "Ouvert", "en": "Open"},
    "adm_closed": {"fr": "Fermé", "en": "Closed"},
    "adm_count_teams": {"fr": "Équipes", "en": "Teams"},
    "adm_count_referrals": {
        "fr": "Orientations (visibles / total)",
        "en": "Referrals (shown / total)",
    },
    "adm_count_replies": {"fr": "Réponses types", "en": "Canned replies"},
    "adm_count_origins": {"fr": "Sites autorisés", "en": "Allowed websites"},
    "adm_retention_days": {
        "fr": "Conservation des conversations : {days} jours",
        "en": "Conversations kept for: {days} days",
    },
    "adm_routing_mode": {"fr": "Mode de distribution", "en": "Routing mode"},
    # Branding
    "adm_branding_title": {"fr": "Apparence du widget", "en": "Widget branding"},
    "adm_name": {"fr": "Nom de la ligne", "en": "Name of the line"},
    "adm_primary_color": {"fr": "Couleur principale", "en": "Primary colour"},
    "adm_text_color": {
        "fr": "Couleur du texte sur la couleur principale",
        "en": "Text colour on the primary colour",
    },
    "adm_logo_url": {"fr": "Adresse du logo", "en": "Logo address"},
    "adm_welcome": {"fr": "Message d'accueil", "en": "Welcome message"},
    "adm_role_word": {
        "fr": "Qui répond, tel que le lit la personne (avec l'article : « une psychologue du "
        "service »)",
        "en": 'Who answers, as the visitor reads it (with its article: "a student peer supporter")',
    },
    "adm_launcher_label": {"fr": "Libellé du bouton", "en": "Button label"},
    "adm_position": {"fr": "Position du bouton", "en": "Button position"},
    "adm_left": {"fr": "À gauche", "en": "Left"},
    "adm_right": {"fr": "À droite", "en": "Right"},
    "adm_exit_url": {
        "fr": "Adresse de sortie rapide (page neutre)",
        "en": "Quick-exit address (a neutral page)",
    },
    "adm_preview": {"fr": "Aperçu (non enregistré)", "en": "Preview (not saved)"},
    "adm_preview_frame": {"fr": "Aperçu du widget", "en": "Widget preview"},
    "adm_contrast": {"fr": "Contraste des couleurs", "en": "Colour contrast"},
    "adm_contrast_ok": {
        "fr": "Les couleurs respectent le contraste WCAG AA.",
        "en": "The colours meet WCAG AA contrast.",
    },
    # Hours
    "adm_hours_title": {"fr": "Horaires d'ouverture", "en": "Opening hours"},
    "adm_time_zone": {"fr": "Fuseau horaire", "en": "Time zone"},
    "adm_cutoff": {
        "fr": "Plus de nouvelle conversation dans les dernières (minutes)",
        "en": "No new conversation in the last (minutes)",
    },
    "adm_weekly": {"fr": "Semaine type", "en": "Weekly schedule"},
    "adm_weekly_hint": {
        "fr": "Une plage qui ferme avant son ouverture se termine le lendemain (20:00–02:00). "
        "00:00–00:00 : toute la journée.",
        "en": "A slot that closes before it opens ends the next day (20:00–02:00). "
        "00:00–00:00: the whole day.",
    },
    "adm_days": {"fr": "Jours", "en": "Days"},
    "adm_opens": {"fr": "Ouverture", "en": "Opens"},
    "adm_closes": {"fr": "Fermeture", "en": "Closes"},
    "adm_team": {"fr": "Équipe", "en": "Team"},
    "adm_all_teams": {"fr": "Toute la ligne", "en": "The whole line"},
    "adm_add_slot": {"fr": "Ajouter une plage", "en": "Add a slot"},
    "adm_exceptions": {"fr": "Jours particuliers", "en": "Special days"},
    "adm_exceptions_hint": {
        "fr": "Sans horaires : fermé toute la journée. Avec : ouvert seulement sur cette plage.",
        "en": "Without times: closed all day. With times: open only in that slot.",
    },
    "adm_date": {"fr": "Date", "en": "Date"},
    "adm_label_fr": {"fr": "Libellé (français)", "en": "Label (French)"},
    "adm_label_en": {"fr": "Libellé (anglais)", "en": "Label (English)"},
    "adm_add_exception": {"fr": "Ajouter un jour particulier", "en": "Add a special day"},
    "adm_hours_preview": {
        "fr": "Ce que lit un visiteur en ce moment (avec ces horaires)",
        "en": "What a visitor reads right now (with these hours)",
    },
    # Teams and routing
    "adm_teams_title": {"fr": "Équipes et routage", "en": "Teams and routing"},
    "adm_routing": {"fr": "Distribution des conversations", "en": "How conversations are routed"},
    "adm_mode_claim": {
        "fr": "Prise en charge : les écoutant·es choisissent dans la file",
        "en": "Claim: listeners take chats from the queue",
    },
    "adm_mode_auto": {
        "fr": "Automatique : attribuée à la personne disponible la moins occupée",
        "en": "Automatic: given to the least busy available listener",
    },
    "adm_capacity": {
        "fr": "Conversations simultanées par écoutant·e (par défaut)",
        "en": "Simultaneous chats per listener (default)",
    },
    "adm_session_limit": {
        "fr": "Durée maximale d'une conversation (minutes)",
        "en": "Session limit (minutes)",
    },
    "adm_inactivity": {
        "fr": "Fin après inactivité du visiteur (minutes)",
        "en": "End after visitor inactivity (minutes)",
    },
    "adm_shift_alert": {
        "fr": "Alerter la supervision après un service en conversation de (minutes)",
        "en": "Alert supervisors after a listener's shift in conversations of (minutes)",
    },
    "adm_wait_alert": {
        "fr": "Alerter la supervision après une attente de (minutes)",
        "en": "Alert supervisors after a wait of (minutes)",
    },
    "adm_teams": {"fr": "Équipes", "en": "Teams"},
    "adm_team_name": {"fr": "Nom de l'équipe", "en": "Team name"},
    "adm_languages": {"fr": "Langues traitées", "en": "Languages handled"},
    "adm_team_topics": {
        "fr": "Thèmes orientés vers cette équipe",
        "en": "Topics routed to this team",
    },
    "adm_team_topics_hint": {
        "fr": "Parmi les thèmes de la ligne, cochés plus haut.",
        "en": "Chosen from the line's topics, ticked above.",
    },
    "adm_team_role_hint": {
        "fr": "Qui répond dans cette équipe, si ce n'est pas le mot de la ligne (onglet "
        "Apparence) : par exemple « une psychologue du service ». Facultatif.",
        "en": "Who answers in this team, if not the line's word (Branding section): for "
        'example "a psychologist of the service". Optional.',
    },
    "adm_role_word_fr": {"fr": "Qui répond (français)", "en": "Who answers (French)"},
    "adm_role_word_en": {"fr": "Qui répond (anglais)", "en": "Who answers (English)"},
    "adm_line_topics": {"fr": "Thèmes de la ligne", "en": "The line's topics"},
    "adm_line_topics_hint": {
        "fr": "Ce qu'une personne peut choisir avant d'écrire, ce que l'écoutant·e note en "
        "fin d'échange et ce que compte le tableau de bord. Aucun coché : les thèmes des "
        "équipes.",
        "en": "What a visitor may choose before writing, what the listener records at "
        "wrap-up and what the dashboard counts. None ticked: the teams' topics.",
    },
    "adm_members": {"fr": "Membres", "en": "Members"},
    "adm_add_team": {"fr": "Ajouter une équipe", "en": "Add a team"},
    "adm_no_staff": {
        "fr": "Personne dans l'organisation pour l'instant.",
        "en": "Nobody in the organisation yet.",
    },
    # Referrals
    "adm_referrals_title": {"fr": "Liste d'orientations", "en": "Referral list"},
    "adm_referrals_intro": {
        "fr": "Les ressources que les écoutant·es peuvent envoyer, dans cet ordre ; les "
        "numéros d'urgence sont aussi montrés aux visiteurs.",
        "en": "The resources listeners can send, in this order; emergency numbers are also "
        "shown to visitors.",
    },
    "adm_referral_name_fr": {"fr": "Nom en français", "en": "Name in French"},
    "adm_referral_name_en": {"fr": "Nom en anglais", "en": "Name in English"},
    "adm_referral_name_hint": {
        "fr": "Laissez le nom anglais vide quand il est le même dans les deux langues "
        "(3114, SOS Amitié).",
        "en": "Leave the English name empty when it is the same in both languages "
        "(3114, SOS Amitié).",
    },
    "adm_new_referral": {"fr": "Nouvelle orientation", "en": "New referral"},
    "adm_referral_form": {"fr": "Fiche de l'orientation", "en": "Referral details"},
    "adm_edit": {"fr": "Modifier", "en": "Edit"},
    "adm_close_form": {"fr": "Fermer la fiche", "en": "Close the form"},
    "adm_tag_emergency": {"fr": "Urgence", "en": "Emergency"},
    "adm_tag_hidden": {"fr": "Masquée", "en": "Hidden"},
    "adm_tel_short": {"fr": "Tél.", "en": "Tel."},
    "adm_no_contact": {"fr": "Aucun moyen de contact", "en": "No way to reach it yet"},
    "adm_referral_topics_hint": {
        "fr": "Ce pour quoi le service aide : les écoutant·es filtrent la liste par thème.",
        "en": "What the service helps with: listeners filter the list by topic.",
    },
    "adm_phone": {"fr": "Téléphone", "en": "Phone"},
    "adm_sms": {"fr": "SMS", "en": "SMS"},
    "adm_url": {"fr": "Site web", "en": "Website"},
    "adm_referral_hours_fr": {"fr": "Horaires (français)", "en": "Hours (French)"},
    "adm_referral_hours_en": {"fr": "Horaires (anglais)", "en": "Hours (English)"},
    "adm_description_fr": {"fr": "Description (français)", "en": "Description (French)"},
    "adm_description_en": {"fr": "Description (anglais)", "en": "Description (English)"},
    "adm_referral_topics": {"fr": "Thèmes", "en": "Topics"},
    "adm_emergency": {
        "fr": "Numéro d'urgence (montré aussi aux visiteurs, en haut du widget)",
        "en": "Emergency number (also shown to visitors, at the top of the widget)",
    },
    "adm_hidden": {
        "fr": "Masquée (gardée dans la liste, proposée à personne)",
        "en": "Hidden (kept in the list, offered to nobody)",
    },
    "adm_add_referral": {"fr": "Ajouter une orientation", "en": "Add a referral"},
    "adm_reset_referrals": {
        "fr": "Revenir à la liste nationale par défaut",
        "en": "Reset to the national defaults",
    },
    "adm_reset_confirm": {
        "fr": "Remplacer toute la liste par les ressources nationales (3114, 15, 112, 114, "
        "SOS Amitié…) ? Les orientations ajoutées seront supprimées.",
        "en": "Replace the whole list with the national resources (3114, 15, 112, 114, "
        "SOS Amitié…)? The referrals you added will be deleted.",
    },
    # Canned replies
    "adm_replies_title": {"fr": "Réponses types", "en": "Canned replies"},
    "adm_replies_intro": {
        "fr": "Des messages prêts à adapter, proposés aux écoutant·es dans la langue de la "
        "conversation.",
        "en": "Ready-made messages to adapt, offered to listeners in the conversation's language.",
    },
    "adm_replies_fr": {"fr": "En français", "en": "In French"},
    "adm_replies_en": {"fr": "En anglais", "en": "In English"},
    "adm_reply_title": {"fr": "Titre", "en": "Title"},
    "adm_reply_body": {"fr": "Message", "en": "Message"},
    "adm_add_reply": {"fr": "Ajouter une réponse", "en": "Add a reply"},
    # Widget
    "adm_widget_title": {"fr": "Installer le widget", "en": "Install the widget"},
    "adm_origins": {
        "fr": "Sites autorisés à afficher le widget",
        "en": "Websites allowed to show the widget",
    },
    "adm_origins_hint": {
        "fr": "Une origine par ligne, par exemple https://www.exemple.fr (sans chemin).",
        "en": "One origin per line, for example https://www.example.org (no path).",
    },
    "adm_snippet": {"fr": "À copier dans vos pages", "en": "To paste into your pages"},
    "adm_snippet_hint": {
        "fr": "Juste avant </body>, sur chaque page où le widget doit apparaître.",
        "en": "Just before </body>, on every page where the widget should appear.",
    },
    "adm_copy": {"fr": "Copier le code", "en": "Copy the code"},
    "adm_copied": {"fr": "Code copié.", "en": "Code copied."},
    "adm_copy_selected": {
        "fr": "Code sélectionné : copiez-le avec Ctrl+C (⌘+C sur Mac).",
        "en": "Code selected: copy it with Ctrl+C (⌘+C on a Mac).",
    },
    "adm_test_page": {"fr": "Ouvrir la page de test", "en": "Open the test page"},
    "adm_test_title": {"fr": "Page de test du widget", "en": "Widget test page"},
    "adm_test_intro": {
        "fr": "Cette page charge le vrai widget de la ligne, comme le ferait votre site.",
        "en": "This page loads the line's real widget, as your website would.",
    },
    "adm_test_origin_missing": {
        "fr": "L'adresse de Havre ({origin}) ne figure pas parmi les sites autorisés : le "
        "bouton s'affiche, mais la conversation refusera de s'ouvrir ici.",
        "en": "Havre's own address ({origin}) is not among the allowed websites: the button "
        "shows, but the chat will refuse to open here.",
    },
    # Privacy
    "adm_privacy_title": {"fr": "Confidentialité", "en": "Privacy"},
    "adm_retention": {
        "fr": "Durée de conservation des conversations (jours)",
        "en": "How long conversations are kept (days)",
    },
    "adm_retention_hint": {
        "fr": "De 1 à 3650 jours. La suppression automatique des conversations plus anciennes "
        "arrivera dans une prochaine version : pour l'instant, ce réglage est enregistré et "
        "affiché, mais rien n'est encore effacé.",
        "en": "From 1 to 3650 days. Automatic deletion of older conversations comes in a later "
        "version: for now this setting is stored and shown, but nothing is deleted yet.",
    },
}
