"""Opening hours: whether a tenant or team is open, and how to say so to a visitor."""

from server.hours.phrasing import clock_text, describe_state, describe_week
from server.hours.schedule import (
    LOOKAHEAD,
    OpeningState,
    Schedule,
    ScheduleError,
    Slot,
    UnknownTeamError,
    UnknownTimeZoneError,
)

__all__ = [
    "LOOKAHEAD",
    "OpeningState",
    "Schedule",
    "ScheduleError",
    "Slot",
    "UnknownTeamError",
    "UnknownTimeZoneError",
    "clock_text",
    "describe_state",
    "describe_week",
]
