"""The domain error tree and the one mapping of every error to an RFC 9457 problem."""

from __future__ import annotations

import logging
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, PermissionDeniedException, ValidationException
from litestar.plugins.problem_details import ProblemDetailsException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from litestar.types import ExceptionHandlersMap

from server.i18n import Locale, negotiate_locale, text

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
    code = "too_many_requests"
    status = 429


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
    return problem(request, status=exc.status, code=exc.code, extra=exc.details or None)


def _unexpected_to_problem(
    request: Request[Any, Any, Any], exc: Exception
) -> Response[dict[str, Any]]:
    # Only the type and the route: an exception's message may quote conversation text.
    log.error("unexpected %s on %s %s", type(exc).__name__, request.method, request.url.path)
    return problem(request, status=HTTP_500_INTERNAL_SERVER_ERROR, code="internal_error")


EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    HavreError: _havre_error_to_problem,
    HTTPException: _http_exception_to_problem,
    Exception: _unexpected_to_problem,
}
