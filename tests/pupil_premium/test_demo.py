"""The demo's year of PP+ (demo.pupil_premium): loaded on the demo's own day, the head answers
"how was each child's PP+ spent this year, who approved it, and what did it achieve?" from the
school summary alone; and loading it again changes nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from core.models import AuditEvent
from demo.peps import load_demo_peps
from demo.pupil_premium import load_demo_pupil_premium
from demo.pupils import load_demo_pupils
from pupil_premium.models import AllocationSource, PpAllocation, PpItem, PpRate
from pupil_premium.selectors import balance_for
from tests.conftest import member, sign_in
from tests.factories import SchoolFactory
from tests.peps.test_demo import with_demo_calendar

pytestmark = pytest.mark.django_db

DEMO_DAY = dt.date(2026, 11, 23)
Status = PpItem.Status


def _quick_pdf(pep) -> bytes:
    return b"%PDF-1.7 demo"


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.setattr("peps.documents.pep_pdf", _quick_pdf)
    school = with_demo_calendar(SchoolFactory(name="Fenbridge Academy"))
    head = member(school, Role.HEADTEACHER, full_name="Grace Adeyemi")
    load_demo_pupils(school, today=DEMO_DAY)
    load_demo_peps(school, today=DEMO_DAY)
    items = load_demo_pupil_premium(school, today=DEMO_DAY)
    return school, head, items


def _item(school, forename, **filters):
    return PpItem.objects.get(school=school, pupil__legal_forename=forename, **filters)


def test_the_demo_tells_a_year_of_pp_plus(demo):
    school, head, items = demo
    assert items
    # Allocations: children in care from their Virtual School, previously in care the census.
    jade = PpAllocation.objects.get(pupil__legal_forename="Jade", financial_year=2026)
    assert jade.source == AllocationSource.VIRTUAL_SCHOOL and jade.virtual_school is not None
    isla = PpAllocation.objects.get(pupil__legal_forename="Isla", financial_year=2026)
    # 2026-27 is not published (DOMAIN.md 4.1): the demo entered the last rate as the school's.
    assert isla.source == AllocationSource.CENSUS and isla.amount == Decimal("2630.00")
    assert PpRate.objects.filter(school=school, financial_year=2026).count() == 2
    # Every state, across categories.
    statuses = set(PpItem.objects.filter(school=school).values_list("status", flat=True))
    assert statuses == {Status.REQUESTED, Status.APPROVED, Status.SPENT, Status.DECLINED}
    assert PpItem.objects.filter(school=school).values("category").distinct().count() >= 5
    # A child in care's approval is the Virtual School's, recorded with its reference.
    amelia = _item(school, "Amelia", from_pep_request=True)
    assert amelia.status == Status.SPENT and amelia.virtual_school_reference == "VS-2291"
    # Outcomes come from the PEP reviews (Jade's first target partly, Leila's achieved).
    assert _item(school, "Jade", amount=Decimal("600.00")).outcome == "partly"
    assert _item(school, "Leila", status=Status.SPENT).outcome == "achieved"
    # One approval past the allocation, with its reason; the audit keeps the flag, not words.
    harvey = _item(school, "Harvey", over_allocation_reason__gt="")
    assert harvey.decided_by == head
    assert balance_for(harvey.pupil, 2026).remaining == Decimal("-120.00")
    event = AuditEvent.objects.get(action="pp.item_approved", object_id=str(harvey.pk))
    assert event.changes["over_allocation"] is True
    assert "school's own pupil premium" not in str(event.changes)
    # The parents' involvement for a child previously in care.
    assert _item(school, "Isla", category="tuition").parents_involvement
    # Nothing is dated after the day the demo is loaded.
    assert not PpItem.objects.filter(school=school, spent_on__gt=DEMO_DAY).exists()
    assert not PpItem.objects.filter(school=school, decided_on__gt=DEMO_DAY).exists()


def test_the_head_answers_the_question_from_the_summary_page(demo, client):
    school, head, _ = demo
    sign_in(client, head)
    html = client.get(reverse("pupil_premium:summary") + "?year=2026").content.decode()
    # How each child's PP+ was spent, who approved it, and what it achieved.
    assert "Twelve sessions of play therapy" in html
    assert "Grace Adeyemi" in html  # approved Harvey's items
    assert "VS-1840" in html  # the Virtual School's reference for Jade's tuition
    assert "Target partly achieved at the PEP review" in html
    assert "Fewer incidents at lunchtime" in html  # an impact note
    assert "met from the school&#x27;s own pupil premium budget" in html  # the override's reason


def test_loading_the_demo_again_changes_nothing(demo):
    school, _, _ = demo
    before = list(PpItem.objects.filter(school=school).values_list("pk", "status", "amount"))
    assert load_demo_pupil_premium(school, today=DEMO_DAY) == []
    after = list(PpItem.objects.filter(school=school).values_list("pk", "status", "amount"))
    assert before == after


@pytest.mark.parametrize("day", [dt.date(2027, 3, 22), dt.date(2027, 6, 16)])
def test_the_demo_loads_on_any_day_of_the_school_year(day, monkeypatch):
    # Late March (the year's last weeks) and June (a new financial year with no published
    # rate, last term's PEPs in the year before).
    monkeypatch.setattr("peps.documents.pep_pdf", _quick_pdf)
    school = with_demo_calendar(SchoolFactory(name="Fenbridge Academy"))
    member(school, Role.HEADTEACHER)
    load_demo_pupils(school, today=day)
    load_demo_peps(school, today=day)
    assert load_demo_pupil_premium(school, today=day)
    assert PpItem.objects.filter(school=school, status=Status.SPENT).exists()
    assert PpItem.objects.filter(school=school, over_allocation_reason__gt="").exists()
    assert not PpItem.objects.filter(school=school, spent_on__gt=day).exists()
