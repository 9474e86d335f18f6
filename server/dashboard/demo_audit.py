"""A short audit trail for the demo tenants, so the audit log page has entries to filter.

Every entry is marked `details.demo = true`: the demo's log says which lines are made up. A
tenant that already holds demo entries gets none added (running the demo twice adds nothing).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from server.db import Connection

# (tenant, days ago, actor e-mail, action, target, details); the target "{conversation}" is
# replaced by one of that tenant's demo conversations, "{slug}" by the tenant's slug.
TRAIL: list[tuple[str, int, str, str, str, dict[str, Any]]] = [
    (
        "ecoute-nuit",
        59,
        "admin@ecoute-nuit.example",
        "settings.branding",
        "{slug}",
        {
            "changes": [
                {"field": "branding.primary_color", "from": "#1f4e79", "to": "#1b2a4a"},
                {"field": "branding.welcome"},
            ]
        },
    ),
    (
        "ecoute-nuit",
        59,
        "admin@ecoute-nuit.example",
        "settings.hours",
        "{slug}",
        {"changes": [{"field": "closing_cutoff_minutes", "from": 10, "to": 15}]},
    ),
    (
        "ecoute-nuit",
        58,
        "admin@ecoute-nuit.example",
        "staff.invited",
        "superviseur@ecoute-nuit.example",
        {"role": "supervisor"},
    ),
    (
        "ecoute-nuit",
        58,
        "superviseur@ecoute-nuit.example",
        "staff.invitation_accepted",
        "superviseur@ecoute-nuit.example",
        {},
    ),
    (
        "ecoute-nuit",
        57,
        "admin@ecoute-nuit.example",
        "staff.invited",
        "ecoutant@ecoute-nuit.example",
        {"role": "listener"},
    ),
    (
        "ecoute-nuit",
        57,
        "ecoutant@ecoute-nuit.example",
        "staff.invitation_accepted",
        "ecoutant@ecoute-nuit.example",
        {},
    ),
    (
        "ecoute-nuit",
        45,
        "admin@ecoute-nuit.example",
        "settings.referrals",
        "{slug}",
        {
            "changes": [
                {
                    "field": "referral.phone",
                    "item": "SOS Amitié",
                    "from": None,
                    "to": "09 72 39 40 50",
                }
            ]
        },
    ),
    (
        "ecoute-nuit",
        30,
        "admin@ecoute-nuit.example",
        "staff.role_changed",
        "listener@ecoute-nuit.example",
        {"from": "supervisor", "to": "listener"},
    ),
    (
        "ecoute-nuit",
        21,
        "superviseur@ecoute-nuit.example",
        "transcript.view",
        "{conversation}",
        {"via": "supervision"},
    ),
    (
        "ecoute-nuit",
        9,
        "superviseur@ecoute-nuit.example",
        "transcript.view",
        "{conversation}",
        {"via": "supervision"},
    ),
    (
        "ecoute-nuit",
        3,
        "admin@ecoute-nuit.example",
        "settings.replies",
        "{slug}",
        {"changes": [{"field": "reply.body", "item": "Bonsoir (FR)"}]},
    ),
    (
        "univ-sante",
        55,
        "admin@univ-sante.example",
        "settings.hours",
        "{slug}",
        {"changes": [{"field": "time_zone", "from": "Europe/London", "to": "Europe/Paris"}]},
    ),
    (
        "univ-sante",
        54,
        "admin@univ-sante.example",
        "partner.granted",
        "ecoute-nuit",
        {"teams": "all"},
    ),
    (
        "univ-sante",
        54,
        "admin@univ-sante.example",
        "staff.invited",
        "psy@univ-sante.example",
        {"role": "listener"},
    ),
    (
        "univ-sante",
        12,
        "admin@univ-sante.example",
        "settings.privacy",
        "{slug}",
        {"changes": [{"field": "retention_days", "from": 90, "to": 60}]},
    ),
]
SIGN_INS = {
    "ecoute-nuit": [
        "admin@ecoute-nuit.example",
        "superviseur@ecoute-nuit.example",
        "ecoutant@ecoute-nuit.example",
        "listener@ecoute-nuit.example",
    ],
    "univ-sante": ["admin@univ-sante.example", "psy@univ-sante.example"],
}

INSERT = """
INSERT INTO audit_log (organisation_id, actor_id, action, target, details, created_at)
VALUES ($1, $2, $3, $4, $5, $6)
"""


async def seed_audit_trail(conn: Connection, now: datetime | None = None) -> int:
    """Adds the demo entries (as the tables' owner) to tenants without any; returns how many."""
    now = now or datetime.now(UTC)
    added = 0
    for slug, emails in SIGN_INS.items():
        org = await conn.fetchval("SELECT id FROM organisations WHERE slug = $1", slug)
        if org is None or await conn.fetchval(
            "SELECT EXISTS (SELECT 1 FROM audit_log WHERE organisation_id = $1 "
            "AND details @> '{\"demo\": true}')",
            org,
        ):
            continue
        rng = random.Random(f"havre-demo-audit:{slug}")  # noqa: S311 - demo data, not secrets
        people = {
            r["email"]: r["id"]
            for r in await conn.fetch(
                "SELECT id, email FROM staff_users WHERE email = ANY($1::text[])",
                sorted({e for _, _, e, *_ in TRAIL} | set(emails)),
            )
        }
        conversations = [
            str(r["id"])
            for r in await conn.fetch(
                "SELECT id FROM conversations WHERE organisation_id = $1 AND state = 'ended' "
                "ORDER BY created_at LIMIT 200",
                org,
            )
        ]
        rows: list[tuple[Any, ...]] = []
        for tenant, days_ago, email, action, target, details in TRAIL:
            if tenant != slug:
                continue
            if target == "{conversation}":
                target = rng.choice(conversations) if conversations else ""
            at = now - timedelta(days=days_ago, minutes=rng.randint(0, 600))
            target = target.replace("{slug}", slug)
            rows.append((org, people.get(email), action, target, {**details, "demo": True}, at))
        for days_ago in range(60, 0, -1):
            for email in emails:
                if rng.random() < 0.3:
                    at = now - timedelta(days=days_ago, minutes=rng.randint(0, 600))
                    rows.append((org, people.get(email), "staff.sign_in", "", {"demo": True}, at))
        await conn.executemany(INSERT, rows)
        added += len(rows)
    return added
