"""The German level over time as a small SVG line chart, computed on the server.

No chart library: the geometry is a few numbers the template writes into an `<svg>`
(decision 0046). Colours come from CSS classes (the Content-Security-Policy refuses inline
styles); the same data is shown as a table beside the chart.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from bruecke.offers.models import CEFR_LEVELS

WIDTH = 480
HEIGHT = 220
LEFT = 44  # room for the level labels
RIGHT = 16
TOP = 12
BOTTOM = 36  # room for the date labels


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    level: str
    on: datetime.date


@dataclass(frozen=True)
class Gridline:
    y: float
    level: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    right_edge: int
    bottom_edge: int
    points: list[Point]
    grid: list[Gridline]
    first: datetime.date
    last: datetime.date

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    @property
    def label_y(self) -> int:
        return self.bottom_edge + 22


def level_chart(readings: Sequence[tuple[datetime.date, str]]) -> Chart | None:
    """The chart of (date, level) readings, oldest first; None without readings.

    x is the date (the first reading at the left edge, the last at the right; a single
    reading sits in the middle), y the level (A1 at the bottom, C2 at the top)."""
    # Stable by date: readings of one day keep the order they were recorded in.
    usable = sorted(((on, level) for on, level in readings if level in CEFR_LEVELS), key=lambda r: r[0])
    if not usable:
        return None
    right_edge, bottom_edge = WIDTH - RIGHT, HEIGHT - BOTTOM
    step = (bottom_edge - TOP) / (len(CEFR_LEVELS) - 1)
    grid = [Gridline(y=bottom_edge - i * step, level=level) for i, level in enumerate(CEFR_LEVELS)]
    first, last = usable[0][0], usable[-1][0]
    span = (last - first).days
    points = []
    for on, level in usable:
        # A single day's readings sit in the middle.
        x = LEFT + (right_edge - LEFT) * ((on - first).days / span if span else 0.5)
        points.append(Point(x=x, y=bottom_edge - CEFR_LEVELS.index(level) * step, level=level, on=on))
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right_edge=right_edge,
        bottom_edge=bottom_edge,
        points=points,
        grid=grid,
        first=first,
        last=last,
    )
