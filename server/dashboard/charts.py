"""Chart geometry for the dashboard's inline SVG: numbers in, rectangles and labels out.

The template draws what this computes; nothing is drawn in the browser, so the charts need no
script and no chart library, and the CSP (no inline styles) is kept: colours are CSS classes.
"""

from __future__ import annotations

import math
from datetime import date

import msgspec

from server.dashboard.structs import DayCount

WIDTH = 720
DAY_HEIGHT = 200
DAY_TOP = 10
DAY_LEFT = 44
DAY_BOTTOM = 28
ROW_HEIGHT = 26
LABEL_WIDTH = 200
VALUE_WIDTH = 60
LABEL_CHARS = 28  # about what LABEL_WIDTH holds at the chart's font size


class Rect(msgspec.Struct, frozen=True):
    x: float
    y: float
    width: float
    height: float


class Tick(msgspec.Struct, frozen=True):
    y: float
    value: int


class DayBar(msgspec.Struct, frozen=True):
    day: date
    label: str | None  # the date under the axis, for some days only
    label_x: float
    total: Rect
    answered: Rect
    conversations: int
    answered_count: int
    closed_attempts: int
    closed: Rect | None


class DayChart(msgspec.Struct, frozen=True):
    width: int
    height: int
    axis_y: float
    ticks: list[Tick]
    bars: list[DayBar]
    peak: int


class Row(msgspec.Struct, frozen=True):
    key: str
    label: str
    short_label: str  # what fits left of the bar; the full label is in its tooltip and table
    value: int
    bar: Rect
    label_y: float
    value_x: float


class RowChart(msgspec.Struct, frozen=True):
    width: int
    height: int
    rows: list[Row]
    total: int


def nice_ceiling(value: int) -> int:
    """The axis top: a round number (1, 2, 3, 4, 5, 6 or 8 times a power of ten, or the next
    power) at least `value`, and at least 1."""
    if value <= 1:
        return 1
    magnitude = int(10 ** math.floor(math.log10(value)))
    for step in (1, 2, 3, 4, 5, 6, 8, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude  # pragma: no cover - the loop always returns


def day_chart(days: list[DayCount], label_every: int | None = None) -> DayChart:
    """Bars per day: all conversations, the answered part inside, refused starts beside."""
    plot_width = WIDTH - DAY_LEFT - 4
    plot_height = DAY_HEIGHT - DAY_TOP - DAY_BOTTOM
    axis_y = DAY_TOP + plot_height
    peak = max((max(d.conversations, d.closed_attempts) for d in days), default=0)
    top = nice_ceiling(peak)
    slot = plot_width / max(len(days), 1)
    every = label_every or max(1, math.ceil(len(days) / 8))

    def height(value: int) -> float:
        return round(plot_height * value / top, 2)

    bars: list[DayBar] = []
    for index, day in enumerate(days):
        x = DAY_LEFT + index * slot
        main_width = slot * 0.62
        total_h, answered_h = height(day.conversations), height(day.answered)
        closed = None
        if day.closed_attempts:
            closed_h = height(day.closed_attempts)
            closed = Rect(
                round(x + main_width + slot * 0.04, 2),
                axis_y - closed_h,
                round(slot * 0.22, 2),
                closed_h,
            )
        bars.append(
            DayBar(
                day=day.day,
                label=day.day.strftime("%d/%m") if index % every == 0 else None,
                label_x=round(x + slot / 2, 2),
                total=Rect(round(x, 2), axis_y - total_h, round(main_width, 2), total_h),
                answered=Rect(round(x, 2), axis_y - answered_h, round(main_width, 2), answered_h),
                conversations=day.conversations,
                answered_count=day.answered,
                closed_attempts=day.closed_attempts,
                closed=closed,
            )
        )
    ticks = [Tick(axis_y - height(v), v) for v in sorted({0, top // 2, top}) if v <= top]
    return DayChart(WIDTH, DAY_HEIGHT, axis_y, ticks, bars, peak)


def row_chart(items: list[tuple[str, str, int]]) -> RowChart:
    """Horizontal bars, one row per (key, label, value), scaled to the largest value."""
    longest = max((value for _, _, value in items), default=0)
    plot_width = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    rows: list[Row] = []
    for index, (key, label, value) in enumerate(items):
        y = index * ROW_HEIGHT
        bar_width = round(plot_width * value / longest, 2) if longest else 0.0
        rows.append(
            Row(
                key=key,
                label=label,
                short_label=label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…",
                value=value,
                bar=Rect(LABEL_WIDTH, y + 4, bar_width, ROW_HEIGHT - 8),
                label_y=y + ROW_HEIGHT / 2 + 5,
                value_x=LABEL_WIDTH + bar_width + 6,
            )
        )
    return RowChart(
        WIDTH, max(len(items), 1) * ROW_HEIGHT, rows, sum(value for _, _, value in items)
    )


def duration_text(seconds: float | None) -> str:
    """`1 h 05 min`, `4 min 30 s`, `45 s`; a dash when nothing was measured."""
    if seconds is None:
        return "—"
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {secs:02d} s"
    return f"{secs} s"
