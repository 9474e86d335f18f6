"""Readable French and English names for audit log actions; an unknown code shows as itself."""

from __future__ import annotations

from server.i18n import Locale

# The actions written today (grep `action=` under server/); keep this list in step with them.
ACTION_LABELS: dict[str, dict[Locale, str]] = {
    # Accounts (server/staff/service.py, notices.py, totp.py)
    "staff.sign_in": {"fr": "Connexion", "en": "Sign-in"},
    "staff.password_changed": {"fr": "Mot de passe changé", "en": "Password changed"},
    "staff.sign_in_locked": {
        "fr": "Connexions bloquées après de nombreux échecs",
        "en": "Sign-ins blocked after many failures",
    },
    "staff.totp_enabled": {
        "fr": "Double authentification activée",
        "en": "Two-factor authentication enabled",
    },
    "staff.totp_disabled": {
        "fr": "Double authentification désactivée",
        "en": "Two-factor authentication disabled",
    },
    "staff.recovery_codes_renewed": {
        "fr": "Codes de secours renouvelés",
        "en": "Recovery codes renewed",
    },
    # Staff of the line (server/staff/invitations.py, members.py, partners.py)
    "staff.invited": {"fr": "Invitation envoyée", "en": "Invitation sent"},
    "staff.invitation_revoked": {"fr": "Invitation annulée", "en": "Invitation revoked"},
    "staff.invitation_accepted": {"fr": "Invitation acceptée", "en": "Invitation accepted"},
    "staff.role_changed": {"fr": "Rôle modifié", "en": "Role changed"},
    "staff.deactivated": {"fr": "Compte désactivé", "en": "Account deactivated"},
    "staff.reactivated": {"fr": "Compte réactivé", "en": "Account reactivated"},
    "staff.settings_changed": {
        "fr": "Réglages d'un membre modifiés",
        "en": "Member settings changed",
    },
    "partner.granted": {"fr": "Partenaire autorisé", "en": "Partner granted"},
    "partner.revoked": {"fr": "Partenaire retiré", "en": "Partner revoked"},
    # Line settings (server/admin/service.py: settings.<section>)
    "settings.branding": {"fr": "Apparence modifiée", "en": "Branding changed"},
    "settings.hours": {"fr": "Horaires modifiés", "en": "Opening hours changed"},
    "settings.teams": {"fr": "Équipes et routage modifiés", "en": "Teams and routing changed"},
    "settings.referrals": {"fr": "Orientations modifiées", "en": "Referrals changed"},
    "settings.replies": {"fr": "Réponses types modifiées", "en": "Canned replies changed"},
    "settings.widget": {"fr": "Widget modifié", "en": "Widget changed"},
    "settings.privacy": {"fr": "Confidentialité modifiée", "en": "Privacy settings changed"},
    "settings.protection": {
        "fr": "Protection contre les abus modifiée",
        "en": "Abuse protection changed",
    },
    # Visitors (server/protection/blocks.py)
    "visitor.blocked": {"fr": "Personne bloquée", "en": "Visitor blocked"},
    "visitor.unblocked": {"fr": "Blocage levé", "en": "Block lifted"},
    # Conversations (server/conversations/supervision.py)
    "transcript.view": {"fr": "Transcription consultée", "en": "Transcript viewed"},
    "conversation.take_over": {"fr": "Conversation reprise", "en": "Conversation taken over"},
}


def action_label(action: str, locale: Locale) -> str:
    entry = ACTION_LABELS.get(action)
    return entry[locale] if entry else action
