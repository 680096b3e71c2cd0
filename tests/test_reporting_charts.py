"""The server-rendered SVG charts: well-formed XML, bars proportional to the values,
accessible names, escaped labels, a clear text without data, and the data table."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from bruecke.reporting.charts import ChartData, Series, nice_max, render_chart, render_columns, ticks

NS = {"svg": "http://www.w3.org/2000/svg"}


def _parse(svg: str) -> ET.Element:
    # The chart's own output, not untrusted input: the standard parser is fine here.
    return ET.fromstring(svg)  # noqa: S314


def _data(*values: list[int], categories: list[str] | None = None) -> ChartData:
    categories = categories or [f"K{i}" for i in range(len(values[0]))]
    return ChartData(
        title="Eintritte",
        category_heading="Monat",
        categories=categories,
        series=[Series(f"S{i}", list(v)) for i, v in enumerate(values)],
    )


def _bars(svg: str) -> list[ET.Element]:
    return _parse(svg).findall("svg:rect[@class]", NS)


def _widths(svg: str, attribute: str = "width") -> list[float]:
    return [
        float(rect.get(attribute) or 0) for rect in _bars(svg) if "chart__bar" in (rect.get("class") or "")
    ]


def test_horizontal_bars_are_valid_xml_and_proportional() -> None:
    svg = render_chart("c", _data([2, 4, 8]))
    root = _parse(svg)
    assert root.get("role") == "img" and root.get("aria-labelledby") == "c-title c-desc"
    assert root.find("svg:title", NS).text == "Eintritte"  # type: ignore[union-attr]
    widths = _widths(svg)
    assert len(widths) == 3
    assert widths[1] == pytest.approx(2 * widths[0], rel=0.02)
    assert widths[2] == pytest.approx(4 * widths[0], rel=0.02)


def test_columns_are_proportional_and_grouped_per_series() -> None:
    svg = render_columns("m", _data([1, 3], [2, 0]))
    heights = _widths(svg, "height")[-4:]  # the legend's swatches come first
    assert heights[0] * 3 == pytest.approx(heights[2], rel=0.02)  # S0: 1 and 3
    assert heights[1] == pytest.approx(2 * heights[0], rel=0.02)  # S1: 2
    assert heights[3] == 0


def test_stacked_bars_add_up_and_every_series_has_its_own_pattern() -> None:
    svg = render_chart("s", _data([1, 2], [3, 2]), stacked=True)
    widths = _widths(svg)[-4:]
    # Per category: S0 then S1; both categories total 4.
    assert widths[0] + widths[1] == pytest.approx(widths[2] + widths[3], rel=0.02)
    assert widths[1] == pytest.approx(3 * widths[0], rel=0.02)
    fills = {rect.get("fill") for rect in _bars(svg) if "chart__bar" in (rect.get("class") or "")}
    assert fills == {"url(#s-p0)", "url(#s-p1)"}
    root = _parse(svg)
    assert {p.get("id") for p in root.iter("{http://www.w3.org/2000/svg}pattern")} >= {"s-p0", "s-p1"}


def test_labels_are_escaped() -> None:
    svg = render_chart("x", _data([1], categories=['<script>alert("x")</script>']))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    _parse(svg)


def test_empty_data_says_so() -> None:
    with translation.override("en"):
        for svg in (render_chart("e", _data([0, 0])), render_columns("e", _data([], categories=[]))):
            assert "No data for the chosen period and scope." in svg
            _parse(svg)
    with translation.override("de"):
        assert "Keine Daten" in render_chart("e", _data([0]))


def test_text_alternative_and_table() -> None:
    data = _data([5, 1], [2, 7], categories=["Rostock", "Schwerin"])
    with translation.override("en"):
        summary = data.summary()
        table = data.table()
    assert "7" in summary and "Schwerin" in summary and "15" in summary
    assert table.columns == ["Monat", "S0", "S1", "Total"]
    assert table.rows == [["Rostock", 5, 2, 7], ["Schwerin", 1, 7, 8]]


def test_a_series_must_match_the_categories() -> None:
    with pytest.raises(ValueError):
        ChartData("t", "c", ["a", "b"], [Series("s", [1])])


@pytest.mark.parametrize(("value", "axis"), [(0, 1), (1, 1), (3, 4), (7, 10), (11, 20), (41, 50), (120, 200)])
def test_axis_ends_on_a_round_value_with_whole_ticks(value: int, axis: int) -> None:
    assert nice_max(value) == axis
    assert axis % ticks(axis) == 0
