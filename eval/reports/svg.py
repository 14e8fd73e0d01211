"""Inline SVG charts for the HTML report (no scripts, no CDN, nothing fetched)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

_ROW = 22
_LABEL = 170
_BAR = 320
_GOOD, _BAD, _NEUTRAL = "#2e7d32", "#c62828", "#1565c0"


def bar_chart(
    title: str,
    items: Sequence[tuple[str, float | None]],
    *,
    maximum: float | None = None,
    good_at_least: float | None = None,
    good_at_most: float | None = None,
    unit: str = "",
) -> str:
    """A horizontal bar chart; bars are green/red against a threshold, else blue."""
    values = [v for _, v in items if v is not None]
    top = maximum if maximum is not None else max(values, default=1.0) or 1.0
    height = _ROW * len(items) + 34
    width = _LABEL + _BAR + 90
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title)}">',
        f'<text x="0" y="16" font-size="13" font-weight="bold">{escape(title)}</text>',
    ]
    for row, (label, value) in enumerate(items):
        y = 28 + row * _ROW
        parts.append(
            f'<text x="{_LABEL - 6}" y="{y + 13}" font-size="12" text-anchor="end">'
            f"{escape(label)}</text>"
        )
        if value is None:
            parts.append(f'<text x="{_LABEL + 4}" y="{y + 13}" font-size="12">n/a</text>')
            continue
        color = _NEUTRAL
        if good_at_least is not None:
            color = _GOOD if value >= good_at_least else _BAD
        if good_at_most is not None:
            color = _GOOD if value <= good_at_most else _BAD
        length = 0 if top <= 0 else max(1.0, _BAR * min(value, top) / top)
        parts.append(
            f'<rect x="{_LABEL}" y="{y}" width="{length:.1f}" height="{_ROW - 6}" fill="{color}"/>'
        )
        shown = f"{value:.3f}" if top <= 1.0 else f"{value:.1f}"
        parts.append(
            f'<text x="{_LABEL + length + 4:.1f}" y="{y + 13}" font-size="12">'
            f"{shown}{escape(unit)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
