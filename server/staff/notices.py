"""Telling a staff member that their account is under attack: an audit entry in each of their
organisations and an e-mail in their language (when SMTP is configured)."""

from __future__ import annotations

from server import audit
from server.access import staff_access
from server.db import Database
from server.i18n import Locale
from server.staff import repository
from server.staff.mailer import Mailer

LOCKED_MAIL: dict[Locale, tuple[str, str]] = {
    "fr": (
        "Havre : des connexions à votre compte ont été bloquées",
        "Bonjour {name},\n\n"
        "De nombreux mots de passe erronés viennent d'être essayés sur votre compte Havre "
        "({email}), depuis plusieurs appareils.\n\n"
        "Par précaution, pendant {minutes} minutes, seuls les appareils depuis lesquels vous "
        "vous êtes déjà connecté·e peuvent se connecter à ce compte. Depuis l'un d'eux, votre "
        "mot de passe reste accepté : vous pouvez continuer à travailler normalement.\n\n"
        "Si ces essais ne viennent pas de vous, votre mot de passe n'a pas été trouvé pour "
        "autant. Par prudence, choisissez un mot de passe long et unique dans « Mon compte », "
        "et activez la connexion en deux étapes.\n",
    ),
    "en": (
        "Havre: sign-ins to your account were blocked",
        "Hello {name},\n\n"
        "Many wrong passwords were just tried on your Havre account ({email}), from several "
        "devices.\n\n"
        "As a precaution, for {minutes} minutes only the devices you have signed in from "
        "before can sign in to this account. From one of them your password still works: you "
        "can go on working as usual.\n\n"
        "If these attempts were not yours, your password has not been found for all that. To "
        "be safe, choose a long, unique password in \u201cMy account\u201d and turn on two-step "
        "sign-in.\n",
    ),
}


def locked_mail(*, locale: str, name: str, email: str, minutes: int) -> tuple[str, str]:
    subject, body = LOCKED_MAIL["en" if locale == "en" else "fr"]
    return subject, body.format(name=name or email, email=email, minutes=minutes)


async def account_locked(db: Database, mailer: Mailer, email: str, *, minutes: int) -> None:
    """Audited in each organisation the account belongs to, and mailed to its owner."""
    credentials = await repository.credentials_for(db, email)
    if credentials is None or not credentials.is_active:
        return
    staff_id = credentials.id
    async with db.transaction(staff_id=staff_id) as conn:
        profile = await repository.profile(conn, staff_id)
    for access in await staff_access(db, staff_id):
        if access.via_partner is None:
            async with db.tenant_transaction(access.organisation_id) as conn:
                await audit.record(
                    conn,
                    organisation_id=access.organisation_id,
                    actor_id=None,
                    action="staff.sign_in_locked",
                    target=email,
                    details={"minutes": minutes},
                )
    if profile is None or not mailer.configured:
        return
    subject, body = locked_mail(
        locale=profile.locale, name=profile.display_name, email=email, minutes=minutes
    )
    await mailer.send(to=email, subject=subject, body=body)
