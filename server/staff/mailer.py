"""E-mails (invitations, sign-in lock notices) through SMTP (`HAVRE_SMTP_URL`), sent with
smtplib in a thread so the worker's event loop never waits on a mail server."""

from __future__ import annotations

import asyncio
import logging
import smtplib
import ssl
from email.message import EmailMessage

from server.settings import SmtpSettings

log = logging.getLogger("havre.mail")
SMTP_TIMEOUT_SECONDS = 10


def _one_line(value: str) -> str:
    """A header value: line breaks in a tenant's name must not start new headers."""
    return " ".join(value.split())


class Mailer:
    def __init__(self, settings: SmtpSettings | None) -> None:
        self.settings = settings

    @property
    def configured(self) -> bool:
        return self.settings is not None

    async def send(self, *, to: str, subject: str, body: str) -> bool:
        """True once the server accepted the message; False (logged, no address or body in the
        log) when it could not be sent, so the caller can fall back to showing the link."""
        if self.settings is None:
            return False
        message = EmailMessage()
        message["From"] = self.settings.sender
        message["To"] = _one_line(to)
        message["Subject"] = _one_line(subject)
        message.set_content(body)
        try:
            await asyncio.to_thread(self._deliver, self.settings, message)
        except (OSError, ValueError, smtplib.SMTPException) as exc:
            log.warning("e-mail not sent: %s", type(exc).__name__)
            return False
        return True

    @staticmethod
    def _deliver(settings: SmtpSettings, message: EmailMessage) -> None:
        smtp: smtplib.SMTP
        if settings.use_tls:
            smtp = smtplib.SMTP_SSL(
                settings.host,
                settings.port,
                timeout=SMTP_TIMEOUT_SECONDS,
                context=ssl.create_default_context(),
            )
        else:
            smtp = smtplib.SMTP(settings.host, settings.port, timeout=SMTP_TIMEOUT_SECONDS)
        with smtp:
            if settings.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.username:
                smtp.login(settings.username, settings.password)
            smtp.send_message(message)
