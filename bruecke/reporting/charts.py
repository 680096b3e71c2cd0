"""Bar charts as SVG computed on the server (decision 0052; the idea of decision 0046).

No chart library and no JavaScript: `render_chart` writes an `<svg>` with ElementTree (so
labels are escaped and the markup is well-formed XML). Colours come from CSS classes
(static/css/charts.css; the Content-Security-Policy refuses inline styles), every series
also has its own pattern and every bar its number, so colour never carries the meaning
alone. Each chart has `role="img"`, a title, a one-sentence text alternative
(`ChartData.summary`) and the same numbers as a table (`ChartData.table`) for the page,
the <details> "Daten als Tabelle" and the exports.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from bruecke.reporting.tables import Cell, Table

SVG_NS = "http://www.w3.org/2000/svg"
WIDTH = 640
LABEL_WIDTH = 190  # room for category labels left of horizontal bars
VALUE_ROOM = 56  # room for the number right of the longest bar
LEGEND_HEIGHT = 28
AXIS_HEIGHT = 22
MAX_LABEL = 30  # characters of a category label shown in the chart (the table has it all)
PATTERNS = 4  # series styles; more series repeat them (the legend still names each)


@dataclass(frozen=True)
class Series:
    name: str
    values: list[int]


@dataclass(frozen=True)
class ChartData:
    """Categories (rows of the table, bars of the chart) and one or more series."""

    title: str
    category_heading: str
    categories: list[str]
    series: list[Series]
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        for series in self.series:
            if len(series.values) != len(self.categories):
                raise ValueError(
                    f"chart {self.title!r}: series {series.name!r} does not match the categories"
                )

    @property
    def total(self) -> int:
        return sum(sum(series.values) for series in self.series)

    @property
    def is_empty(self) -> bool:
        return not self.categories or self.total == 0

    def table(self) -> Table:
        """The chart's numbers: one row per category, one column per series (and a total)."""
        columns = [self.category_heading, *(series.name for series in self.series)]
        with_total = len(self.series) > 1
        if with_total:
            columns.append(_("Total"))
        rows: list[list[Cell]] = []
        for index, category in enumerate(self.categories):
            values = [series.values[index] for series in self.series]
            rows.append([category, *values, *([sum(values)] if with_total else [])])
        return Table(title=self.title, columns=columns, rows=rows, notes=list(self.notes))

    def summary(self) -> str:
        """The text alternative: one sentence with the size, the largest value and the total."""
        if self.is_empty:
            return _("%(title)s: no data for the chosen period and scope.") % {"title": self.title}
        best_value, best_series, best_category = max(
            (value, series.name, self.categories[index])
            for series in self.series
            for index, value in enumerate(series.values)
        )
        return _(
            "%(title)s: the largest value is %(value)s (%(series_name)s, %(category)s), "
            "%(total)s in total over %(categories)s rows. The numbers are in the table."
        ) % {
            "title": self.title,
            "categories": len(self.categories),
            "value": best_value,
            "series_name": best_series,
            "category": best_category,
            "total": self.total,
        }


def nice_max(value: int) -> int:
    """The axis end: the value rounded up to 1, 2, 4 or 5 times a power of ten."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 4, 5, 10):
        if value <= step * power:
            return step * power
    return value  # not reached


def ticks(axis_max: int) -> int:
    """How many steps the axis has, so that every tick is a whole number."""
    for steps in (4, 5):
        if axis_max % steps == 0:
            return steps
    return axis_max  # 1 or 2


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str | float | int) -> ET.Element:
    element = ET.SubElement(
        parent, tag, {key.rstrip("_").replace("_", "-"): _fmt(v) for key, v in attrs.items()}
    )
    if text is not None:
        element.text = text
    return element


def _fmt(value: str | float | int) -> str:
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def _defs(svg: ET.Element, chart_id: str) -> None:
    """One pattern per series style: solid, diagonal lines, dots, cross-hatch."""
    defs = _el(svg, "defs")
    for index in range(PATTERNS):
        pattern = _el(
            defs, "pattern", id=f"{chart_id}-p{index}", width=8, height=8, patternUnits="userSpaceOnUse"
        )
        _el(pattern, "rect", class_=f"chart__fill chart__fill--s{index}", width=8, height=8)
        if index == 1:
            _el(pattern, "path", class_="chart__hatch", d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4")
        elif index == 2:
            _el(pattern, "circle", class_="chart__dot", cx=4, cy=4, r=1.6)
        elif index == 3:
            _el(pattern, "path", class_="chart__hatch", d="M0,4 h8 M4,0 v8")


def _bar(parent: ET.Element, chart_id: str, index: int, x: float, y: float, w: float, h: float) -> None:
    style = index % PATTERNS
    _el(
        parent,
        "rect",
        class_=f"chart__bar chart__bar--s{style}",
        x=x,
        y=y,
        width=max(w, 0.0),
        height=h,
        fill=f"url(#{chart_id}-p{style})",
    )


def _legend(svg: ET.Element, chart_id: str, data: ChartData) -> None:
    x = 8.0
    for index, series in enumerate(data.series):
        _bar(svg, chart_id, index, x, 8.0, 14.0, 14.0)
        _el(svg, "text", _short(series.name), class_="chart__legend", x=x + 20, y=19)
        x += 34 + 7.2 * len(_short(series.name))


def _start(chart_id: str, data: ChartData, height: float) -> ET.Element:
    svg = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "class": "chart__svg",
            "viewBox": f"0 0 {WIDTH} {_fmt(float(height))}",
            "role": "img",
            "aria-labelledby": f"{chart_id}-title {chart_id}-desc",
            "data-bars": str(sum(1 for s in data.series for v in s.values if v)),
        },
    )
    _el(svg, "title", data.title, id=f"{chart_id}-title")
    _el(svg, "desc", data.summary(), id=f"{chart_id}-desc")
    return svg


def _empty(chart_id: str, data: ChartData) -> SafeString:
    svg = _start(chart_id, data, 60)
    _el(svg, "text", _("No data for the chosen period and scope."), class_="chart__empty", x=WIDTH / 2, y=35)
    svg.find("text").set("text-anchor", "middle")  # type: ignore[union-attr]
    return _markup(svg)


def _markup(svg: ET.Element) -> SafeString:
    # ElementTree escapes every text and attribute: the markup is safe to insert.
    return mark_safe(ET.tostring(svg, encoding="unicode", short_empty_elements=True))


def render_chart(chart_id: str, data: ChartData, *, stacked: bool = False) -> SafeString:
    """Horizontal bars, one group (or one stacked bar) per category."""
    if data.is_empty:
        return _empty(chart_id, data)
    n_series = len(data.series)
    bar_height = 18.0 if stacked or n_series == 1 else 12.0
    group_height = bar_height if stacked else bar_height * n_series
    row = group_height + 12
    top = LEGEND_HEIGHT + AXIS_HEIGHT if n_series > 1 else AXIS_HEIGHT
    height = top + row * len(data.categories) + 8
    svg = _start(chart_id, data, height)
    _defs(svg, chart_id)
    if n_series > 1:
        _legend(svg, chart_id, data)
    if stacked:
        peak = max(sum(s.values[i] for s in data.series) for i in range(len(data.categories)))
    else:
        peak = max(max(s.values) for s in data.series)
    axis_max = nice_max(peak)
    span = WIDTH - LABEL_WIDTH - VALUE_ROOM
    scale = span / axis_max
    steps = ticks(axis_max)
    for tick in range(steps + 1):
        x = LABEL_WIDTH + span * tick / steps
        _el(svg, "line", class_="chart__grid", x1=x, x2=x, y1=top - 4, y2=height - 8)
        label = _el(svg, "text", str(axis_max * tick // steps), class_="chart__axis", x=x, y=top - 8)
        label.set("text-anchor", "middle")
    for i, category in enumerate(data.categories):
        y = top + i * row + 6
        label = _el(
            svg,
            "text",
            _short(category),
            class_="chart__label",
            x=LABEL_WIDTH - 8,
            y=y + group_height / 2 + 4,
        )
        label.set("text-anchor", "end")
        x = float(LABEL_WIDTH)
        for s, series in enumerate(data.series):
            value = series.values[i]
            width = value * scale
            bar_y = y if stacked else y + s * bar_height
            _bar(svg, chart_id, s, x, bar_y, width, bar_height - 1)
            if stacked:
                x += width
            else:
                _el(
                    svg,
                    "text",
                    str(value),
                    class_="chart__value",
                    x=LABEL_WIDTH + width + 4,
                    y=bar_y + bar_height - 3,
                )
        if stacked:
            total = sum(series.values[i] for series in data.series)
            _el(svg, "text", str(total), class_="chart__value", x=x + 4, y=y + bar_height - 4)
    return _markup(svg)


def render_columns(chart_id: str, data: ChartData) -> SafeString:
    """Vertical grouped columns for a time series (categories are months, left to right);
    with many months only every n-th label and no numbers on the columns (the table has them)."""
    if data.is_empty:
        return _empty(chart_id, data)
    n_series = len(data.series)
    top = LEGEND_HEIGHT + 16
    bottom = 34
    left = 44
    height = 260
    plot_height = height - top - bottom
    peak = max(max(s.values) for s in data.series)
    axis_max = nice_max(peak)
    svg = _start(chart_id, data, height)
    _defs(svg, chart_id)
    if n_series > 1:
        _legend(svg, chart_id, data)
    steps = ticks(axis_max)
    for tick in range(steps + 1):
        y = top + plot_height * (1 - tick / steps)
        _el(svg, "line", class_="chart__grid", x1=left, x2=WIDTH - 8, y1=y, y2=y)
        label = _el(svg, "text", str(axis_max * tick // steps), class_="chart__axis", x=left - 6, y=y + 4)
        label.set("text-anchor", "end")
    slot = (WIDTH - 8 - left) / len(data.categories)
    bar_width = min(28.0, slot * 0.8 / n_series)
    label_every = math.ceil(len(data.categories) / 12)
    with_numbers = len(data.categories) * n_series <= 24
    for i, category in enumerate(data.categories):
        x0 = left + i * slot + (slot - bar_width * n_series) / 2
        for s, series in enumerate(data.series):
            value = series.values[i]
            bar_h = plot_height * value / axis_max
            x = x0 + s * bar_width
            _bar(svg, chart_id, s, x, top + plot_height - bar_h, bar_width - 1, bar_h)
            if with_numbers and value:
                number = _el(
                    svg,
                    "text",
                    str(value),
                    class_="chart__value",
                    x=x + bar_width / 2,
                    y=top + plot_height - bar_h - 3,
                )
                number.set("text-anchor", "middle")
        if i % label_every == 0:
            label = _el(
                svg,
                "text",
                category,
                class_="chart__axis",
                x=left + i * slot + slot / 2,
                y=height - bottom + 16,
            )
            label.set("text-anchor", "middle")
    return _markup(svg)


def chart_html(chart_id: str, data: ChartData, *, kind: str = "bars", stacked: bool = False) -> SafeString:
    """The chart for a template (`kind`: "bars" horizontal, "columns" for months)."""
    svg = (
        render_columns(chart_id, data) if kind == "columns" else render_chart(chart_id, data, stacked=stacked)
    )
    return format_html("{}", svg)
