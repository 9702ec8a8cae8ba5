"""PP+ on the head's dashboard, in the governors' report (small groups suppressed, no child
named) and on the home page's work queues, each in a fixed number of queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.report_sections import Period, suppress_section
from pupil_premium.models import PpItem
from pupil_premium.report_sections import (
    awaiting_items,
    over_allocation_items,
    pp_dashboard,
    pp_report,
)
from tests.pupil_factories import CareEpisodeFactory, PupilFactory
from tests.pupil_premium.factories import AllocationFactory, ItemFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 20)
YEAR = Period("2026 to 2027", dt.date(2026, 9, 1), dt.date(2027, 8, 31), 2026)


def adopted_children(school, n, *, spent="300.00", surname="Bright"):
    pupils = []
    for i in range(n):
        pupil = PupilFactory(school=school, legal_forename=f"Child{i}", legal_surname=surname)
        CareEpisodeFactory(
            pupil=pupil,
            kind="previously_in_care",
            start_date=dt.date(2021, 3, 1),
            legal_basis="adoption",
        )
        AllocationFactory(pupil=pupil, amount=Decimal("2630.00"))
        ItemFactory(
            pupil=pupil,
            status=PpItem.Status.SPENT,
            amount=Decimal(spent),
            decided_on=dt.date(2026, 10, 6),
            decided_by=school.memberships.first().user if school.memberships.exists() else None,
            spent_on=dt.date(2026, 10, 20),
            outcome="achieved",
        )
        ItemFactory(pupil=pupil, category="therapy", amount=Decimal("100.00"))
        pupils.append(pupil)
    return pupils


def _queries(fn, *args, **kwargs) -> int:
    with CaptureQueriesContext(connection) as queries:
        fn(*args, **kwargs)
    return len(queries)


def test_the_dashboard_shows_allocated_committed_spent_and_links_the_children(school, teacher):
    adopted_children(school, 3)
    section = pp_dashboard(school, YEAR, capabilities=set(), today=TODAY)
    figures = {f.label: f for f in section.figures}
    assert section.title == "Pupil Premium Plus, April 2026 to March 2027"
    assert figures["Children with an allocation"].value == 3
    assert figures["Children with an allocation"].url.endswith("?year=2026#children")
    assert figures["Allocated"].value == "£7,890.00"
    assert figures["Spent"].value == "£900.00"
    assert figures["Requests awaiting a decision"].value == 3
    categories = {row[0]: row for row in section.tables[1].rows}
    assert categories["Tuition"][2] == "£900.00" and categories["Therapy and emotional support"]
    outcomes = {row[0]: row for row in section.tables[2].rows}
    assert outcomes["Achieved"][1:] == [3, "£900.00"]


def test_the_dashboard_section_s_queries_do_not_grow_with_the_children(school, teacher):
    adopted_children(school, 2)
    few = _queries(pp_dashboard, school, YEAR, capabilities=set(), today=TODAY)
    adopted_children(school, 30, surname="Other")
    assert _queries(pp_dashboard, school, YEAR, capabilities=set(), today=TODAY) == few == 4


def test_the_report_names_no_child_and_withholds_a_small_group_s_money(school, teacher):
    pupils = adopted_children(school, 6)
    # One child in care: their group's money would be their own.
    child = PupilFactory(school=school, legal_forename="Zebedee", legal_surname="Quill")
    CareEpisodeFactory(pupil=child, start_date=dt.date(2024, 1, 1))
    AllocationFactory(pupil=child, group="cic", source="virtual_school", amount=Decimal("777.00"))
    section = suppress_section(pp_report(school, YEAR, threshold=5, today=TODAY), 5)
    text = str(section)
    for pupil in [*pupils, child]:
        assert pupil.legal_forename not in text and pupil.legal_surname not in text
    assert "777" not in text
    groups = {row[0]: row for row in section.tables[0].rows}
    in_care = groups["Children in care (held by the Virtual School)"]
    assert in_care[1] == "fewer than 5" and in_care[2] == "not shown"
    assert "Children previously in care (through the census)" in groups
    assert groups["Children previously in care (through the census)"][1] == 6


def test_the_report_shows_no_figures_when_fewer_children_than_the_threshold(school, teacher):
    adopted_children(school, 2)
    section = suppress_section(pp_report(school, YEAR, threshold=5, today=TODAY), 5)
    assert not section.tables and not section.figures
    assert "fewer than 5" in section.paragraphs[0]
    assert "£" not in " ".join(section.paragraphs)


def test_the_dt_s_queue_counts_requests_and_the_head_s_those_over_the_allocation(school, teacher):
    pupils = adopted_children(school, 2)
    ItemFactory(pupil=pupils[0], amount=Decimal("2500.00"))  # 2630 - 300 spent < 2500 + ...
    dt_items = awaiting_items(school, teacher, capabilities=set(), today=TODAY)
    assert [i.count for i in dt_items] == [3]
    assert "for the school to decide" in dt_items[0].label
    head_items = over_allocation_items(school, teacher, capabilities=set(), today=TODAY)
    # 2630 allocated, 300 spent: 2330 left, so the £2,500 request is over; the £100 ones not.
    assert [i.count for i in head_items] == [1] and head_items[0].urgent


def test_the_head_s_queue_runs_three_queries_whatever_the_number_of_requests(school, teacher):
    adopted_children(school, 2)
    few = _queries(over_allocation_items, school, teacher, capabilities=set(), today=TODAY)
    adopted_children(school, 25, surname="Other")
    assert _queries(over_allocation_items, school, teacher, capabilities=set(), today=TODAY) == 3
    assert few == 3


def test_the_head_sees_the_pp_plus_section_and_both_queues(school, teacher, head_client):
    from django.urls import reverse

    from tests.factories import add_year
    from tests.matrix import on_matrix_day

    add_year(school, 2026)
    pupils = adopted_children(school, 2)
    ItemFactory(pupil=pupils[0], amount=Decimal("2500.00"))
    with on_matrix_day():
        dashboard = head_client.get(reverse("reports:dashboard")).content.decode()
        home = head_client.get(reverse("home")).content.decode()
    assert "Pupil Premium Plus, April 2026 to March 2027" in dashboard
    assert "£5,260.00" in dashboard  # allocated
    assert "PP+ requests for the school to decide: 3" in home
    assert "over the child&#x27;s allocation, waiting for approval: 1" in home
