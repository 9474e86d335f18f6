"""Services of the staff package built once per worker from the application's state, so the
application factory only lists this package's handlers."""

from __future__ import annotations

from litestar.datastructures import State

from server.crypto import MessageCipher
from server.staff.mailer import Mailer
from server.staff.totp import SecondFactor


def second_factor(state: State) -> SecondFactor:
    factor = state.get("second_factor")
    if not isinstance(factor, SecondFactor):
        # The message keys: see server/staff/totp.py for why they also seal TOTP secrets.
        factor = SecondFactor(MessageCipher(state.settings.chat.message_keys))
        state.second_factor = factor
    return factor


def mailer(state: State) -> Mailer:
    found = state.get("staff_mailer")
    if not isinstance(found, Mailer):
        found = Mailer(state.settings.smtp)
        state.staff_mailer = found
    return found
