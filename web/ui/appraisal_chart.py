"""The appraisal's chart: the binding resource over the request's horizon, as SVG.

Drawn on the server as a plain SVG (no script, no inline style: the pages run under
a strict CSP, and a printed page must not wait for a script to draw). The load
B + R + D is a line with its 80 % and 95 % bands (the baseline forecast's
intervals, shifted by R + D), against the ceiling; the month it first crosses is
marked. Names and the unit arrive translated.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

WIDTH, HEIGHT = 680.0, 210.0
LEFT, RIGHT, TOP, BOTTOM = 56.0, 10.0, 22.0, 24.0
TICKS = 4


@dataclass(frozen=True)
class ChartWords:
    """What the chart's legend says, in the reader's language."""

    load: str
    band80: str
    band95: str
    ceiling: str
    unit: str
    month: Callable[[str], str] = lambda step: step[:7]  # an axis label of an ISO day
    number: Callable[[float], str] = lambda value: f"{value:,.6g}"  # an axis label of a figure


def _total(series: Mapping[str, Any], baseline_key: str) -> list[float] | None:
    baseline = series.get(baseline_key)
    if baseline is None:
        return None
    parts = zip(baseline, series["reserved"], series["demand"], strict=True)
    return [float((b or 0) + (r or 0) + (d or 0)) for b, r, d in parts]


def _points(xs: Sequence[float], ys: Sequence[float], y_of: Any) -> str:
    return " ".join(f"{x:.1f},{y_of(y):.1f}" for x, y in zip(xs, ys, strict=True))


def _band(xs: Sequence[float], lo: Sequence[float], hi: Sequence[float], y_of: Any) -> str:
    upper = _points(xs, hi, y_of)
    lower = _points(list(reversed(xs)), list(reversed(lo)), y_of)
    return f"{upper} {lower}"


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    step = 10 ** len(str(int(value))) / 10
    for factor in (1, 2, 2.5, 5, 10):
        if value <= step * factor * TICKS:
            return step * factor * TICKS
    return value


def binding_chart_svg(
    steps: Sequence[str],
    series: Mapping[str, Any],
    words: ChartWords,
    shortfall_date: str | None = None,
) -> Markup:
    """The SVG of one resource's series (``capacity.series``) with its bands."""
    load = _total(series, "baseline") or []
    bands = {k: _total(series, f"baseline_{k}") for k in ("lo80", "hi80", "lo95", "hi95")}
    limit = float(series["limit"])
    top = _nice_max(max([limit, *load, *(bands["hi95"] or [])]) * 1.05)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    n = max(len(steps) - 1, 1)
    xs = [LEFT + plot_w * i / n for i in range(len(steps))]

    def y_of(v: float) -> float:
        return TOP + plot_h * (1 - min(max(v, 0.0), top) / top)

    parts = [
        f'<svg class="binding-chart" viewBox="0 0 {WIDTH:.0f} {HEIGHT:.0f}" '
        'xmlns="http://www.w3.org/2000/svg" role="img" font-size="10" font-family="sans-serif">'
    ]
    for i in range(TICKS + 1):
        v = top * i / TICKS
        y = y_of(v)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
                     'stroke="#dee2e6" stroke-width="0.6"/>')  # fmt: skip
        label = escape(words.number(v))
        parts.append(f'<text x="{LEFT - 4}" y="{y + 3:.1f}" text-anchor="end">{label}</text>')
    for i, step in enumerate(steps):
        if step.endswith("-01-01") or i == 0:
            parts.append(f'<text x="{xs[i]:.1f}" y="{HEIGHT - 8}" text-anchor="middle">'
                         f"{escape(words.month(step))}</text>")  # fmt: skip
    if bands["lo95"] and bands["hi95"]:
        parts.append(f'<polygon class="band95" fill="#a5d8ff" fill-opacity="0.45" '
                     f'points="{_band(xs, bands["lo95"], bands["hi95"], y_of)}"/>')  # fmt: skip
    if bands["lo80"] and bands["hi80"]:
        parts.append(f'<polygon class="band80" fill="#4dabf7" fill-opacity="0.55" '
                     f'points="{_band(xs, bands["lo80"], bands["hi80"], y_of)}"/>')  # fmt: skip
    if load:
        parts.append(f'<polyline class="load" fill="none" stroke="#1864ab" stroke-width="2" '
                     f'points="{_points(xs, load, y_of)}"/>')  # fmt: skip
    parts.append(f'<line class="ceiling" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y_of(limit):.1f}" '
                 f'y2="{y_of(limit):.1f}" stroke="#c92a2a" stroke-width="1.5" '
                 'stroke-dasharray="6 3"/>')  # fmt: skip
    if shortfall_date is not None and shortfall_date in steps:
        x = xs[list(steps).index(shortfall_date)]
        parts.append(f'<line class="shortfall" x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" '
                     f'y2="{TOP + plot_h}" stroke="#c92a2a" stroke-dasharray="2 2"/>')  # fmt: skip
    parts.append(_legend(words))
    parts.append("</svg>")
    return Markup("".join(parts))


def _legend(words: ChartWords) -> str:
    items = [
        ('<line x1="0" x2="18" y1="-3" y2="-3" stroke="#1864ab" stroke-width="2"/>', words.load),
        ('<rect x="0" y="-8" width="18" height="8" fill="#4dabf7" fill-opacity="0.55"/>',
         words.band80),
        ('<rect x="0" y="-8" width="18" height="8" fill="#a5d8ff" fill-opacity="0.45"/>',
         words.band95),
        ('<line x1="0" x2="18" y1="-3" y2="-3" stroke="#c92a2a" stroke-dasharray="6 3"/>',
         words.ceiling),
    ]  # fmt: skip
    out = [f'<text x="4" y="12">{escape(words.unit)}</text>']
    x = LEFT + 10
    for mark, text in items:
        out.append(f'<g transform="translate({x:.0f},12)">{mark}'
                   f'<text x="22" y="0">{escape(text)}</text></g>')  # fmt: skip
        x += 30 + 5.6 * len(text)
    return "".join(out)
