#!/usr/bin/env bash
# The whole test suite, from a fresh clone: a virtual environment, the test extra, Chromium for
# browser tests, then lint, format, types and pytest against real PostgreSQL and Redis
# (embedded unless TEST_DATABASE_URL / TEST_REDIS_URL name other servers).
set -euo pipefail
cd "$(dirname "$0")/.."

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'

if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing Chromium for the browser tests"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
# Two processes (pytest-xdist), each with its own database and Redis prefix (or its own
# embedded servers); `-n 0` after the command runs one.
exec .venv/bin/pytest -n 2 "$@"
