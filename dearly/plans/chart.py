"""The objective chart: the cumulative figure over the period against the target's straight
pace line, drawn as inline SVG on the server (as campaigns.chart does; no chart script).

Geometry is computed here; the template only draws it, and a table beside the chart gives the
same numbers to anyone who cannot see it.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

WIDTH, HEIGHT = 720, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 26, 26
MAX_TICKS = 8


@dataclass(frozen=True, slots=True)
class Tick:
    x: float
    y: float
    text: str


@dataclass(slots=True)
class Chart:
    points: list[tuple[dt.date, Decimal]]  # cumulative, one per day up to today
    target: Decimal
    width: int = WIDTH
    height: int = HEIGHT
    baseline: float = HEIGHT - BOTTOM
    left: float = LEFT
    right: float = WIDTH - RIGHT
    actual_path: str = ""
    pace: tuple[float, float, float, float] = (0, 0, 0, 0)  # x1, y1, x2, y2
    target_y: float = 0
    today_x: float | None = None
    x_ticks: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    peak: Decimal = Decimal(0)


def build_chart(
    points: list[tuple[dt.date, Decimal]],
    *,
    start: dt.date,
    end: dt.date,
    target: Decimal,
    today: dt.date,
    pace_from: dt.date | None = None,
) -> Chart:
    """`pace_from`: the day the steady pace starts from zero (the plan began counting)."""
    chart = Chart(points=points, target=target)
    chart.peak = max([target, *(v for _, v in points)]) or Decimal(1)
    days = max((end - start).days + 1, 1)

    def x(day: dt.date, edge: int = 0) -> float:
        return round(
            chart.left + (chart.right - chart.left) * ((day - start).days + edge) / days, 2
        )

    def y(value: Decimal) -> float:
        plot = chart.baseline - TOP
        return round(chart.baseline - plot * float(value / chart.peak), 2)

    chart.actual_path = " ".join(f"{x(d, 1)},{y(v)}" for d, v in points)
    if points:
        chart.actual_path = f"{x(start)},{chart.baseline} " + chart.actual_path
    first = max(start, pace_from) if pace_from else start
    chart.pace = (x(first), chart.baseline, x(end, 1), y(target))
    chart.target_y = y(target)
    if start <= today <= end:
        chart.today_x = x(today, 1)
    every = max(1, -(-days // MAX_TICKS))
    for i in range(0, days, every):
        day = start + dt.timedelta(days=i)
        chart.x_ticks.append(Tick(x=x(day), y=chart.height - 8, text=f"{day:%d %b}"))
    for fraction in (Decimal(0), Decimal("0.5"), Decimal(1)):
        value = chart.peak * fraction
        chart.y_ticks.append(Tick(x=chart.left - 4, y=y(value) + 4, text=_short(value)))
    return chart


def _short(value: Decimal) -> str:
    if value >= 1000:
        return f"{value / 1000:.1f}k".replace(".0k", "k")
    return f"{value:.0f}" if value == value.to_integral_value() else f"{value:.1f}"
