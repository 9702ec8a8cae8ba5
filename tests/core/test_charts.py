"""core.charts: one SVG chart with its numbers as a table, for pages and PDFs alike."""

import base64

from django.template.loader import render_to_string

from core.charts import Series, bar_chart, line_chart


def _attendance():
    return bar_chart(
        title="Attendance by term",
        summary="Children in care attended less than all pupils in both terms.",
        labels=["Autumn", "Spring"],
        series=[Series("Children in care", [91.5, 88.0]), Series("All pupils", [95.1, 94.0])],
        unit="%",
        y_max=100,
    )


def test_a_chart_is_svg_with_its_labels_and_no_script():
    chart = _attendance()

    assert chart.svg.startswith("<svg")
    assert "Children in care" in chart.svg and "Autumn" in chart.svg
    # pygal writes a <script>; a document with a child's figures carries no code.
    assert "<script" not in chart.svg


def test_the_table_alternative_holds_every_number_as_shown():
    chart = _attendance()

    assert chart.table_rows == [["Autumn", "91.5%", "95.1%"], ["Spring", "88%", "94%"]]


def test_a_missing_value_is_a_dash_in_the_table():
    chart = line_chart(
        title="Attendance by week",
        summary="",
        labels=["w1", "w2"],
        series=[Series("Attendance", [100.0, None])],
        unit="%",
    )

    assert chart.table_rows == [["w1", "100%"], ["w2", "–"]]


def test_the_page_include_shows_the_image_described_and_the_table():
    chart = _attendance()

    html = render_to_string("includes/chart.html", {"chart": chart})

    assert f'alt="{chart.summary}"' in html
    assert "data:image/svg+xml;base64," in html
    encoded = html.split("data:image/svg+xml;base64,")[1].split('"')[0]
    assert base64.b64decode(encoded).decode() == chart.svg
    assert '<td class="govuk-table__cell">91.5%</td>' in html
    # Nothing inline that the Content-Security-Policy would refuse.
    assert "<style" not in html and "<script" not in html and "style=" not in html
