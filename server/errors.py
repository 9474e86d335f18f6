"""The domain error tree and the one mapping of every error to an RFC 9457 problem."""

from __future__ import annotations

import logging
import re
from typing import Any

import asyncpg
from litestar import Request, Response
from litestar.exceptions import HTTPException, PermissionDeniedException, ValidationException
from litestar.plugins.problem_details import ProblemDetailsException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from litestar.types import ExceptionHandlersMap

from server.i18n import Locale, negotiate_locale, register_messages, text

log = logging.getLogger("havre.errors")

PROBLEM_MEDIA_TYPE = "application/problem+json"


class HavreError(Exception):
    """A failure the caller can understand; code is stable, status is the HTTP mapping."""

    code = "bad_request"
    status = 400

    def __init__(self, *, code: str | None = None, details: dict[str, Any] | None = None) -> None:
        super().__init__(code or self.code)
        if code:
            self.code = code
        self.details = details or {}


class InvalidInput(HavreError):
    code = "validation_failed"
    status = 400


class MalformedBody(HavreError):
    """A body that is not usable JSON; the same code Litestar's own syntax errors get."""

    code = "bad_request"
    status = 400


class InvalidText(HavreError):
    """Text with a NUL character, which PostgreSQL cannot store."""

    code = "invalid_text"
    status = 400


class NotAuthenticated(HavreError):
    code = "not_authenticated"
    status = 401


class Forbidden(HavreError):
    code = "forbidden"
    status = 403


class NotFound(HavreError):
    code = "not_found"
    status = 404


class TooManyRequests(HavreError):
    """A rate limit: `retry_after` seconds go in the Retry-After header and the body."""

    code = "too_many_requests"
    status = 429

    def __init__(self, *, code: str | None = None, retry_after: int | None = None) -> None:
        super().__init__(code=code, details={"retry_after": retry_after} if retry_after else None)
        self.retry_after = retry_after


# Litestar's own HTTP errors keep their status and get a stable code.
_CODE_BY_STATUS = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "body_too_large",
    415: "unsupported_media_type",
    429: "too_many_requests",
    503: "service_unavailable",
}


def request_locale(request: Request[Any, Any, Any]) -> Locale:
    return negotiate_locale(request.headers.get("accept-language"))


# Deeper than any form of the API; a fixed limit, where the interpreter's moves with its stack.
MAX_BODY_DEPTH = 32


# Control characters no text of Havre's holds: every C0 control but tab, line feed and
# carriage return (a multi-line text keeps those; one-line fields refuse them by pattern), DEL.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def refuse_unusable_json(value: Any, locale: Locale) -> None:
    """Raise unless every container of a decoded body sits within MAX_BODY_DEPTH and no key or
    string holds a control character (NUL, escape…): `invalid_text` names the field. Walked
    with a list, not recursion, so no body can exhaust the stack."""
    pending: list[tuple[Any, str, int]] = [(value, "", 1)]
    while pending:
        item, path, depth = pending.pop()
        if isinstance(item, str):
            if CONTROL_CHARACTERS.search(item):
                raise _invalid_text(path, locale)
            continue
        if not isinstance(item, dict | list):
            continue
        if depth > MAX_BODY_DEPTH:
            raise MalformedBody()
        if isinstance(item, list):
            children = [(child, f"{path}[{index}]") for index, child in enumerate(item)]
        else:
            if any(CONTROL_CHARACTERS.search(key) for key in item):
                raise _invalid_text(path, locale)
            children = [(child, f"{path}.{key}" if path else key) for key, child in item.items()]
        # Reversed, so the first offending field in the body is the one reported.
        pending.extend((child, where, depth + 1) for child, where in reversed(children))


def _invalid_text(path: str, locale: Locale) -> InvalidText:
    error = {"field": path, "code": "invalid_text", "message": text("invalid_text", locale)}
    return InvalidText(details={"errors": [error]})


class HavreRequest(Request[Any, Any, Any]):
    """Every JSON body is checked here, once, before a handler or a query sees it: msgspec
    raises RecursionError or UnicodeDecodeError (not its DecodeError) for a body nested past
    the stack or holding invalid UTF-8, and PostgreSQL refuses a NUL only after the query
    has started."""

    async def json(self) -> Any:
        try:
            value = await super().json()
        except (RecursionError, UnicodeDecodeError):
            raise MalformedBody() from None
        refuse_unusable_json(value, request_locale(self))
        return value


def problem(
    request: Request[Any, Any, Any],
    *,
    status: int,
    code: str,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response[dict[str, Any]]:
    locale = request_locale(request)
    body: dict[str, Any] = {
        "type": f"urn:havre:problem:{code}",
        "title": text(code, locale),
        "status": status,
        "code": code,
    }
    if extra:
        body.update(extra)
    return Response(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def _http_exception_to_problem(
    request: Request[Any, Any, Any], exc: HTTPException
) -> Response[dict[str, Any]]:
    status = exc.status_code
    code = _CODE_BY_STATUS.get(status, "bad_request" if status < 500 else "internal_error")
    extra: dict[str, Any] = {}
    if isinstance(exc, ValidationException):
        code = "validation_failed"
        if exc.extra:
            extra["errors"] = exc.extra
    elif isinstance(exc, PermissionDeniedException) and "CSRF" in (exc.detail or ""):
        code = "csrf_failed"
    elif isinstance(exc, ProblemDetailsException) and isinstance(exc.extra, dict):
        code = str(exc.extra.get("code", code))
    if status >= 500:
        log.error("HTTP %s on %s %s", status, request.method, request.url.path)
    return problem(request, status=status, code=code, extra=extra, headers=exc.headers)


def _havre_error_to_problem(
    request: Request[Any, Any, Any], exc: HavreError
) -> Response[dict[str, Any]]:
    retry_after = getattr(exc, "retry_after", None)
    headers = {"Retry-After": str(retry_after)} if retry_after else None
    return problem(
        request, status=exc.status, code=exc.code, extra=exc.details or None, headers=headers
    )


def _unstorable_text_to_problem(
    request: Request[Any, Any, Any], exc: asyncpg.DataError
) -> Response[dict[str, Any]]:
    # Text that did not come through a JSON body (a path, a query string) and held a NUL,
    # so the route's template is logged rather than the path itself.
    route = request.scope.get("path_template") or "?"
    log.warning("text refused by PostgreSQL on %s %s", request.method, route)
    return problem(request, status=400, code=InvalidText.code)


# A value PostgreSQL refused that validation let through (a constraint it alone knows, two
# requests racing for the same key): the caller's, never a 500. By class; the most specific
# class of the exception that is listed wins.
_REFUSED_BY_POSTGRES: dict[type[asyncpg.PostgresError], tuple[int, str]] = {
    asyncpg.UniqueViolationError: (409, "already_exists"),
    asyncpg.ExclusionViolationError: (409, "already_exists"),
    asyncpg.ForeignKeyViolationError: (409, "reference_changed"),
    asyncpg.RestrictViolationError: (409, "reference_changed"),
    asyncpg.IntegrityConstraintViolationError: (400, "invalid_value"),  # check, not null
    asyncpg.StringDataRightTruncationError: (400, "value_too_long"),
    asyncpg.NumericValueOutOfRangeError: (400, "value_out_of_range"),
}

register_messages(
    {
        "already_exists": {
            "fr": "Cet élément existe déjà.",
            "en": "This already exists.",
        },
        "reference_changed": {
            "fr": "Un élément lié a changé ou n'existe plus. Rechargez la page et réessayez.",
            "en": "Something this refers to has changed or no longer exists. Reload the page "
            "and try again.",
        },
        "invalid_value": {
            "fr": "Une valeur envoyée n'est pas acceptée.",
            "en": "A value sent is not accepted.",
        },
        "value_too_long": {
            "fr": "Une valeur envoyée est trop longue.",
            "en": "A value sent is too long.",
        },
        "value_out_of_range": {
            "fr": "Un nombre envoyé sort des limites permises.",
            "en": "A number sent is outside the allowed range.",
        },
    }
)

# PostgreSQL's detail names a key's columns before quoting its values: `Key (slug)=(…)`.
_KEY_COLUMNS = re.compile(r"^Key \((?P<columns>.+?)\)=\(")
_COLUMN = re.compile(r"\b([a-z_][a-z0-9_]*)\b(?!\()")  # not a function's name: lower(email)
# What scopes a row to its tenant: never a field a caller sends.
_SCOPE_COLUMNS = {"organisation_id"}


def refused_fields(exc: asyncpg.PostgresError) -> list[str]:
    """The columns a refused value went to, where PostgreSQL says them: the column of a
    NOT NULL, the key of a unique or foreign key, the column PostgreSQL named a check after
    (`<table>_<column>_check`)."""
    column = getattr(exc, "column_name", None)
    if column:
        return [column]
    key = _KEY_COLUMNS.match(getattr(exc, "detail", None) or "")
    if key:
        columns = _COLUMN.findall(key["columns"])
    else:
        columns = _named_column(
            getattr(exc, "constraint_name", None), getattr(exc, "table_name", None)
        )
    return [c for c in columns if c not in _SCOPE_COLUMNS]


def _named_column(constraint: str | None, table: str | None) -> list[str]:
    if not constraint or not table or not constraint.startswith(f"{table}_"):
        return []
    column, _, kind = constraint.removeprefix(f"{table}_").rpartition("_")
    return [column] if column and kind in ("check", "key", "fkey", "excl") else []


def _refused_value_to_problem(
    request: Request[Any, Any, Any], exc: asyncpg.PostgresError
) -> Response[dict[str, Any]]:
    status, code = next(
        _REFUSED_BY_POSTGRES[kind] for kind in type(exc).__mro__ if kind in _REFUSED_BY_POSTGRES
    )
    # The constraint and the route's template only: PostgreSQL's detail quotes the values.
    log.warning(
        "%s (%s) on %s %s",
        type(exc).__name__,
        getattr(exc, "constraint_name", None) or getattr(exc, "column_name", None) or "-",
        request.method,
        request.scope.get("path_template") or "?",
    )
    message = text(code, request_locale(request))
    errors = [{"field": f, "code": code, "message": message} for f in refused_fields(exc)]
    return problem(request, status=status, code=code, extra={"errors": errors} if errors else None)


def _unexpected_to_problem(
    request: Request[Any, Any, Any], exc: Exception
) -> Response[dict[str, Any]]:
    # Only the type and the route: an exception's message may quote conversation text.
    log.error("unexpected %s on %s %s", type(exc).__name__, request.method, request.url.path)
    return problem(request, status=HTTP_500_INTERNAL_SERVER_ERROR, code="internal_error")


EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    HavreError: _havre_error_to_problem,
    HTTPException: _http_exception_to_problem,
    asyncpg.CharacterNotInRepertoireError: _unstorable_text_to_problem,
    asyncpg.UntranslatableCharacterError: _unstorable_text_to_problem,
    **dict.fromkeys(_REFUSED_BY_POSTGRES, _refused_value_to_problem),
    Exception: _unexpected_to_problem,
}
