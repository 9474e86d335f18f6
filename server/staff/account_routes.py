"""The signed-in staff member's own account: the /account/ page and two-step sign-in
(enrol with a QR code, confirm with a code, recovery codes, disable)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, patch, post
from litestar.di import NamedDependency, Provide
from litestar.params import JSONBody
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from server.auth import staff_guard
from server.db import Connection, Database
from server.errors import NotAuthenticated
from server.staff import profile, repository
from server.staff.admin_structs import (
    Account,
    AccountUpdate,
    CodeInput,
    PasswordChange,
    PasswordChanged,
)
from server.staff.deps import second_factor
from server.staff.pages import page_locale, render, signed_in, to_sign_in
from server.staff.routes import client_address, with_session_cookies
from server.staff.service import SignInService
from server.staff.totp import Enrolment, InvalidCode, RecoveryCodes, SecondFactor
from server.words import page_texts


async def _email(conn: Connection, staff_id: UUID) -> str:
    email = await conn.fetchval("SELECT email FROM staff_users WHERE id = $1", staff_id)
    if email is None:
        raise NotAuthenticated(code="invalid_token")
    return str(email)


async def _account(db: Database, factor: SecondFactor, staff_id: UUID) -> Account:
    async with db.transaction(staff_id=staff_id) as conn:
        found = await repository.profile(conn, staff_id)
        if found is None:
            raise NotAuthenticated(code="invalid_token")
        status = await factor.status(conn, staff_id)
    return Account(
        id=found.id,
        email=found.email,
        display_name=found.display_name,
        locale=found.locale,
        totp=status,
        visitor_name=found.visitor_name,
    )


class AccountController(Controller):
    path = "/api/account"
    tags = ["staff"]
    guards = [staff_guard]
    dependencies = {"factor": Provide(second_factor, sync_to_thread=False)}

    @get("/", operation_id="getAccount", name="account:get")
    async def account(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Database],
        factor: NamedDependency[SecondFactor],
    ) -> Account:
        return await _account(db, factor, request.state.staff.staff_id)

    @patch("/", operation_id="updateAccount", name="account:update")
    async def update(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[AccountUpdate],
        db: NamedDependency[Database],
        factor: NamedDependency[SecondFactor],
    ) -> Account:
        staff_id = request.state.staff.staff_id
        async with db.transaction(staff_id=staff_id) as conn:
            await profile.update(conn, staff_id, data)
        return await _account(db, factor, staff_id)

    @post(
        "/password",
        operation_id="changePassword",
        name="account:password",
        status_code=HTTP_200_OK,
    )
    async def change_password(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[PasswordChange],
        db: NamedDependency[Database],
        signin: NamedDependency[SignInService],
    ) -> Response[PasswordChanged]:
        """Every session is revoked; this browser gets a fresh one at once."""
        staff_id = request.state.staff.staff_id
        await profile.change_password(db, signin, staff_id, data, address=client_address(request))
        pair = await signin.open_session_for(staff_id, record_sign_in=False)
        return with_session_cookies(PasswordChanged(), pair, signin)

    @post(
        "/totp/setup",
        operation_id="startTotpEnrolment",
        name="account:totp-setup",
        status_code=HTTP_200_OK,
    )
    async def setup(
        self,
        request: Request[Any, Any, Any],
        db: NamedDependency[Database],
        factor: NamedDependency[SecondFactor],
    ) -> Enrolment:
        staff_id = request.state.staff.staff_id
        async with db.transaction(staff_id=staff_id) as conn:
            return await factor.start_enrolment(conn, staff_id)

    @post(
        "/totp/enable",
        operation_id="confirmTotpEnrolment",
        name="account:totp-enable",
        status_code=HTTP_200_OK,
    )
    async def enable(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[CodeInput],
        db: NamedDependency[Database],
        factor: NamedDependency[SecondFactor],
        signin: NamedDependency[SignInService],
    ) -> RecoveryCodes:
        staff_id = request.state.staff.staff_id
        async with _code_checked(db, signin, staff_id, client_address(request)) as conn:
            codes = await factor.confirm_enrolment(conn, staff_id, data.code)
        return RecoveryCodes(recovery_codes=codes)

    @post(
        "/totp/disable",
        operation_id="disableTotp",
        name="account:totp-disable",
        status_code=HTTP_204_NO_CONTENT,
    )
    async def disable(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[CodeInput],
        db: NamedDependency[Database],
        factor: NamedDependency[SecondFactor],
        signin: NamedDependency[SignInService],
    ) -> None:
        staff_id = request.state.staff.staff_id
        async with _code_checked(db, signin, staff_id, client_address(request)) as conn:
            await factor.disable(conn, staff_id, data.code)

    @post(
        "/totp/recovery-codes",
        operation_id="renewRecoveryCodes",
        name="account:recovery-codes",
        status_code=HTTP_200_OK,
    )
    async def renew_recovery_codes(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[CodeInput],
        db: NamedDependency[Database],
        factor: NamedDependency[SecondFactor],
        signin: NamedDependency[SignInService],
    ) -> RecoveryCodes:
        staff_id = request.state.staff.staff_id
        async with _code_checked(db, signin, staff_id, client_address(request)) as conn:
            codes = await factor.regenerate_recovery_codes(conn, staff_id, data.code)
        return RecoveryCodes(recovery_codes=codes)


@asynccontextmanager
async def _code_checked(
    db: Database, signin: SignInService, staff_id: UUID, address: str
) -> AsyncIterator[Connection]:
    """A transaction for a change confirmed by a code. Wrong codes count with failed sign-ins,
    so a stolen session cannot guess its way to turning two-step sign-in off."""
    async with db.transaction(staff_id=staff_id) as conn:
        email = await _email(conn, staff_id)
    async with signin.throttle.attempt(email, address) as attempt:
        try:
            async with db.transaction(staff_id=staff_id) as conn:
                yield conn
        except InvalidCode:
            await signin.failed(attempt, email)
            raise


@get(["/account", "/account/"], name="pages:account", include_in_schema=False)
async def account_page(
    request: Request[Any, Any, Any], db: NamedDependency[Database]
) -> Template | Redirect:
    me = await signed_in(request, db)
    if me is None:
        return to_sign_in("/account/")
    async with db.transaction(staff_id=me.id) as conn:
        status = await second_factor(request.app.state).status(conn, me.id)
    locale = page_locale(request, me.locale)
    texts = page_texts(locale)
    return render(
        "account/account.html",
        locale,
        "acct_title",
        me=me,
        totp=status,
        signed_in=True,
        texts_json=json.dumps({k: v for k, v in texts.items() if k.startswith("acct_")}),
    )
