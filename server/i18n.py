"""French and English texts for everything staff or visitors read from the API."""

from __future__ import annotations

from typing import Literal

Locale = Literal["fr", "en"]
LOCALES: tuple[Locale, ...] = ("fr", "en")

MESSAGES: dict[str, dict[Locale, str]] = {
    "bad_request": {
        "fr": "La requête est mal formée.",
        "en": "The request is malformed.",
    },
    "validation_failed": {
        "fr": "Certaines valeurs envoyées ne sont pas valides.",
        "en": "Some of the values sent are not valid.",
    },
    "invalid_text": {
        "fr": "Un texte envoyé contient un caractère de contrôle (NUL, échappement…) ou, pour "
        "un texte d'une ligne, un saut de ligne.",
        "en": "A text sent holds a control character (NUL, escape…) or, in a one-line text, "
        "a line break.",
    },
    "not_authenticated": {
        "fr": "Veuillez vous connecter.",
        "en": "Please sign in.",
    },
    "invalid_credentials": {
        "fr": "Adresse e-mail ou mot de passe incorrect.",
        "en": "Wrong e-mail address or password.",
    },
    "invalid_token": {
        "fr": "Votre session a expiré. Veuillez vous reconnecter.",
        "en": "Your session has expired. Please sign in again.",
    },
    "forbidden": {
        "fr": "Vous n'avez pas accès à cette ressource.",
        "en": "You do not have access to this resource.",
    },
    "csrf_failed": {
        "fr": "La vérification de sécurité du formulaire a échoué. Rechargez la page.",
        "en": "The form's security check failed. Reload the page.",
    },
    "not_found": {
        "fr": "Cette ressource n'existe pas.",
        "en": "This resource does not exist.",
    },
    "method_not_allowed": {
        "fr": "Cette méthode n'est pas acceptée ici.",
        "en": "This method is not allowed here.",
    },
    "body_too_large": {
        "fr": "Le contenu envoyé est trop volumineux.",
        "en": "The content sent is too large.",
    },
    "unsupported_media_type": {
        "fr": "Ce type de contenu n'est pas accepté.",
        "en": "This content type is not accepted.",
    },
    "too_many_messages": {
        "fr": "Vous écrivez très vite : votre message n'est pas parti. Il reste dans la zone de "
        "saisie, envoyez-le dans un instant.",
        "en": "You are writing very fast: your message was not sent. It is still in the box; "
        "send it again in a moment.",
    },
    "too_many_frames": {
        "fr": "Trop d'actions d'un coup. Patientez un instant.",
        "en": "Too many actions at once. Please wait a moment.",
    },
    "too_many_starts": {
        "fr": "Beaucoup de conversations ont été ouvertes d'ici. Réessayez dans un moment ; "
        "en cas d'urgence, appelez le 15 ou le 112, ou le 3114.",
        "en": "Many conversations were opened from here. Please try again in a moment; in "
        "an emergency call 112, or 3114 in France.",
    },
    "too_many_requests": {
        "fr": "Trop de tentatives. Réessayez dans quelques minutes.",
        "en": "Too many attempts. Try again in a few minutes.",
    },
    "tenant_not_found": {
        "fr": "Cette ligne d'écoute n'existe pas.",
        "en": "This listening line does not exist.",
    },
    "service_unavailable": {
        "fr": "Le service est momentanément indisponible.",
        "en": "The service is temporarily unavailable.",
    },
    "tenant_closed": {
        "fr": "La ligne est fermée pour le moment. Voici d'autres numéros qui peuvent vous aider.",
        "en": "The line is closed right now. Here are other numbers that can help you.",
    },
    "conversation_not_found": {
        "fr": "Cette conversation n'existe pas.",
        "en": "This conversation does not exist.",
    },
    "conversation_closed": {
        "fr": "Cette conversation est terminée.",
        "en": "This conversation has ended.",
    },
    "message_too_long": {
        "fr": "Ce message est trop long. Vous pouvez l'envoyer en plusieurs fois.",
        "en": "This message is too long. You can send it in several parts.",
    },
    "already_taken": {
        "fr": "Une autre personne a déjà pris cette conversation.",
        "en": "Someone else has already taken this conversation.",
    },
    "over_capacity": {
        "fr": "Vous avez déjà le nombre maximal de conversations en cours.",
        "en": "You already have the maximum number of conversations at once.",
    },
    "not_allowed": {
        "fr": "Cette conversation est réservée à une autre équipe.",
        "en": "This conversation is for another team.",
    },
    "not_your_conversation": {
        "fr": "Cette conversation ne vous est pas attribuée.",
        "en": "This conversation is not assigned to you.",
    },
    "already_rated": {
        "fr": "Vous avez déjà donné votre avis. Merci.",
        "en": "You have already given your feedback. Thank you.",
    },
    "cannot_extend": {
        "fr": "La séance ne peut être prolongée qu'une fois.",
        "en": "The session can be extended only once.",
    },
    "invalid_transfer": {
        "fr": "Ce transfert n'est pas possible.",
        "en": "This transfer is not possible.",
    },
    "colleague_unavailable": {
        "fr": "Cette personne n'est pas disponible pour une nouvelle conversation. Transférez à "
        "une équipe, ou demandez-lui de se rendre disponible.",
        "en": "This colleague is not available for a new conversation. Transfer to a team, or "
        "ask them to set themselves available.",
    },
    "colleague_full": {
        "fr": "Cette personne a déjà le nombre maximal de conversations en cours.",
        "en": "This colleague already has the maximum number of conversations at once.",
    },
    "colleague_other_team": {
        "fr": "Cette personne ne répond pas pour l'équipe de cette conversation.",
        "en": "This colleague does not answer for this conversation's team.",
    },
    "already_greeted": {
        "fr": "La connexion est déjà ouverte.",
        "en": "The connection is already open.",
    },
    "bad_frame": {
        "fr": "Message technique invalide.",
        "en": "Invalid technical message.",
    },
    "internal_error": {
        "fr": "Une erreur inattendue s'est produite. L'équipe a été prévenue.",
        "en": "An unexpected error occurred. The team has been notified.",
    },
}


def negotiate_locale(accept_language: str | None, default: Locale = "en") -> Locale:
    """The first of fr/en named in an Accept-Language header, by quality."""
    if not accept_language:
        return default
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept_language.split(",")):
        lang, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        ranked.append((-quality, index, lang.strip().lower()[:2]))
    for _, _, lang in sorted(ranked):
        if lang == "fr":
            return "fr"
        if lang == "en":
            return "en"
    return default


def register_messages(messages: dict[str, dict[Locale, str]]) -> None:
    """A feature area adds the problem titles of its own codes. A code means one thing across
    the API: defining it again with other words is a programming error, caught at import."""
    for code, titles in messages.items():
        if set(titles) != {"fr", "en"}:
            raise ValueError(f"problem title {code!r} needs French and English")
        if MESSAGES.setdefault(code, titles) != titles:
            raise ValueError(f"problem code {code!r} already has other titles")


def text(code: str, locale: Locale) -> str:
    entry = MESSAGES.get(code) or MESSAGES["internal_error"]
    return entry[locale]
