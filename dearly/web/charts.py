"""The dashboard's charts as inline SVG drawn on the server (no chart script).

Geometry is computed here; the templates only place the shapes. Every chart has a text
equivalent next to it (a figure, a list or the bar's title) for anyone who cannot see it.
"""

import datetime as dt
import math
from dataclasses import dataclass, field

WIDTH = 440
TOP, BOTTOM = 16, 22  # room for the scale above and the day labels below


@dataclass(frozen=True, slots=True)
class Rect:
    series: str
    x: float
    y: float
    width: float
    height: float
    value: float
    title: str


@dataclass(frozen=True, slots=True)
class Tick:
    x: float
    text: str
    anchor: str = "middle"


@dataclass(slots=True)
class Columns:
    """Bars per day, stacked by series, with an optional horizontal line (the floor)."""

    width: int = WIDTH
    height: int = 150
    rects: list[Rect] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    peak: float = 0
    baseline: float = 0
    line_y: float | None = None
    line_value: float = 0
    total: float = 0

    @property
    def empty(self) -> bool:
        return self.total == 0


def _nice(value: float) -> float:
    """A round scale top at or above the value: 1, 2 or 5 times a power of ten."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def columns(
    days: list[tuple[dt.date, dict[str, float]]],
    *,
    series: tuple[str, ...],
    line: float | None = None,
    label_every: int = 7,
    height: int = 150,
) -> Columns:
    chart = Columns(height=height, baseline=height - BOTTOM)
    if not days:
        return chart
    totals = [sum(values.get(s, 0) for s in series) for _, values in days]
    chart.total = sum(totals)
    chart.peak = _nice(max([*totals, line or 0]))
    room = chart.baseline - TOP
    slot = chart.width / len(days)
    bar = max(slot * 0.72, 1.0)
    for i, (day, values) in enumerate(days):
        x = round(i * slot + (slot - bar) / 2, 1)
        bottom = chart.baseline
        for name in series:
            value = values.get(name, 0)
            if not value:
                continue
            h = room * value / chart.peak
            bottom -= h
            chart.rects.append(
                Rect(
                    name, x, round(bottom, 1), round(bar, 1), round(h, 1), value, f"{day:%a %-d %b}"
                )
            )
        if i % label_every == 0:
            x = round(i * slot + slot / 2, 1)
            chart.ticks.append(Tick(x, f"{day:%-d %b}", "start" if i == 0 else "middle"))
    if line:
        chart.line_value = round(line, 1)
        chart.line_y = round(chart.baseline - room * line / chart.peak, 1)
    return chart


@dataclass(frozen=True, slots=True)
class Row:
    label: str
    value: int
    y: float
    width: float
    href: str = ""
    title: str = ""


@dataclass(slots=True)
class HBars:
    """Horizontal bars, one per label, scaled to the largest."""

    rows: list[Row] = field(default_factory=list)
    width: int = 420
    label_width: int = 150
    row_height: int = 28
    height: int = 0

    @property
    def bar_x(self) -> int:
        return self.label_width + 8

    @property
    def room(self) -> int:
        return self.width - self.bar_x - 50


def hbars(items: list[tuple[str, int, str, str]]) -> HBars:
    """Items are (label, value, link or "", title)."""
    chart = HBars()
    peak = max([item[1] for item in items], default=0) or 1
    for i, (label, value, href, title) in enumerate(items):
        chart.rows.append(
            Row(
                label=label,
                value=value,
                y=i * chart.row_height,
                width=round(max(chart.room * value / peak, 2 if value else 0), 1),
                href=href,
                title=title or label,
            )
        )
    chart.height = len(items) * chart.row_height
    return chart


@dataclass(frozen=True, slots=True)
class Ring:
    """A share as a ring: the arc's length is the share of the circumference."""

    percent: int
    radius: float = 52
    stroke: float = 14

    @property
    def circumference(self) -> float:
        return round(2 * math.pi * self.radius, 2)

    @property
    def arc(self) -> float:
        return round(self.circumference * self.percent / 100, 2)

    @property
    def gap(self) -> float:
        return round(self.circumference - self.arc, 2)
