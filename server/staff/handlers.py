"""Every handler of the staff-account package beyond sign-in, for the application factory."""

from __future__ import annotations

from typing import Any

from server.staff.account_routes import AccountController, account_page
from server.staff.admin_routes import PartnersController, StaffAdminController, staff_admin_page
from server.staff.invitation_routes import accept_invitation, invite_page

STAFF_HANDLERS: list[Any] = [
    AccountController,
    account_page,
    invite_page,
    accept_invitation,
    StaffAdminController,
    PartnersController,
    staff_admin_page,
]
