"""Reading and checking one value of the environment: a whole number or a switch within its
bounds, a PostgreSQL or Redis URL, a host to listen on, a risk scorer to load. Each refusal
is a SettingsError whose message names the variable (one line, exit status 2)."""

from __future__ import annotations

import importlib
import ipaddress
import re
import socket
from collections.abc import Mapping
from urllib.parse import parse_qsl, urlsplit


class SettingsError(ValueError):
    """A setting has a value Havre cannot use; the message names it and says why."""


_SCORER_PATH = re.compile(r"[A-Za-z_][\w.]*:[A-Za-z_]\w*")


def scorer_path(raw: str) -> str:
    """HAVRE_TRIAGE_SCORER must name an importable factory, checked before anything starts."""
    if not raw:
        return ""
    if not _SCORER_PATH.fullmatch(raw):
        raise SettingsError(f"HAVRE_TRIAGE_SCORER must look like module:factory, not {raw!r}")
    module_name, attribute = raw.split(":")
    try:
        factory = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as exc:
        raise SettingsError(f"HAVRE_TRIAGE_SCORER: cannot load {raw!r} ({exc})") from None
    if not callable(factory):
        raise SettingsError(f"HAVRE_TRIAGE_SCORER: {raw!r} is not callable")
    return raw


def env_int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is not a whole number") from None
    if not low <= value <= high:
        raise SettingsError(f"{name}={value} must be between {low} and {high}")
    return value


def env_bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name}={raw!r} must be true or false")


def check_postgres_url(name: str, url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise SettingsError(f"{name} must start with postgresql:// (got {url.split(':')[0]!r})")
    if not parts.hostname and "host=" not in parts.query:
        raise SettingsError(f"{name} names no host")
    try:
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        raise SettingsError(f"{name} has a malformed port") from None
    return url


def check_redis_url(name: str, url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss", "unix"):
        raise SettingsError(f"{name} must start with redis://, rediss:// or unix://")
    if parts.scheme != "unix" and not parts.hostname:
        raise SettingsError(f"{name} names no host")
    try:
        parts.port  # noqa: B018
    except ValueError:
        raise SettingsError(f"{name} has a malformed port") from None
    # redis-py reads the database number from the path (/0) or from ?db=0.
    db_path = parts.path.strip("/") if parts.scheme != "unix" else ""
    db_query = [v for k, v in parse_qsl(parts.query, keep_blank_values=True) if k == "db"]
    for db in ([db_path] if db_path else []) + db_query:
        if not (db.isascii() and db.isdigit()):
            raise SettingsError(
                f"{name} names database {db!r}: it must be a number, 0 or more (e.g. /0)"
            )
    return url


_HOST_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")


def check_host(name: str, host: str) -> str:
    """An IP address or a host name, without scheme or port."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        labels = host.removesuffix(".").split(".")
        if len(host) > 253 or not all(_HOST_LABEL.fullmatch(label) for label in labels):
            raise SettingsError(
                f"{name}={host!r} must be an IP address or a host name (no scheme, no port)"
            ) from None
    return host


def check_listen_address(name: str, host: str) -> None:
    """Fails unless this machine can listen on `host` (the address is bound, not a port)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host, 0))
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise SettingsError(f"{name}={host!r} cannot be listened on: {reason}") from None
