"""Log lines that a client cannot forge: whatever a request puts in a message (a decoded
path, an exception's text), control characters are escaped, so one record is one line."""

from __future__ import annotations

import logging

# Every C0 control but the tab, and DEL, written as \xNN.
_ESCAPES = {code: f"\\x{code:02x}" for code in (*range(0, 9), *range(10, 32), 127)}
FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


class OneLineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).translate(_ESCAPES)


def configure_logging(level: int = logging.INFO) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(OneLineFormatter(FORMAT))
    logging.basicConfig(level=level, handlers=[handler])
