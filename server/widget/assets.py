"""The widget's static files, content-hashed and compressed (gzip, brotli) once at start-up."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import brotli
import msgspec

WIDGET_DIR = Path(__file__).resolve().parents[2] / "widget"
LOADER = "loader.js"
HASHED = ("app.js", "app.css")
MEDIA_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
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
        self.loader = _asset(LOADER, (folder / LOADER).read_bytes(), MEDIA_TYPES[".js"])
        self.by_name: dict[str, Asset] = {}
        self.url_of: dict[str, str] = {}
        for name in HASHED:
            raw = (folder / name).read_bytes()
            stem, ext = name.rsplit(".", 1)
            hashed = f"{stem}.{hashlib.sha256(raw).hexdigest()[:12]}.{ext}"
            self.by_name[hashed] = _asset(hashed, raw, MEDIA_TYPES[f".{ext}"])
            self.url_of[name] = f"/widget/assets/{hashed}"
        self.texts: dict[str, dict[str, str]] = {
            locale: msgspec.json.decode((folder / "locales" / f"{locale}.json").read_bytes())
            for locale in ("fr", "en")
        }


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
