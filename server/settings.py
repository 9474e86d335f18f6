"""Settings read once from the environment into frozen structs, one per concern."""

from __future__ import annotations

import base64
import json
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit, urlunsplit

import msgspec

from server.settings_values import SettingsError as SettingsError  # re-exported
from server.settings_values import (
    check_host,
    check_listen_address,
    check_postgres_url,
    check_redis_url,
    env_bool,
    env_int,
    scorer_path,
)


class ServerSettings(msgspec.Struct, frozen=True):
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    public_url: str = ""


class DatabaseSettings(msgspec.Struct, frozen=True):
    # The owner connection: migrations and operator commands.
    url: str
    # The application connection: a role that does not own the tables and is subject to RLS.
    app_url: str
    pool_min: int = 2
    pool_max: int = 10


class RedisSettings(msgspec.Struct, frozen=True):
    url: str
    prefix: str = "havre:"


class AuthSettings(msgspec.Struct, frozen=True):
    # kid -> secret; the first key signs, every key verifies (rotation).
    jwt_keys: tuple[tuple[str, str], ...]
    csrf_secret: str
    access_ttl_seconds: int = 900
    refresh_ttl_seconds: int = 14 * 24 * 3600
    cookie_secure: bool = True
    # Failed sign-ins (server/staff/throttle.py). Per account and client pair: a few free
    # failures, then waits doubling from 1 s up to a cap; remembered a day after the last one.
    signin_free_failures_per_pair: int = 3
    signin_max_delay_seconds: int = 900
    signin_pair_window_seconds: int = 86400
    # Per client, across accounts: at the ceiling the client is refused for the window's rest.
    signin_max_failures_per_client: int = 20
    signin_client_window_seconds: int = 900
    # Per account, from every client: one client cannot get near it (the pair waits hold it to
    # 15 failures the first hour, 4 an hour after); past it only a known client is let in, and
    # the owner is told.
    signin_max_failures_per_account: int = 100
    signin_account_window_seconds: int = 3600
    # A client that signed in to an account stays known to it this long after its last sign-in.
    signin_known_client_days: int = 30


class ChatSettings(msgspec.Struct, frozen=True):
    # kid -> 32-byte AES key; the first encrypts new messages, every key decrypts (rotation).
    message_keys: tuple[tuple[str, bytes], ...]
    max_message_chars: int = 4000
    visitor_token_ttl_seconds: int = 2 * 3600
    hello_timeout_seconds: float = 10.0
    presence_ttl_seconds: int = 15
    timer_interval_seconds: float = 5.0
    # Supervisors' wait and shift alerts count in minutes: their pass need not run every tick.
    alert_interval_seconds: float = 60.0
    # A queued visitor whose page gave no sign of life for this long has left (abandoned).
    queue_grace_seconds: int = 120
    # "module:attribute" naming a RiskScorer factory; empty is the built-in lexicon scorer.
    triage_scorer: str = ""
    # Rate limits (server/limits.py). Starts per client address: a short burst and an hourly
    # ceiling, loose enough for a campus behind one address; starts per line per minute.
    starts_per_client_burst: int = 5  # per minute
    starts_per_client_hour: int = 30
    starts_per_line_minute: int = 120
    # Messages a visitor sends in one conversation: a burst and a sustained rate.
    messages_burst: int = 15  # per 10 seconds
    messages_per_10_minutes: int = 150
    # Any frame on a visitor socket (typing, read, ping…), per 10 seconds.
    visitor_frames_per_10s: int = 100
    # The proof-of-work a line under attack asks of each start (server/protection/challenge.py):
    # zero bits a browser must find, about 2^bits hashes.
    challenge_bits: int = 16


class SmtpSettings(msgspec.Struct, frozen=True):
    """Where invitation e-mails go (HAVRE_SMTP_URL); without it, admins pass links on by hand."""

    host: str
    port: int
    # smtps:// is TLS from the first byte; smtp:// may upgrade with ?starttls=true.
    use_tls: bool = False
    starttls: bool = False
    username: str = ""
    password: str = ""
    sender: str = "havre@localhost"


class Settings(msgspec.Struct, frozen=True):
    server: ServerSettings
    database: DatabaseSettings
    redis: RedisSettings
    auth: AuthSettings
    chat: ChatSettings
    data_dir: str
    environment: str = "development"
    smtp: SmtpSettings | None = None


ENVIRONMENTS = ("development", "production", "test")
APP_ROLE = "havre_app"


def app_url_for(owner_url: str) -> str:
    """The owner's URL with the application role as user (trust or peer setups)."""
    parts = urlsplit(owner_url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme, f"{APP_ROLE}@{host}", parts.path, parts.query, ""))


def parse_jwt_keys(raw: str) -> tuple[tuple[str, str], ...]:
    keys: list[tuple[str, str]] = []
    for item in raw.split(","):
        kid, sep, secret = item.strip().partition(":")
        if not sep or not kid or len(secret) < 32:
            raise SettingsError(
                "HAVRE_JWT_KEYS must be 'kid:secret' pairs separated by commas, "
                "each secret at least 32 characters"
            )
        keys.append((kid, secret))
    return tuple(keys)


def parse_message_keys(raw: str) -> tuple[tuple[str, bytes], ...]:
    keys: list[tuple[str, bytes]] = []
    for item in raw.split(","):
        kid, sep, encoded = item.strip().partition(":")
        try:
            key = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        except ValueError:
            key = b""
        if not sep or not kid or len(key) != 32:
            raise SettingsError(
                "HAVRE_MESSAGE_KEYS must be 'kid:key' pairs separated by commas, "
                "each key 32 bytes in URL-safe base64"
            )
        keys.append((kid, key))
    return tuple(keys)


def parse_smtp_url(raw: str) -> SmtpSettings:
    """`smtp://user:pass@host:port` or `smtps://…`; `?from=` sets the sender, `?starttls=true`."""
    parts = urlsplit(raw)
    if parts.scheme not in ("smtp", "smtps"):
        raise SettingsError("HAVRE_SMTP_URL must start with smtp:// or smtps://")
    if not parts.hostname:
        raise SettingsError("HAVRE_SMTP_URL names no host")
    try:
        port = parts.port or (465 if parts.scheme == "smtps" else 25)
    except ValueError:
        raise SettingsError("HAVRE_SMTP_URL has a malformed port") from None
    query = dict(parse_qsl(parts.query))
    sender = query.get("from", "havre@localhost")
    if "@" not in sender or any(c in sender for c in "\r\n<>, "):
        raise SettingsError("HAVRE_SMTP_URL's from= must be a plain e-mail address")
    return SmtpSettings(
        host=parts.hostname,
        port=port,
        use_tls=parts.scheme == "smtps",
        starttls=query.get("starttls", "").lower() in ("1", "true", "yes"),
        username=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        sender=sender,
    )


def load_or_create_secrets(data_dir: Path) -> dict[str, str]:
    """Secrets for a development install, kept in the data folder so restarts keep sessions."""
    path = data_dir / "secrets.json"
    if path.exists():
        try:
            stored = json.loads(path.read_text())
        except (OSError, ValueError):
            raise SettingsError(f"{path} is not readable JSON; delete it to regenerate") from None
        if isinstance(stored, dict) and {"jwt_key", "csrf_secret", "message_key"} <= stored.keys():
            return {str(k): str(v) for k, v in stored.items()}
    else:
        stored = {}
    data_dir.mkdir(parents=True, exist_ok=True)
    created = {
        "jwt_key": secrets.token_urlsafe(48),
        "csrf_secret": secrets.token_urlsafe(48),
        "message_key": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        **stored,
    }
    path.write_text(json.dumps(created))
    path.chmod(0o600)
    return created


def check_environment(env: Mapping[str, str] | None = None) -> None:
    """Validate every setting before anything is started (the embedded servers' addresses are
    not known yet, so stand-ins take their place)."""
    env = os.environ if env is None else env
    if bool(env.get("DATABASE_URL")) != bool(env.get("REDIS_URL")):
        raise SettingsError("set both DATABASE_URL and REDIS_URL, or neither (embedded servers)")
    settings = load_settings(
        env,
        database_url=env.get("DATABASE_URL") or "postgresql://embedded@localhost/havre",
        redis_url=env.get("REDIS_URL") or "redis://localhost",
    )
    check_listen_address("HAVRE_HOST", settings.server.host)


def load_settings(
    env: Mapping[str, str] | None = None,
    *,
    database_url: str | None = None,
    redis_url: str | None = None,
) -> Settings:
    """Read settings; database/redis URLs may come from the embedded servers instead of env."""
    env = os.environ if env is None else env
    environment = env.get("HAVRE_ENV", "development")
    if environment not in ENVIRONMENTS:
        raise SettingsError(f"HAVRE_ENV={environment!r} must be one of {', '.join(ENVIRONMENTS)}")
    data_dir = Path(env.get("HAVRE_DATA_DIR") or ".havre").resolve()

    db_url = database_url or env.get("DATABASE_URL")
    r_url = redis_url or env.get("REDIS_URL")
    if not db_url or not r_url:
        raise SettingsError("DATABASE_URL and REDIS_URL must both be set, or neither")
    check_postgres_url("DATABASE_URL", db_url)
    check_redis_url("REDIS_URL", r_url)
    app_db_url = env.get("DATABASE_APP_URL") or app_url_for(db_url)
    check_postgres_url("DATABASE_APP_URL", app_db_url)

    raw_keys = env.get("HAVRE_JWT_KEYS")
    csrf_secret = env.get("HAVRE_CSRF_SECRET")
    message_keys = env.get("HAVRE_MESSAGE_KEYS")
    if not raw_keys or not csrf_secret or not message_keys:
        if environment == "production":
            raise SettingsError(
                "HAVRE_JWT_KEYS, HAVRE_CSRF_SECRET and HAVRE_MESSAGE_KEYS must be set in production"
            )
        stored = load_or_create_secrets(data_dir)
        raw_keys = raw_keys or f"dev:{stored['jwt_key']}"
        csrf_secret = csrf_secret or stored["csrf_secret"]
        message_keys = message_keys or f"dev:{stored['message_key']}"

    host = check_host("HAVRE_HOST", env.get("HAVRE_HOST") or "127.0.0.1")
    port = env_int(env, "HAVRE_PORT", 8000, 1, 65535)
    return Settings(
        server=ServerSettings(
            host=host,
            port=port,
            workers=env_int(env, "HAVRE_WORKERS", 1, 1, 64),
            public_url=(env.get("HAVRE_PUBLIC_URL") or f"http://{host}:{port}").rstrip("/"),
        ),
        database=DatabaseSettings(
            url=db_url,
            app_url=app_db_url,
            pool_min=env_int(env, "HAVRE_DB_POOL_MIN", 2, 1, 100),
            pool_max=env_int(env, "HAVRE_DB_POOL_MAX", 10, 1, 500),
        ),
        redis=RedisSettings(url=r_url, prefix=env.get("HAVRE_REDIS_PREFIX") or "havre:"),
        auth=AuthSettings(
            jwt_keys=parse_jwt_keys(raw_keys),
            csrf_secret=csrf_secret,
            access_ttl_seconds=env_int(env, "HAVRE_ACCESS_TTL", 900, 60, 86400),
            refresh_ttl_seconds=env_int(env, "HAVRE_REFRESH_TTL", 14 * 86400, 3600, 90 * 86400),
            cookie_secure=env_bool(env, "HAVRE_COOKIE_SECURE", True),
        ),
        chat=ChatSettings(
            message_keys=parse_message_keys(message_keys),
            max_message_chars=env_int(env, "HAVRE_MAX_MESSAGE_CHARS", 4000, 100, 20000),
            visitor_token_ttl_seconds=env_int(env, "HAVRE_VISITOR_TOKEN_TTL", 7200, 300, 86400),
            presence_ttl_seconds=env_int(env, "HAVRE_PRESENCE_TTL", 15, 3, 300),
            timer_interval_seconds=env_int(env, "HAVRE_TIMER_INTERVAL", 5, 1, 60),
            alert_interval_seconds=env_int(env, "HAVRE_ALERT_INTERVAL", 60, 1, 600),
            queue_grace_seconds=env_int(env, "HAVRE_QUEUE_GRACE", 120, 60, 3600),
            triage_scorer=scorer_path(env.get("HAVRE_TRIAGE_SCORER", "")),
            starts_per_client_burst=env_int(env, "HAVRE_STARTS_PER_CLIENT_MINUTE", 5, 1, 1000),
            starts_per_client_hour=env_int(env, "HAVRE_STARTS_PER_CLIENT_HOUR", 30, 1, 100000),
            starts_per_line_minute=env_int(env, "HAVRE_STARTS_PER_LINE_MINUTE", 120, 1, 100000),
            messages_burst=env_int(env, "HAVRE_MESSAGES_BURST", 15, 1, 1000),
            messages_per_10_minutes=env_int(env, "HAVRE_MESSAGES_PER_10_MINUTES", 150, 1, 100000),
            visitor_frames_per_10s=env_int(env, "HAVRE_VISITOR_FRAMES_PER_10S", 100, 10, 100000),
            challenge_bits=env_int(env, "HAVRE_CHALLENGE_BITS", 16, 4, 24),
        ),
        data_dir=str(data_dir),
        environment=environment,
        smtp=parse_smtp_url(env["HAVRE_SMTP_URL"]) if env.get("HAVRE_SMTP_URL") else None,
    )
