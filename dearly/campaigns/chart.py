"""A bar chart of a campaign over time, drawn as inline SVG on the server (no chart script).

Geometry is computed here; the template only draws the rectangles, and a table beside the
chart gives the same numbers to anyone who cannot see it.
"""

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

SERIES = (("sent", "Sent"), ("opened", "Opens"), ("clicked", "Clicks"))
MAX_BUCKETS = 72
MIN_SLOTS = 24  # a campaign one hour old gets a narrow bar, not one the width of the page
WIDTH, HEIGHT = 720, 200
TOP, BOTTOM = 14, 26  # room for the scale above and the time labels below


@dataclass(frozen=True, slots=True)
class Point:
    at: dt.datetime
    sent: int = 0
    opened: int = 0
    clicked: int = 0


@dataclass(frozen=True, slots=True)
class Bar:
    series: str
    x: float
    y: float
    width: float
    height: float
    value: int


@dataclass(frozen=True, slots=True)
class Tick:
    x: float
    text: str


@dataclass(slots=True)
class Chart:
    bucket: str  # "hour" | "day"
    points: list[Point] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    peak: int = 0
    width: int = WIDTH
    height: int = HEIGHT
    baseline: float = HEIGHT - BOTTOM

    @property
    def empty(self) -> bool:
        return self.peak == 0


def bucket_for(span: dt.timedelta) -> str:
    return "hour" if span <= dt.timedelta(hours=MAX_BUCKETS) else "day"


def build_chart(points: dict[dt.datetime, Point], *, bucket: str, tz: ZoneInfo) -> Chart:
    chart = Chart(bucket=bucket, points=_filled(points, bucket=bucket, tz=tz))
    chart.peak = max((max(p.sent, p.opened, p.clicked) for p in chart.points), default=0)
    if chart.peak:
        _draw(chart, tz)
    return chart


def _filled(points: dict[dt.datetime, Point], *, bucket: str, tz: ZoneInfo) -> list[Point]:
    """Every bucket from the first to the last (at most MAX_BUCKETS, the latest ones), so a
    quiet hour shows as a gap rather than vanishing."""
    if not points:
        return []
    by_instant = {at.astimezone(dt.UTC): p for at, p in points.items()}
    first, last = min(by_instant), max(by_instant)
    filled, at = [], first
    while at <= last:
        filled.append(by_instant.get(at) or Point(at=at))
        at = _next(at, bucket, tz)
    return filled[-MAX_BUCKETS:]


def _next(at: dt.datetime, bucket: str, tz: ZoneInfo) -> dt.datetime:
    if bucket == "hour":
        return at + dt.timedelta(hours=1)
    day = at.astimezone(tz).date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(0), tzinfo=tz).astimezone(dt.UTC)


def _draw(chart: Chart, tz: ZoneInfo) -> None:
    slot = chart.width / max(len(chart.points), MIN_SLOTS)
    bar_width = slot * 0.8 / len(SERIES)
    plot_height = chart.height - TOP - BOTTOM
    every = max(1, len(chart.points) // 8)
    for i, point in enumerate(chart.points):
        left = i * slot + slot * 0.1
        for j, (name, _) in enumerate(SERIES):
            value = getattr(point, name)
            height = plot_height * value / chart.peak
            chart.bars.append(
                Bar(
                    series=name,
                    x=round(left + j * bar_width, 2),
                    y=round(chart.baseline - height, 2),
                    width=round(bar_width, 2),
                    height=round(height, 2),
                    value=value,
                )
            )
        if i % every == 0:
            chart.ticks.append(Tick(x=round(i * slot, 2), text=_label(point.at, chart.bucket, tz)))


def _label(at: dt.datetime, bucket: str, tz: ZoneInfo) -> str:
    local = at.astimezone(tz)
    return f"{local:%a %H:%M}" if bucket == "hour" else f"{local:%a %d %b}"
