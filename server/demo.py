"""The demo: both demo tenants, a few staff accounts with known passwords, 60 days of past
conversations for the dashboard, a short audit trail, and the welcome text."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import msgspec

from server.dashboard.demo_audit import seed_audit_trail
from server.dashboard.demo_history import seed_history
from server.db import _init_connection
from server.settings import Settings
from server.staff.accounts import add_to_team, create_staff
from server.tenants.files import TenantFileError, apply_tenants, load_tenant_files

DEMO_PASSWORD = "havre-demo-2026"  # noqa: S105 - a published demo login, local only

# (e-mail, organisation, role, display name, team)
DEMO_STAFF = [
    ("admin@ecoute-nuit.example", "ecoute-nuit", "owner", "Camille (admin)", None),
    ("superviseur@ecoute-nuit.example", "ecoute-nuit", "supervisor", "Dominique", None),
    ("ecoutant@ecoute-nuit.example", "ecoute-nuit", "listener", "Alex", "general"),
    ("listener@ecoute-nuit.example", "ecoute-nuit", "listener", "Sam", "english"),
    ("admin@univ-sante.example", "univ-sante", "owner", "Claire (admin)", None),
    ("admin@ligne-24h.example", "ligne-24h", "owner", "Lou (admin)", None),
    ("psy@univ-sante.example", "univ-sante", "listener", "Noé", "psychologues"),
]


def demo_origins(public_url: str) -> list[str]:
    """The origins the demo host page is reached at: HAVRE_PUBLIC_URL's, and its twin on
    localhost / 127.0.0.1 (both name this machine)."""
    parts = urlsplit(public_url)
    origin = f"{parts.scheme}://{parts.netloc}"
    twins = {"127.0.0.1": "localhost", "localhost": "127.0.0.1"}
    if parts.hostname in twins:
        port = f":{parts.port}" if parts.port else ""
        return [origin, f"{parts.scheme}://{twins[parts.hostname]}{port}"]
    return [origin]


async def load_demo(
    owner_url: str, tenants_dir: Path, public_url: str | None = None
) -> list[tuple[str, str, str]]:
    """Applies the demo tenants, letting the demo host page at public_url frame their chat
    whatever port it is served on."""
    import asyncpg

    tenants, errors = load_tenant_files(tenants_dir)
    if errors:
        raise errors[0]
    if not tenants:
        raise TenantFileError(str(tenants_dir), "folder", "holds no tenant files")
    if public_url:
        extra = demo_origins(public_url)
        tenants = [
            msgspec.structs.replace(
                t,
                allowed_origins=[
                    *t.allowed_origins,
                    *(o for o in extra if o not in t.allowed_origins),
                ],
            )
            for t in tenants
        ]
    conn = await asyncpg.connect(owner_url)
    try:
        await _init_connection(conn)
        await apply_tenants(conn, tenants)
        for email, organisation, role, name, team in DEMO_STAFF:
            staff_id = await create_staff(
                conn,
                email=email,
                organisation=organisation,
                role=role,
                password=DEMO_PASSWORD,
                display_name=name,
            )
            if team:
                await add_to_team(conn, staff_id=staff_id, organisation=organisation, team=team)
        # Past conversations (metadata only) so the admin dashboard has something to draw.
        await seed_history(conn)
        await seed_audit_trail(conn)
    finally:
        await conn.close()
    return [(email, organisation, role) for email, organisation, role, _, _ in DEMO_STAFF]


def print_welcome(settings: Settings, logins: list[tuple[str, str, str]]) -> None:
    base = settings.server.public_url
    lines = [
        "",
        "Havre is starting (demo).",
        f"  Demo host page:    {base}/demo/",
        f"  Listener console:  {base}/console/",
        f"  Supervision:       {base}/console/supervision",
        f"  Admin console:     {base}/admin/",
        f"  My account (TOTP): {base}/account/",
        f"  API (OpenAPI):     {base}/schema",
        f"  Health / ready:    {base}/health  {base}/ready",
        "",
        f"Demo logins (password for all: {DEMO_PASSWORD}):",
        *(f"  {email:<34} {role:<10} {org}" for email, org, role in logins),
        "",
        "Stop with Ctrl-C.",
        "",
    ]
    print("\n".join(lines), flush=True)
