"""Staff accounts, sign-in and sessions."""

from server.staff import messages as _messages  # noqa: F401 - registers this package's titles
