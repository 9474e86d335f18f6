"""Paths a browser would never send: a NUL or a line break in a static path is a 404, and
nothing an anonymous client puts in a path can write a line of its own into the server log."""

from __future__ import annotations

import logging

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from server.logs import FORMAT, OneLineFormatter


@pytest.mark.parametrize(
    "path",
    ["/static/%00", "/static/staff.js%00.png", "/static/admin/%00form.js", "/static/%0A"],
)
async def test_a_static_path_holding_a_control_character_is_not_found(
    client: AsyncTestClient[Litestar], path: str
) -> None:
    response = await client.get(path)

    assert response.status_code == 404, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "not_found"


def test_a_forged_line_in_a_logged_path_stays_inside_one_escaped_log_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    forged = "/static/x\nERROR - admin signed in\x00\r"
    with caplog.at_level(logging.ERROR, logger="havre.errors"):
        # What server/errors.py logs for an unexpected error: the decoded path.
        logging.getLogger("havre.errors").error("unexpected %s on %s %s", "E", "GET", forged)

    [record] = caplog.records
    line = OneLineFormatter(FORMAT).format(record)

    assert not any(ord(c) < 32 for c in line), line
    assert line.endswith("on GET /static/x\\x0aERROR - admin signed in\\x00\\x0d")
