"""The monthly cost of scenarios as an SVG line chart, drawn on the server (no script; the page's CSP allows
Payung's own files only, so the SVG carries classes, never inline styles). Pure: no Django."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

WIDTH, HEIGHT = 720, 280
LEFT, RIGHT, TOP, BOTTOM = 92, 16, 16, 58
LEGEND = 16  # the height of one legend line
SERIES = 6  # distinct line styles (.s0 ... .s5 in payung.css); more scenarios repeat them


def nice_ceiling(value: int) -> int:
    """The smallest 1, 2, 2.5 or 5 x 10^n at least ``value`` (the top of the axis)."""
    if value <= 0:
        return 1
    power = 1
    while power * 10 <= value:
        power *= 10
    for step in (1, 2, 2.5, 5, 10):
        top = int(step * power)
        if top >= value:
            return top
    return 10 * power


def lines(
    series: Sequence[tuple[str, Sequence[int]]],
    months: Sequence[str],
    label: Callable[[int], str],
    title: str,
) -> str:
    """An SVG of one line per (name, 12 monthly amounts); ``label`` writes an axis amount, ``months`` the
    twelve month names, ``title`` the chart's accessible name."""
    top = nice_ceiling(max((v for _, values in series for v in values), default=0))
    height = HEIGHT + LEGEND * max(len(series) - 1, 0)  # one legend line per scenario
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i: int) -> float:
        return LEFT + plot_w * i / max(len(months) - 1, 1)

    def y(v: int) -> float:
        return TOP + plot_h * (1 - v / top)

    parts = [
        f'<svg class="chart cost" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for step in range(5):
        value = top * step // 4
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}"/>'
        )
        text = escape(label(value))
        parts.append(
            f'<text class="axis" x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end">{text}</text>'
        )
    for i, month in enumerate(months):
        below, text = HEIGHT - BOTTOM + 16, escape(month)
        parts.append(f'<text class="axis" x="{x(i):.1f}" y="{below}" text-anchor="middle">{text}</text>')
    for n, (name, values) in enumerate(series):
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
        parts.append(
            f'<polyline class="line s{n % SERIES}" points="{points}"><title>{escape(name)}</title></polyline>'
        )
        lx, ly = LEFT, HEIGHT - 22 + n * LEGEND
        parts.append(
            f'<line class="line s{n % SERIES}" x1="{lx:.1f}" x2="{lx + 18:.1f}" y1="{ly - 4}" y2="{ly - 4}"/>'
        )
        parts.append(f'<text class="legend" x="{lx + 24:.1f}" y="{ly}">{escape(_short(name))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _short(name: str, limit: int = 90) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"
