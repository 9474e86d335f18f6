"""Problem titles for the staff-account error codes, in French and English.

Registered with `server.i18n` when this package is imported, so that every problem this
package raises has a real title rather than the generic one.
"""

from __future__ import annotations

from server.i18n import Locale, register_messages

STAFF_MESSAGES: dict[str, dict[Locale, str]] = {
    "invalid_code": {
        "fr": "Ce code n'est pas valide. Saisissez le code à 6 chiffres affiché maintenant "
        "par votre application, ou un code de secours.",
        "en": "This code is not valid. Enter the 6-digit code your app shows now, "
        "or a recovery code.",
    },
    "second_step_expired": {
        "fr": "Cette étape de connexion a expiré. Recommencez avec votre mot de passe.",
        "en": "This sign-in step has expired. Start again with your password.",
    },
    "totp_already_enabled": {
        "fr": "La connexion en deux étapes est déjà activée sur ce compte.",
        "en": "Two-step sign-in is already enabled on this account.",
    },
    "totp_not_enabled": {
        "fr": "La connexion en deux étapes n'est pas activée sur ce compte.",
        "en": "Two-step sign-in is not enabled on this account.",
    },
    "totp_not_started": {
        "fr": "Commencez par afficher le QR code, puis saisissez le code.",
        "en": "Show the QR code first, then enter the code.",
    },
    "sign_in_delayed": {
        "fr": "Plusieurs essais ont échoué depuis cet appareil. Patientez quelques secondes avant "
        "de réessayer (l'attente s'allonge à chaque nouvel échec).",
        "en": "Several attempts failed from this device. Wait a few seconds before trying again "
        "(the wait grows with each new failure).",
    },
    "sign_in_refused": {
        "fr": "Trop d'échecs de connexion depuis cet appareil ou ce réseau. Réessayez plus tard.",
        "en": "Too many failed sign-ins from this device or network. Try again later.",
    },
    "account_protected": {
        "fr": "Ce compte est protégé après de nombreux essais de connexion. Connectez-vous depuis "
        "un appareil que vous avez déjà utilisé, ou réessayez plus tard.",
        "en": "This account is protected after many sign-in attempts. Sign in from a device you "
        "have used before, or try again later.",
    },
    "wrong_password": {
        "fr": "Le mot de passe actuel n'est pas le bon.",
        "en": "The current password is not right.",
    },
    "invitation_not_found": {
        "fr": "Cette invitation n'existe pas, a déjà servi, a été annulée ou a expiré.",
        "en": "This invitation does not exist, has already been used, was revoked or expired.",
    },
    "invitation_other_account": {
        "fr": "Cette invitation est destinée à une autre adresse que celle de votre compte.",
        "en": "This invitation is for another address than your account's.",
    },
    "account_exists": {
        "fr": "Un compte existe déjà pour cette adresse : connectez-vous pour accepter.",
        "en": "An account already exists for this address: sign in to accept.",
    },
    "already_member": {
        "fr": "Cette personne fait déjà partie de l'équipe.",
        "en": "This person is already a member.",
    },
    "owner_only": {
        "fr": "Seul·e un·e responsable peut attribuer ou modifier ce rôle.",
        "en": "Only an owner can give or change this role.",
    },
    "owner_protected": {
        "fr": "Seul·e un·e responsable peut modifier le compte d'un·e responsable.",
        "en": "Only an owner can change an owner's account.",
    },
    "last_owner": {
        "fr": "Il faut garder au moins un·e responsable actif·ve.",
        "en": "At least one active owner must remain.",
    },
    "member_not_found": {
        "fr": "Cette personne ne fait pas partie de l'équipe.",
        "en": "This person is not a member.",
    },
    "unknown_team": {
        "fr": "Cette équipe n'existe pas dans cette ligne.",
        "en": "This team does not exist in this line.",
    },
    "partner_not_found": {
        "fr": "Aucune organisation n'a cet identifiant.",
        "en": "No organisation has this identifier.",
    },
    "partner_is_self": {
        "fr": "Une organisation ne peut pas être sa propre partenaire.",
        "en": "An organisation cannot be its own partner.",
    },
    "grant_not_found": {
        "fr": "Cette organisation n'a pas d'accès à vos conversations.",
        "en": "This organisation has no access to your conversations.",
    },
}


register_messages(STAFF_MESSAGES)
