"""Alerts to a tenant's supervisors: a visitor at high risk, a visitor waiting too long, a
listener on too long a shift, a new listener's supervised conversation. Each goes to the
supervisors whose teams cover the conversation, and refreshes their live list."""

from __future__ import annotations

import contextlib
import logging
import time
from pathlib import Path
from typing import Any
from uuid import UUID

import msgspec
from redis.exceptions import RedisError

from server.access import role_at_least
from server.conversations import frames as f
from server.conversations.events import Channels, SupervisionNotice
from server.db import Connection, Database
from server.routing.presence import PresenceStore, SupervisorPresence
from server.sql import load_queries

SQ = load_queries(Path(__file__).with_name("supervision.sql"))
# A shift alert is sent once per shift; the marker outlives any shift.
SHIFT_ALERT_MEMORY_SECONDS = 24 * 3600
# A waiting visitor's page going away is alerted once per absence (a day at most).
LEFT_ALERT_MEMORY_SECONDS = 24 * 3600
_json = msgspec.json.Encoder()
log = logging.getLogger("havre.alerts")


def supervises(row: Any, team_id: UUID | None) -> bool:
    """A havre_tenant_staff row: does this supervisor cover a conversation of this team?"""
    if not role_at_least(row["role"], "supervisor"):
        return False
    if row["via_partner"] is None or row["team_ids"] is None:
        return True
    return team_id is not None and team_id in row["team_ids"]


async def staff_names(conn: Connection, ids: list[UUID]) -> dict[UUID, str]:
    if not ids:
        return {}
    return {r["staff_id"]: r["name"] for r in await conn.fetch(SQ["staff_names"], ids)}


class SupervisorAlerts:
    def __init__(self, db: Database, channels: Channels, ttl_seconds: int) -> None:
        self.db = db
        self.channels = channels
        client = channels.realtime.client
        self.redis = client
        self.supervisors = SupervisorPresence(client, ttl_seconds)
        self.listeners = PresenceStore(client, ttl_seconds)

    async def changed(self, tenant_id: UUID) -> None:
        """The tenant's live list changed for its supervisors (no alert)."""
        await self.channels.publish(
            self.channels.supervisors(tenant_id), SupervisionNotice(tenant_id=tenant_id)
        )

    async def send(self, tenant_id: UUID, alert: f.Alert, teams: list[UUID | None]) -> None:
        await self.channels.publish(
            self.channels.supervisors(tenant_id),
            SupervisionNotice(tenant_id=tenant_id, teams=teams, frame=_json.encode(alert)),
        )

    async def _slug(self, conn: Connection, tenant_id: UUID) -> str:
        row = await conn.fetchrow("SELECT slug FROM havre_organisation_public($1)", tenant_id)
        return str(row["slug"]) if row else ""

    async def risk(
        self, tenant_id: UUID, conversation_id: UUID, level: f.RiskLevel, reasons: list[str]
    ) -> list[str]:
        """Alerts the supervisors; returns the names of those who have a console open."""
        online: set[UUID] = set()
        with contextlib.suppress(RedisError, OSError):
            online = await self.supervisors.online(tenant_id)
        async with self.db.tenant_transaction(tenant_id) as conn:
            slug = await self._slug(conn, tenant_id)
            row = await conn.fetchrow(SQ["locate"], conversation_id)
            team_id = row["team_id"] if row else None
            listener_id = row["listener_id"] if row else None
            staff = await conn.fetch(SQ["tenant_staff"])
            alerted = {r["staff_id"] for r in staff if supervises(r, team_id)} & online
            with_listener = alerted | ({listener_id} if listener_id else set())
            names = await staff_names(conn, sorted(with_listener))
        await self.send(
            tenant_id,
            f.Alert(
                tenant=slug,
                kind="risk",
                conversation_id=conversation_id,
                level=level,
                reasons=reasons,
                # Who is with the visitor, so the supervisor knows whom to whisper to.
                listener_id=listener_id,
                listener_name=names.get(listener_id) if listener_id else None,
            ),
            [team_id],
        )
        return sorted(name for staff_id, name in names.items() if staff_id in alerted)

    async def visitors_left(self, tenant_id: UUID, rows: list[Any]) -> list[Any]:
        """Waiting visitors at high or imminent risk whose page has gone (rows of due_leaves):
        each absence, named by the page's last sign of life, is alerted once. Returns the rows
        alerted now."""
        fresh = []
        for row in rows:
            marker = self.redis.key("left-alerted", str(tenant_id), str(row["id"]))
            seen = row["visitor_seen_at"].timestamp()
            if await self.redis.redis.set(
                f"{marker}:{seen}", "1", nx=True, ex=LEFT_ALERT_MEMORY_SECONDS
            ):
                fresh.append(row)
        if not fresh:
            return []
        async with self.db.tenant_transaction(tenant_id) as conn:
            slug = await self._slug(conn, tenant_id)
        for row in fresh:
            alert = f.Alert(
                tenant=slug, kind="visitor_left", conversation_id=row["id"], level=row["risk_level"]
            )
            await self.send(tenant_id, alert, [row["team_id"]])
        return fresh

    async def supervised_start(
        self, tenant_id: UUID, conversation_id: UUID, listener_id: UUID, team_id: UUID | None
    ) -> None:
        async with self.db.tenant_transaction(tenant_id) as conn:
            slug = await self._slug(conn, tenant_id)
            names = await staff_names(conn, [listener_id])
        await self.send(
            tenant_id,
            f.Alert(
                tenant=slug,
                kind="supervised_start",
                conversation_id=conversation_id,
                listener_id=listener_id,
                listener_name=names.get(listener_id),
            ),
            [team_id],
        )

    async def tenant_tick(self, tenant_id: UUID, now: float | None = None) -> None:
        """The timers' pass: visitors waiting past the threshold, listeners past the shift
        limit. Each alert is sent once (per conversation, per shift)."""
        now = time.time() if now is None else now
        async with self.db.tenant_transaction(tenant_id) as conn:
            slug = await self._slug(conn, tenant_id)
            waits = await conn.fetch(SQ["due_wait_alerts"])
            in_conversations = await conn.fetch(SQ["listeners_in_conversations"])
        for row in waits:
            alert = f.Alert(
                tenant=slug,
                kind="long_wait",
                conversation_id=row["id"],
                level=row["risk_level"],
                minutes=row["minutes"],
            )
            await self.send(tenant_id, alert, [row["team_id"]])
        if not in_conversations:
            return
        starts = await self.listeners.shift_starts(r["listener_id"] for r in in_conversations)
        for row in in_conversations:
            start = starts.get(row["listener_id"])
            if start is None or now - start < row["shift_alert_minutes"] * 60:
                continue
            marker = self.redis.key("shift-alerted", str(tenant_id), str(row["listener_id"]))
            # One alert per shift: the marker names the shift by its start.
            if not await self.redis.redis.set(
                f"{marker}:{start}", "1", nx=True, ex=SHIFT_ALERT_MEMORY_SECONDS
            ):
                continue
            async with self.db.tenant_transaction(tenant_id) as conn:
                names = await staff_names(conn, [row["listener_id"]])
            alert = f.Alert(
                tenant=slug,
                kind="long_shift",
                listener_id=row["listener_id"],
                listener_name=names.get(row["listener_id"]),
                minutes=int((now - start) // 60),
            )
            await self.send(tenant_id, alert, list(row["team_ids"]))
