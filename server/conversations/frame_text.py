"""Texts in frames hold no control character, as in JSON bodies (server/errors.py
CONTROL_CHARACTERS: a message keeps its line breaks and tabs). Checked once for every frame,
by serve_frames (outbox.py), before any socket handles it."""

from __future__ import annotations

from collections.abc import Iterator

import msgspec

from server.errors import CONTROL_CHARACTERS


def field_with_control_character(frame: msgspec.Struct) -> str | None:
    """The first text of a frame that holds a control character (server/errors.py
    CONTROL_CHARACTERS, as in JSON bodies: a message keeps its line breaks and tabs), named
    as `body`, `wrapup.note` or `wrapup.topics[0]`; None when every text is clean."""
    return next((where for where, s in _texts(frame, "") if CONTROL_CHARACTERS.search(s)), None)


def _texts(value: object, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, msgspec.Struct):
        for name in value.__struct_fields__:
            yield from _texts(getattr(value, name), f"{path}.{name}" if path else name)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, f"{path}[{index}]")
