"""Refused values as field errors, worded in French and English for the admin console.

msgspec names the first value it refuses (`$.hours[2].opens`) in English; the rules across
keys (server/tenants/parsing.py) give a path and a stable code. Both become `FieldError`s
that the console shows next to the field, inside one `validation_failed` problem."""

from __future__ import annotations

import re
from typing import Any, TypeVar

import msgspec

from server.admin.structs import FieldError
from server.errors import InvalidInput
from server.i18n import Locale
from server.tenants.parsing import RuleViolation
from server.tenants.structs import ONE_LINE

T = TypeVar("T")

MESSAGES: dict[str, dict[Locale, str]] = {
    "required": {"fr": "Ce champ est obligatoire.", "en": "This field is required."},
    "too_long": {
        "fr": "Trop long : {limit} caractères au plus.",
        "en": "Too long: {limit} characters at most.",
    },
    "too_short": {
        "fr": "Trop court : {limit} caractères au moins.",
        "en": "Too short: at least {limit} characters.",
    },
    "too_few": {"fr": "Choisissez-en au moins {limit}.", "en": "Choose at least {limit}."},
    "too_many": {"fr": "{limit} au plus.", "en": "{limit} at most."},
    "too_small": {"fr": "Au moins {limit}.", "en": "At least {limit}."},
    "too_large": {"fr": "Au plus {limit}.", "en": "At most {limit}."},
    "wrong_type": {"fr": "Valeur du mauvais type.", "en": "Value of the wrong type."},
    "whole_number": {"fr": "Un nombre entier est attendu.", "en": "A whole number is expected."},
    "invalid_choice": {"fr": "Ce choix n'est pas proposé.", "en": "This choice is not offered."},
    "unknown_field": {"fr": "Champ inconnu : {name}.", "en": "Unknown field: {name}."},
    "invalid_date": {"fr": "Date invalide (AAAA-MM-JJ).", "en": "Invalid date (YYYY-MM-DD)."},
    "invalid_id": {"fr": "Identifiant invalide.", "en": "Invalid identifier."},
    "invalid_format": {"fr": "Format invalide.", "en": "Invalid format."},
    "invalid_colour": {
        "fr": "Une couleur s'écrit #rrggbb (par exemple #1f4e79).",
        "en": "A colour is written #rrggbb (for example #1f4e79).",
    },
    "invalid_url": {
        "fr": "Une adresse web commence par https:// (ou http://), sans espace.",
        "en": "A web address starts with https:// (or http://), without spaces.",
    },
    "invalid_origin": {
        "fr": "Une origine s'écrit https://exemple.fr ou http://hote:port, sans chemin ni / final.",
        "en": "An origin is written https://example.org or http://host:port, with no path "
        "and no trailing /.",
    },
    "invalid_phone": {
        "fr": "Chiffres et espaces seulement, + au début si besoin (20 caractères au plus).",
        "en": "Digits and spaces only, with + first if needed (20 characters at most).",
    },
    "invalid_time": {
        "fr": "Une heure s'écrit HH:MM (par exemple 20:00).",
        "en": "A time is written HH:MM (for example 20:00).",
    },
    "one_line": {
        "fr": "Une seule ligne, sans saut de ligne ni tabulation.",
        "en": "One line, without a line break or a tab.",
    },
    "invalid_key": {
        "fr": "Lettres minuscules, chiffres et tirets seulement (63 au plus).",
        "en": "Lowercase letters, digits and hyphens only (63 at most).",
    },
    "unknown_time_zone": {
        "fr": "Fuseau horaire inconnu (par exemple Europe/Paris).",
        "en": "Unknown time zone (for example Europe/Paris).",
    },
    "duplicate_topic": {
        "fr": "Un thème figure deux fois.",
        "en": "A topic is listed twice.",
    },
    "topic_not_listed": {
        "fr": "Ce thème ne fait pas partie des thèmes de la ligne : ajoutez-le d'abord.",
        "en": "This topic is not one of the line's topics: add it first.",
    },
    "duplicate_team": {
        "fr": "Deux équipes ont le même identifiant.",
        "en": "Two teams share an identifier.",
    },
    "same_opening_and_closing": {
        "fr": "L'ouverture et la fermeture sont à la même heure (00:00–00:00 : toute la journée).",
        "en": "Opening and closing are at the same time (00:00–00:00: the whole day).",
    },
    "unknown_team": {"fr": "Cette équipe n'existe pas.", "en": "This team does not exist."},
    "team_has_hours": {
        "fr": "Des horaires d'ouverture utilisent cette équipe : retirez-les d'abord.",
        "en": "Opening hours use this team: remove them first.",
    },
    "team_granted_to_partner": {
        "fr": "Une organisation partenaire a accès à cette équipe : retirez d'abord cet accès.",
        "en": "A partner organisation has access to this team: remove that grant first.",
    },
    "opens_without_closes": {
        "fr": "Indiquez l'ouverture et la fermeture, ou aucune des deux (fermé toute la journée).",
        "en": "Give both opening and closing, or neither (closed all day).",
    },
    "duplicate_exception": {
        "fr": "Cette date a déjà une exception.",
        "en": "This date already has an exception.",
    },
    "duplicate_referral": {
        "fr": "Deux orientations ont le même identifiant.",
        "en": "Two referrals share an identifier.",
    },
    "referral_without_contact": {
        "fr": "Indiquez au moins un téléphone, un numéro SMS ou une adresse web.",
        "en": "Give at least a phone number, an SMS number or a web address.",
    },
    "duplicate_reply": {
        "fr": "Deux réponses de la même langue ont le même identifiant.",
        "en": "Two replies in the same language share an identifier.",
    },
    "not_a_member": {
        "fr": "Cette personne ne fait pas partie de l'organisation.",
        "en": "This person is not a member of the organisation.",
    },
}

_FORMAT_BY_FIELD = {
    "primary_color": "invalid_colour",
    "text_color": "invalid_colour",
    "logo_url": "invalid_url",
    "exit_url": "invalid_url",
    "url": "invalid_url",
    "allowed_origins": "invalid_origin",
    "phone": "invalid_phone",
    "sms": "invalid_phone",
    "opens": "invalid_time",
    "closes": "invalid_time",
    "key": "invalid_key",
    "slug": "invalid_key",
    "team": "invalid_key",
    "topics": "invalid_key",
}
_AT = re.compile(r"^(?P<what>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.S)


def message(code: str, locale: Locale, **values: Any) -> str:
    return MESSAGES.get(code, MESSAGES["invalid_format"])[locale].format(**values)


def _last_name(path: str) -> str:
    names = re.findall(r"[A-Za-z_]+", path)
    return names[-1] if names else ""


def _classify(what: str, path: str) -> tuple[str, str, dict[str, Any]]:
    """(field path, code, values) of one msgspec validation message."""
    if found := re.match(r"Object missing required field `(\w+)`", what):
        return f"{path}.{found[1]}".lstrip("."), "required", {}
    if found := re.match(r"Object contains unknown field `([^`]*)`", what):
        return path.lstrip("."), "unknown_field", {"name": found[1]}
    field = path.lstrip(".")
    if found := re.search(r"`str` of length >= (\d+)", what):
        code = "required" if found[1] == "1" else "too_short"
        return field, code, {"limit": int(found[1])}
    if found := re.search(r"`str` of length <= (\d+)", what):
        return field, "too_long", {"limit": int(found[1])}
    if found := re.search(r"`array` of length >= (\d+)", what):
        return field, "too_few", {"limit": int(found[1])}
    if found := re.search(r"`array` of length <= (\d+)", what):
        return field, "too_many", {"limit": int(found[1])}
    if found := re.search(r"`int` >= (-?\d+)", what):
        return field, "too_small", {"limit": int(found[1])}
    if found := re.search(r"`int` <= (-?\d+)", what):
        return field, "too_large", {"limit": int(found[1])}
    if "matching regex" in what and repr(ONE_LINE)[1:-1] in what:
        return field, "one_line", {}
    if "matching regex" in what:
        return field, _FORMAT_BY_FIELD.get(_last_name(field), "invalid_format"), {}
    if what.startswith("Invalid enum value"):
        return field, "invalid_choice", {}
    if "date" in what and what.startswith("Invalid"):
        return field, "invalid_date", {}
    if what.startswith("Invalid UUID"):
        return field, "invalid_id", {}
    if "Expected `int`" in what:
        return field, "whole_number", {}
    if "got `null`" in what:
        return field, "required", {}
    return field, "wrong_type", {}


def invalid(errors: list[FieldError]) -> InvalidInput:
    return InvalidInput(details={"errors": [msgspec.to_builtins(e) for e in errors]})


def convert(data: Any, kind: type[T], locale: Locale) -> T:
    """The request body as `kind`, or a validation_failed problem naming the field."""
    try:
        return msgspec.convert(data, kind)
    except msgspec.ValidationError as exc:
        found = _AT.match(str(exc))
        what, path = (found["what"], found["path"] or "") if found else (str(exc), "")
        field, code, values = _classify(what, path)
        raise invalid([FieldError(field, code, message(code, locale, **values))]) from None


def rule_errors(
    violations: list[RuleViolation], locale: Locale, section: str = ""
) -> list[FieldError]:
    errors: list[FieldError] = []
    for violation in violations:
        field, code = violation.where, violation.code
        if field.startswith("partners") and code == "unknown_team":
            # The console does not edit grants: the team being deleted is what is at fault.
            field, code = "teams", "team_granted_to_partner"
        elif section == "teams" and code == "unknown_team":
            # Saving teams: the fault is the team deleted from under its opening hours.
            field, code = "teams", "team_has_hours"
        errors.append(FieldError(field, code, message(code, locale)))
    return errors
