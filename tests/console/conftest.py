"""The console's browser tests run here too: the session's Chromium and the contexts fixture."""

from __future__ import annotations

from tests.browser.conftest import browser  # noqa: F401 - the session's Chromium
from tests.console.browser import contexts  # noqa: F401 - browser contexts closed after a test
from tests.conversations.conftest import start_visitor  # noqa: F401 - a visitor client
