"""Line charts of rates over days, laid out here and drawn by the templates as inline SVG:
no script, and no style attribute (the CSP allows stylesheets from us only), so lines
take their colour from classes in static/style.css."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 10, 26  # margins: axis labels live there


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    label: str  # the point's tooltip: its day and value


@dataclass(frozen=True)
class ChartLine:
    name: str
    css: str  # a class of static/style.css: the line's colour
    points: tuple[ChartPoint, ...]

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


@dataclass(frozen=True)
class Chart:
    title: str
    lines: tuple[ChartLine, ...]
    threshold_y: float | None
    y_ticks: tuple[tuple[float, str], ...]
    x_ticks: tuple[tuple[float, str], ...]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    bottom_edge: int = HEIGHT - BOTTOM

    @property
    def points(self) -> int:
        return sum(len(line.points) for line in self.lines)


def rate_chart(
    title: str,
    lines: Sequence[tuple[str, str, Sequence[tuple[date, float | None]]]],
    first: date,
    last: date,
    threshold: float | None,
) -> Chart:
    """A chart of rates (0 to 1) from ``first`` to ``last``, one line per (name, css
    class, [(day, rate)]); a day without a rate has no point."""
    span = max((last - first).days, 1)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    def x(day: date) -> float:
        return LEFT + plot_w * (day - first).days / span

    def y(rate: float) -> float:
        return TOP + plot_h * (1 - rate)

    drawn = tuple(
        ChartLine(
            name,
            css,
            tuple(
                ChartPoint(x(day), y(rate), f"{day.isoformat()}: {name} {rate:.1%}")
                for day, rate in values
                if rate is not None
            ),
        )
        for name, css, values in lines
    )
    days = (last - first).days
    step = max(1, days // 6)
    ticks = [first + timedelta(days=d) for d in range(0, days + 1, step)]
    x_ticks = tuple((x(day), day.strftime("%m-%d")) for day in ticks)
    y_ticks = tuple((y(r), f"{r:.0%}") for r in (0.0, 0.25, 0.5, 0.75, 1.0))
    return Chart(
        title=title,
        lines=drawn,
        threshold_y=y(threshold) if threshold is not None else None,
        y_ticks=y_ticks,
        x_ticks=x_ticks,
    )
