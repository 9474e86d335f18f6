"""The widget's static files, content-hashed and compressed (gzip, brotli) once at start-up.

The chat's script is written as several files in widget/chat/, one idea each, sharing one
function scope: at start-up they are joined, in the order BUNDLES gives, inside one strict
IIFE. One request, no module loader, no build step. The preview bundle reuses the views
without the socket code, so a preview cannot start a conversation.
"""

from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

import brotli
import msgspec

from server.resources import resource_dir

WIDGET_DIR = resource_dir("widget")
LOADER = "loader.js"
STYLES = ("app.css",)
BUNDLES = {
    "app.js": ("core.js", "views.js", "socket.js", "exit.js", "start.js"),
    "preview.js": ("core.js", "views.js", "preview.js"),
}
# Litestar adds "; charset=utf-8" to text/* types itself.
MEDIA_TYPES = {
    ".js": "text/javascript",
    ".css": "text/css",
    ".json": "application/json",
}


class Asset(msgspec.Struct, frozen=True):
    """One file, with its bodies per content-coding ("identity", "br", "gzip")."""

    name: str
    media_type: str
    etag: str
    bodies: dict[str, bytes]


def _asset(name: str, raw: bytes, media_type: str) -> Asset:
    digest = hashlib.sha256(raw).hexdigest()
    return Asset(
        name=name,
        media_type=media_type,
        etag=f'"{digest[:32]}"',
        bodies={
            "identity": raw,
            "gzip": gzip.compress(raw, compresslevel=9, mtime=0),
            "br": brotli.compress(raw, quality=11),
        },
    )


class WidgetAssets:
    """The loader (a stable URL) and the hashed files the iframe page names."""

    def __init__(self, folder: Path = WIDGET_DIR) -> None:
        self.loader = _asset(LOADER, compact((folder / LOADER).read_bytes()), MEDIA_TYPES[".js"])
        self.by_name: dict[str, Asset] = {}
        self.url_of: dict[str, str] = {}
        for name in STYLES:
            self._add(name, (folder / name).read_bytes())
        for name, parts in BUNDLES.items():
            self._add(name, compact(bundle(folder / "chat", parts)))
        self.texts: dict[str, dict[str, str]] = {
            locale: msgspec.json.decode((folder / "locales" / f"{locale}.json").read_bytes())
            for locale in ("fr", "en")
        }

    def _add(self, name: str, raw: bytes) -> None:
        stem, ext = name.rsplit(".", 1)
        hashed = f"{stem}.{hashlib.sha256(raw).hexdigest()[:12]}.{ext}"
        self.by_name[hashed] = _asset(hashed, raw, MEDIA_TYPES[f".{ext}"])
        self.url_of[name] = f"/widget/assets/{hashed}"


_WHOLE_LINE_COMMENTS = re.compile(rb"^[ \t]*(/\*.*?\*/|//[^\n]*)[ \t]*\n", re.M | re.S)
_INDENT = re.compile(rb"^[ \t]+", re.M)


def compact(script: bytes) -> bytes:
    """Comments that fill whole lines, and indentation, removed: what only a reader of the
    source needs (the widget's scripts keep strings and code on lines of their own)."""
    return _INDENT.sub(b"", _WHOLE_LINE_COMMENTS.sub(b"", script))


def bundle(folder: Path, parts: tuple[str, ...]) -> bytes:
    """The parts joined inside one strict function scope (no global but what they assign)."""
    body = b"\n".join((folder / part).read_bytes().rstrip() for part in parts)
    return b'(function () {\n"use strict";\n' + body + b"\n})();\n"


def choose_encoding(accept_encoding: str) -> str:
    """brotli, else gzip, else identity; a coding with q=0 is refused."""
    accepted: dict[str, float] = {}
    for part in accept_encoding.split(","):
        token, _, params = part.strip().partition(";")
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                quality = 0.0
        if token:
            accepted[token.strip().lower()] = quality
    for coding in ("br", "gzip"):
        if accepted.get(coding, accepted.get("*", 0.0)) > 0:
            return coding
    return "identity"
