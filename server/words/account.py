"""Page texts of staff accounts (TOTP, invitations, staff and partners), in French and English."""

from __future__ import annotations

from server.i18n import Locale

_SIGN_IN: dict[str, dict[Locale, str]] = {
    "acct_second_step_title": {"fr": "Connexion en deux étapes", "en": "Two-step sign-in"},
    "acct_code_label": {
        "fr": "Code de l'application d'authentification, ou code de secours",
        "en": "Authenticator app code, or a recovery code",
    },
    "acct_code_hint": {
        "fr": "Ouvrez votre application d'authentification et saisissez le code à 6 chiffres "
        "affiché pour Havre.",
        "en": "Open your authenticator app and enter the 6-digit code it shows for Havre.",
    },
    "acct_verify": {"fr": "Vérifier", "en": "Verify"},
    "acct_start_over": {"fr": "Recommencer", "en": "Start again"},
}

_ACCOUNT: dict[str, dict[Locale, str]] = {
    "acct_title": {"fr": "Mon compte", "en": "My account"},
    "acct_profile": {"fr": "Profil", "en": "Profile"},
    "acct_name": {"fr": "Nom", "en": "Name"},
    "acct_visitor_name": {
        "fr": "Prénom ou pseudonyme montré aux personnes",
        "en": "First name or alias shown to visitors",
    },
    "acct_visitor_name_hint": {
        "fr": "Facultatif, 40 caractères au plus. Quand vous rejoignez une discussion, la "
        "personne lit par exemple « Camille, un·e bénévole formé·e, a rejoint la discussion ». "
        "Vide : seulement le rôle.",
        "en": "Optional, 40 characters at most. When you join a chat, the visitor reads for "
        'example "Camille, a trained volunteer, has joined the chat". Empty: the role only.',
    },
    "acct_language": {"fr": "Langue", "en": "Language"},
    "acct_lang_fr": {"fr": "Français", "en": "French"},
    "acct_lang_en": {"fr": "Anglais", "en": "English"},
    "acct_profile_saved": {
        "fr": "Enregistré. La langue choisie s'applique au prochain chargement de page.",
        "en": "Saved. The language chosen applies from the next page load.",
    },
    "acct_current_password": {"fr": "Mot de passe actuel", "en": "Current password"},
    "acct_new_password": {
        "fr": "Nouveau mot de passe (12 caractères au moins)",
        "en": "New password (at least 12 characters)",
    },
    "acct_change_password": {"fr": "Changer le mot de passe", "en": "Change the password"},
    "acct_password_changed": {
        "fr": "Mot de passe changé. Vos autres sessions ont été fermées.",
        "en": "Password changed. Your other sessions were signed out.",
    },
    "acct_totp_heading": {"fr": "Connexion en deux étapes", "en": "Two-step sign-in"},
    "acct_totp_on": {
        "fr": "Activée : un code de votre application est demandé après le mot de passe.",
        "en": "On: a code from your app is asked for after the password.",
    },
    "acct_totp_off": {
        "fr": "Désactivée : seul le mot de passe est demandé.",
        "en": "Off: only the password is asked for.",
    },
    "acct_totp_intro": {
        "fr": "Avec une application d'authentification (Aegis, FreeOTP, Google Authenticator…), "
        "un code à 6 chiffres est demandé après le mot de passe : un mot de passe volé ne suffit "
        "plus.",
        "en": "With an authenticator app (Aegis, FreeOTP, Google Authenticator…), a 6-digit "
        "code is asked for after the password: a stolen password is no longer enough.",
    },
    "acct_totp_start": {
        "fr": "Activer la connexion en deux étapes",
        "en": "Turn on two-step sign-in",
    },
    "acct_totp_scan": {
        "fr": "Scannez ce QR code avec votre application, ou saisissez la clé à la main.",
        "en": "Scan this QR code with your app, or type the key in by hand.",
    },
    "acct_totp_qr_alt": {
        "fr": "QR code à scanner avec l'application d'authentification",
        "en": "QR code to scan with the authenticator app",
    },
    "acct_totp_secret": {"fr": "Clé à saisir à la main", "en": "Key to type in by hand"},
    "acct_totp_confirm_label": {
        "fr": "Code à 6 chiffres affiché par l'application",
        "en": "6-digit code shown by the app",
    },
    "acct_totp_confirm": {"fr": "Confirmer", "en": "Confirm"},
    "acct_recovery_heading": {"fr": "Codes de secours", "en": "Recovery codes"},
    "acct_recovery_intro": {
        "fr": "Chaque code permet une seule connexion si vous n'avez plus votre téléphone. "
        "Notez-les ou imprimez-les maintenant : ils ne seront plus affichés.",
        "en": "Each code signs you in once if you no longer have your phone. Write them down "
        "or print them now: they will not be shown again.",
    },
    "acct_recovery_left": {
        "fr": "Codes de secours encore utilisables :",
        "en": "Recovery codes still usable:",
    },
    "acct_recovery_renew": {
        "fr": "Remplacer les codes de secours",
        "en": "Replace the recovery codes",
    },
    "acct_current_code": {
        "fr": "Code actuel (application ou code de secours)",
        "en": "Current code (app or recovery code)",
    },
    "acct_disable": {
        "fr": "Désactiver la connexion en deux étapes",
        "en": "Turn off two-step sign-in",
    },
    "acct_disabled_done": {
        "fr": "La connexion en deux étapes est désactivée.",
        "en": "Two-step sign-in is off.",
    },
    "acct_done": {"fr": "J'ai noté mes codes", "en": "I have saved my codes"},
    "acct_error_generic": {
        "fr": "Une erreur est survenue. Réessayez.",
        "en": "Something went wrong. Try again.",
    },
}

_INVITE: dict[str, dict[Locale, str]] = {
    "acct_invite_title": {"fr": "Invitation", "en": "Invitation"},
    "acct_invite_intro": {
        "fr": "Vous êtes invité·e à rejoindre {organisation} sur Havre, en tant que {role}.",
        "en": "You are invited to join {organisation} on Havre, as {role}.",
    },
    "acct_invite_for": {"fr": "Invitation pour l'adresse", "en": "Invitation for the address"},
    "acct_invite_expires": {"fr": "Valable jusqu'au", "en": "Valid until"},
    "acct_invite_new": {"fr": "Créez votre compte", "en": "Create your account"},
    "acct_invite_name": {
        "fr": "Votre nom (vu par vos collègues)",
        "en": "Your name (seen by your colleagues)",
    },
    "acct_invite_password": {
        "fr": "Mot de passe (12 caractères au moins)",
        "en": "Password (at least 12 characters)",
    },
    "acct_invite_create": {
        "fr": "Créer mon compte et rejoindre",
        "en": "Create my account and join",
    },
    "acct_invite_existing": {
        "fr": "Cette adresse a déjà un compte Havre : connectez-vous avec ce compte pour accepter.",
        "en": "This address already has a Havre account: sign in with it to accept.",
    },
    "acct_invite_sign_in": {"fr": "Se connecter pour accepter", "en": "Sign in to accept"},
    "acct_invite_join": {"fr": "Rejoindre", "en": "Join"},
    "acct_invite_other": {
        "fr": "Vous êtes connecté·e avec un autre compte. Déconnectez-vous, puis rouvrez ce lien.",
        "en": "You are signed in with another account. Sign out, then open this link again.",
    },
    "acct_invite_invalid": {
        "fr": "Ce lien d'invitation n'est pas valable : il a déjà servi, a été annulé ou a "
        "expiré. Demandez une nouvelle invitation à la personne qui vous a invité·e.",
        "en": "This invitation link is not valid: it was already used, revoked, or it expired. "
        "Ask the person who invited you for a new one.",
    },
}

_STAFF_ADMIN: dict[str, dict[Locale, str]] = {
    "acct_staff_title": {"fr": "Équipe et partenaires", "en": "Staff & partners"},
    "acct_forbidden": {
        "fr": "Seul·es les administrateur·rices de cette ligne ont accès à cette page.",
        "en": "Only this line's administrators can open this page.",
    },
    "acct_members": {"fr": "Membres", "en": "Members"},
    "acct_col_name": {"fr": "Nom", "en": "Name"},
    "acct_col_email": {"fr": "E-mail", "en": "E-mail"},
    "acct_col_role": {"fr": "Rôle", "en": "Role"},
    "acct_col_teams": {"fr": "Équipes", "en": "Teams"},
    "acct_col_status": {"fr": "Statut", "en": "Status"},
    "acct_col_totp": {"fr": "Deux étapes", "en": "Two-step"},
    "acct_col_capacity": {"fr": "Conversations à la fois", "en": "Chats at once"},
    "acct_col_supervised": {
        "fr": "Premières conversations supervisées",
        "en": "First conversations supervised",
    },
    "acct_col_actions": {"fr": "Actions", "en": "Actions"},
    "acct_active": {"fr": "actif·ve", "en": "active"},
    "acct_inactive": {"fr": "désactivé·e", "en": "deactivated"},
    "acct_yes": {"fr": "oui", "en": "on"},
    "acct_copy_link": {"fr": "Copier le lien", "en": "Copy the link"},
    "acct_copied": {"fr": "Lien copié.", "en": "Link copied."},
    "acct_no": {"fr": "non", "en": "off"},
    "acct_capacity_default": {"fr": "par défaut", "en": "default"},
    "acct_save": {"fr": "Enregistrer", "en": "Save"},
    "acct_saved": {"fr": "Enregistré.", "en": "Saved."},
    "acct_deactivate": {"fr": "Désactiver", "en": "Deactivate"},
    "acct_reactivate": {"fr": "Réactiver", "en": "Reactivate"},
    "acct_deactivate_confirm": {
        "fr": "Désactiver ce compte pour cette ligne ? La personne sera déconnectée.",
        "en": "Deactivate this account for this line? The person will be signed out.",
    },
    "acct_invite_heading": {"fr": "Inviter une personne", "en": "Invite someone"},
    "acct_email": {"fr": "Adresse e-mail", "en": "E-mail address"},
    "acct_teams_optional": {"fr": "Équipes (facultatif)", "en": "Teams (optional)"},
    "acct_invite_send": {"fr": "Inviter", "en": "Invite"},
    "acct_invite_link": {
        "fr": "Transmettez ce lien à la personne invitée (affiché une seule fois, valable "
        "7 jours, utilisable une fois) :",
        "en": "Pass this link on to the person invited (shown once, valid 7 days, usable once):",
    },
    "acct_invite_emailed": {
        "fr": "L'invitation a été envoyée par e-mail.",
        "en": "The invitation was sent by e-mail.",
    },
    "acct_pending": {"fr": "Invitations en attente", "en": "Pending invitations"},
    "acct_none_pending": {"fr": "Aucune invitation en attente.", "en": "No pending invitation."},
    "acct_revoke": {"fr": "Annuler l'invitation", "en": "Revoke"},
    "acct_partners": {"fr": "Organisations partenaires", "en": "Partner organisations"},
    "acct_partners_intro": {
        "fr": "Les écoutant·es d'une organisation partenaire peuvent répondre aux conversations "
        "de votre ligne, pour toutes vos équipes ou certaines seulement.",
        "en": "A partner organisation's listeners can answer your line's conversations, for all "
        "of your teams or only some.",
    },
    "acct_partner_slug": {
        "fr": "Identifiant de l'organisation partenaire",
        "en": "Partner organisation's identifier",
    },
    "acct_partner_all": {"fr": "Toutes les équipes", "en": "All teams"},
    "acct_partner_grant": {"fr": "Donner l'accès", "en": "Grant access"},
    "acct_partner_revoke": {"fr": "Retirer l'accès", "en": "Revoke access"},
    "acct_no_partners": {
        "fr": "Aucune organisation partenaire.",
        "en": "No partner organisation.",
    },
    "acct_you": {"fr": "(vous)", "en": "(you)"},
}

# Shown next to a field the server refused (a validation_failed problem names the field).
_FIELDS: dict[str, dict[Locale, str]] = {
    "acct_invalid_email": {
        "fr": "Adresse e-mail invalide.",
        "en": "This e-mail address is not valid.",
    },
    "acct_invalid_password": {
        "fr": "Le mot de passe doit compter au moins 12 caractères.",
        "en": "The password must be at least 12 characters long.",
    },
    "acct_invalid_new_password": {
        "fr": "Le nouveau mot de passe doit compter au moins 12 caractères.",
        "en": "The new password must be at least 12 characters long.",
    },
    "acct_invalid_visitor_name": {
        "fr": "Un prénom ou pseudonyme sur une ligne, 40 caractères au plus.",
        "en": "A first name or alias on one line, 40 characters at most.",
    },
    "acct_invalid_display_name": {
        "fr": "Indiquez votre nom (120 caractères au plus).",
        "en": "Enter your name (120 characters at most).",
    },
    "acct_invalid_capacity": {
        "fr": "La capacité va de 1 à 20 conversations (vide : valeur par défaut de la ligne).",
        "en": "Capacity is 1 to 20 chats (empty: the line's default).",
    },
    "acct_invalid_supervised_conversations": {
        "fr": "Un nombre entier de 0 à 1000.",
        "en": "A whole number from 0 to 1000.",
    },
    "acct_invalid_code": {
        "fr": "Saisissez le code à 6 chiffres ou un code de secours.",
        "en": "Enter the 6-digit code or a recovery code.",
    },
}

TEXTS: dict[str, dict[Locale, str]] = {
    **_SIGN_IN,
    **_ACCOUNT,
    **_INVITE,
    **_STAFF_ADMIN,
    **_FIELDS,
}
