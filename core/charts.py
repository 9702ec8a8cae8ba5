"""Harbour's one way to draw a chart: pygal draws it as SVG, and every chart carries the
table of its numbers, so a screen reader (and a governor who prefers numbers) reads the same.

The same ``Chart`` goes into a page (``{% include "includes/chart.html" with chart=... %}``,
which shows the SVG as an image and the table beneath it) and into a PDF (the report's
template puts ``chart.svg`` inline: WeasyPrint draws SVG, and fetches nothing).

Pages show the SVG as a ``data:`` image, not inline: the Content-Security-Policy forbids inline
style, and pygal styles its SVG with a ``<style>`` element, which an image keeps to itself.
"""

import base64
import re
from collections.abc import Sequence
from dataclasses import dataclass

import pygal
from pygal.style import Style

# GOV.UK Design System colours that keep their contrast against white and each other.
PALETTE = ("#1d70b8", "#505a5f", "#f47738", "#00703c", "#912b88", "#d4351c")

_STYLE = Style(
    font_family="Arial, Helvetica, sans-serif",
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#0b0c0c",
    foreground_strong="#0b0c0c",
    foreground_subtle="#505a5f",
    colors=PALETTE,
    title_font_size=18,
    label_font_size=14,
    major_label_font_size=14,
    legend_font_size=14,
    value_font_size=12,
)

# pygal puts a <script> (its tooltip configuration) in every SVG. Nothing in Harbour runs it,
# and a document that carries a child's figures should carry no code: it is removed.
_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]


@dataclass(frozen=True)
class Chart:
    title: str
    # What the chart shows, in a sentence: the image's alternative text.
    summary: str
    labels: Sequence[str]
    series: Sequence[Series]
    svg: str
    unit: str = ""

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()

    @property
    def table_rows(self) -> list[list[str]]:
        """One row per label: the label, then each series' value as the page shows it."""
        return [
            [label, *(_shown(s.values[i], self.unit) for s in self.series)]
            for i, label in enumerate(self.labels)
        ]


def bar_chart(
    *,
    title: str,
    summary: str,
    labels: Sequence[str],
    series: Sequence[Series],
    unit: str = "",
    y_max: float | None = None,
) -> Chart:
    """Grouped bars: one group per label, one bar per series."""
    return _chart(pygal.Bar, title, summary, labels, series, unit, y_max)


def line_chart(
    *,
    title: str,
    summary: str,
    labels: Sequence[str],
    series: Sequence[Series],
    unit: str = "",
    y_max: float | None = None,
) -> Chart:
    """A line per series across the labels (weeks, terms)."""
    return _chart(pygal.Line, title, summary, labels, series, unit, y_max)


def _chart(kind, title, summary, labels, series, unit, y_max) -> Chart:
    drawing = kind(
        js=[],
        style=_STYLE,
        disable_xml_declaration=True,
        width=720,
        height=360,
        legend_at_bottom=True,
        x_label_rotation=30 if len(labels) > 8 else 0,
        print_values=False,
        range=(0, y_max) if y_max is not None else None,
        value_formatter=lambda v: _shown(v, unit),
    )
    drawing.title = title
    drawing.x_labels = list(labels)
    for line in series:
        drawing.add(line.name, list(line.values))
    svg = _SCRIPT.sub("", drawing.render(is_unicode=True))
    return Chart(
        title=title, summary=summary, labels=list(labels), series=list(series), svg=svg, unit=unit
    )


def _shown(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    number = f"{value:.1f}" if isinstance(value, float) and not value.is_integer() else f"{value:g}"
    return f"{number}{unit}"
