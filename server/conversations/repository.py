"""SQL for conversations and messages (queries.sql), always inside a tenant transaction."""

from __future__ import annotations

from pathlib import Path

from server.sql import load_queries

Q = load_queries(Path(__file__).with_name("queries.sql"))
RISK_ORDER = ["none", "elevated", "high", "imminent"]
