"""Charts as server-rendered SVG (decision 0022): no script, no framework, a few hundred bytes each, readable
on a phone (the SVG scales to its box; text stays legible at 320 px). Pure: no Django; the caller escapes
nothing because every text here is built from numbers and the labels it is given are escaped below."""

from __future__ import annotations

from html import escape

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 14, 34


def _y(value: float, top: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - (value / top if top else 0))


def _nice(top: float) -> float:
    """A round top for the axis: 1, 2 or 5 x a power of ten at or above ``top``."""
    if top <= 0:
        return 1
    power = 10 ** (len(str(int(top))) - 1)
    for step in (1, 2, 5, 10):
        if step * power >= top:
            return step * power
    return 10 * power


def _runs(values: list[float | None]) -> list[list[int]]:
    """The indexes of each unbroken stretch of known values (None: nothing to draw for that month)."""
    runs: list[list[int]] = [[]]
    for i, value in enumerate(values):
        if value is None:
            runs.append([])
        else:
            runs[-1].append(i)
    return [run for run in runs if run]


def trend(
    labels: list[str], series: list[tuple[str, str, list[float | None]]], *, title: str, number=str
) -> str:
    """A line chart: one polyline per series (name, css class, values), months along the bottom; a series
    breaks where a value is None (unknown, e.g. a month before the region's first bill in Payung).
    ``number`` formats the axis figures (e.g. the page language's thousands separator)."""
    top = _nice(max((v for _, _, values in series for v in values if v is not None), default=0))
    # Room for the widest axis figure at the phone's type size (~13 units a character, see payung.css).
    left = max(LEFT, 13 * len(number(int(top))) + 10)
    count = max(len(labels), 1)
    span = (WIDTH - left - RIGHT) / max(count - 1, 1)
    x = [left + i * span for i in range(count)]
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for fraction in (0, 0.5, 1):
        y = _y(top * fraction, top)
        parts.append(f'<line class="grid" x1="{left}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}"/>')
        parts.append(
            f'<text class="axis" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{escape(number(int(top * fraction)))}</text>"
        )
    every = 1 if count <= 6 else 2 if count <= 8 else 3  # a phone's 22-unit labels need ~3 months apart
    for i, label in enumerate(labels):
        if (count - 1 - i) % every == 0:  # the latest month always, then back in steps
            anchor = "end" if i == count - 1 and count > 1 else "middle"
            parts.append(
                f'<text class="axis" x="{x[i]:.1f}" y="{HEIGHT - 12}" text-anchor="{anchor}">'
                f"{escape(label)}</text>"
            )
    for name, css, values in series:
        for run in _runs(values):
            points = " ".join(f"{x[i]:.1f},{_y(values[i], top):.1f}" for i in run)
            parts.append(
                f'<polyline class="{escape(css)}" points="{points}"><title>{escape(name)}</title></polyline>'
            )
        if values and values[-1] is not None:
            parts.append(
                f'<circle class="{escape(css)}" cx="{x[len(values) - 1]:.1f}" '
                f'cy="{_y(values[-1], top):.1f}" r="4"/>'
            )
    parts.append("</svg>")
    return "".join(parts)


def bars(rows: list[tuple[str, float, float]], *, title: str) -> str:
    """Horizontal bars, one per row (label, part, whole): the part's share of the whole, 0..100 %."""
    height = 26 * len(rows) + 8
    parts = [
        f'<svg class="chart bars" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    label_width, bar_width = 230, WIDTH - 230 - 60
    for i, (label, part, whole) in enumerate(rows):
        y = 6 + i * 26
        share = part / whole if whole else 0
        parts.append(
            f'<text class="axis" x="{label_width - 8}" y="{y + 14}" text-anchor="end">'
            f"{escape(label[:34])}</text>"
        )
        parts.append(f'<rect class="track" x="{label_width}" y="{y}" width="{bar_width}" height="18"/>')
        parts.append(
            f'<rect class="fill" x="{label_width}" y="{y}" width="{bar_width * share:.1f}" height="18"/>'
        )
        parts.append(
            f'<text class="axis" x="{label_width + bar_width + 6}" y="{y + 14}">{round(share * 100)} %</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
