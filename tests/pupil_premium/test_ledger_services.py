"""The PP+ ledger's rules: exact balances, rates by financial year, the over-allocation guard and
its audited override, who approves for which group, and a PEP's requests becoming items once
and taking their outcome at review."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.models import AuditEvent
from peps import services as pep_services
from peps.documents import pep_document
from pupil_premium import services
from pupil_premium.models import FundingGroup, PpItem, financial_year_of
from pupil_premium.selectors import balance_for, funding_group, rate_for, school_summary
from tests.peps.factories import TargetFactory
from tests.pupil_premium.conftest import D, fill

pytestmark = pytest.mark.django_db
Status = PpItem.Status
P = Decimal
OCT_1, OCT_5, OCT_6 = D(2026, 10, 1), D(2026, 10, 5), D(2026, 10, 6)


def allocate(pupil, teacher, amount=None, year=2026, today=OCT_1):
    return services.allocation_record(
        pupil=pupil, financial_year=year, amount=amount, by=teacher, today=today
    )


def ask(pupil, teacher, amount, *, date=OCT_5, target=None, category="tuition"):
    return services.item_request(
        pupil=pupil,
        date=date,
        description="Tutoring",
        category=category,
        amount=amount,
        target=target,
        by=teacher,
    )


def approve(item, teacher, reason="", today=OCT_6):
    extra = {}
    if item.group == FundingGroup.CIC:
        extra = {"virtual_school_approved_on": today, "virtual_school_reference": "VS-2026-114"}
    return services.item_approve(
        item=item, by=teacher, today=today, over_allocation_reason=reason, **extra
    )


# --- Financial years and rates ---------------------------------------------------------------


def test_the_financial_year_turns_on_1_april():
    assert financial_year_of(D(2026, 3, 31)) == 2025
    assert financial_year_of(D(2026, 4, 1)) == 2026


def test_a_rate_change_in_april_splits_one_school_year(school, adopted, teacher):
    # The 2025 to 2026 school year spans two financial years (DOMAIN.md 8): Noah's census
    # funding is £2,570 for April 2024 to March 2025 and £2,630 from April 2025.
    assert allocate(adopted, teacher, year=2024, today=D(2025, 3, 31)).amount == P("2570.00")
    assert allocate(adopted, teacher, year=2025, today=D(2025, 4, 1)).amount == P("2630.00")
    autumn_item = ask(adopted, teacher, "100.00", date=D(2025, 3, 31))
    summer_item = ask(adopted, teacher, "100.00", date=D(2025, 4, 1))
    assert (autumn_item.financial_year, summer_item.financial_year) == (2024, 2025)


def test_a_schools_own_rate_fills_a_year_not_yet_published(school, adopted, teacher):
    assert rate_for(school, 2026, FundingGroup.CPIC) is None
    with pytest.raises(ValidationError, match="no PP\\+ rate"):
        allocate(adopted, teacher, year=2026)
    services.rate_set(school=school, financial_year=2026, group="cpic", amount="2690", by=teacher)
    assert allocate(adopted, teacher, year=2026).amount == P("2690.00")
    event = AuditEvent.objects.get(action="pp.rate_set")
    assert event.changes == {"financial_year": 2026, "group": "cpic", "amount": "2690.00"}


def test_a_child_in_cares_allocation_is_what_the_virtual_school_released(child, teacher):
    with pytest.raises(ValidationError, match="Virtual School released"):
        allocate(child, teacher)
    allocation = allocate(child, teacher, amount="1600")
    assert (allocation.source, allocation.virtual_school.la_code) == ("virtual_school", "873")


def test_a_child_with_no_care_history_gets_no_pp_plus(school, teacher):
    from tests.pupil_factories import PupilFactory

    with pytest.raises(ValidationError, match="attract no PP\\+"):
        allocate(PupilFactory(school=school), teacher, amount="100")


# --- Balances in exact money -----------------------------------------------------------------


def test_balances_are_exact_to_the_penny(adopted, teacher):
    services.rate_set(
        school=adopted.school, financial_year=2026, group="cpic", amount="0.30", by=teacher
    )
    allocate(adopted, teacher)
    # 0.1 + 0.2 is not 0.3 in floating point; in the ledger it is, exactly.
    approve(ask(adopted, teacher, "0.10"), teacher)
    approve(ask(adopted, teacher, "0.20"), teacher)
    balance = balance_for(adopted, 2026)
    assert (balance.allocated, balance.committed, balance.remaining) == (P("0.30"), P("0.30"), 0)
    with pytest.raises(ValidationError, match="remains and this is £0.01"):
        approve(ask(adopted, teacher, "0.01"), teacher)


def test_fractions_of_a_penny_are_refused(adopted, teacher):
    with pytest.raises(ValidationError, match="nearest penny"):
        ask(adopted, teacher, "10.005")


def test_with_no_allocation_nothing_remains(adopted, teacher):
    balance = balance_for(adopted, 2026)
    assert (balance.allocated, balance.remaining) == (0, 0)
    with pytest.raises(ValidationError, match="allocated £0.00"):
        approve(ask(adopted, teacher, "5.00"), teacher)


def test_approving_exactly_the_allocation_is_allowed(adopted, teacher):
    allocate(adopted, teacher, amount="2630.00")
    approve(ask(adopted, teacher, "2000.00"), teacher)
    item = approve(ask(adopted, teacher, "630.00"), teacher)
    assert item.status == Status.APPROVED
    assert balance_for(adopted, 2026).remaining == 0


# --- The over-allocation guard ---------------------------------------------------------------


def test_over_allocation_is_refused_with_the_numbers(adopted, teacher):
    allocate(adopted, teacher, amount="1000.00")
    approve(ask(adopted, teacher, "600.00"), teacher)
    item = ask(adopted, teacher, "400.01")
    with pytest.raises(ValidationError) as refused:
        approve(item, teacher)
    message = refused.value.message_dict["over_allocation_reason"][0]
    assert "allocated £1,000.00, already approved £600.00, spent £0.00" in message
    assert "so £400.00 remains and this is £400.01" in message
    item.refresh_from_db()
    assert item.status == Status.REQUESTED


def test_an_override_with_a_reason_is_kept_and_audited_without_the_words(adopted, teacher):
    allocate(adopted, teacher, amount="100.00")
    item = approve(ask(adopted, teacher, "150.00"), teacher, reason="Therapist's block fee")
    assert item.over_allocation_reason == "Therapist's block fee"
    event = AuditEvent.objects.get(action="pp.item_approved")
    assert event.changes["over_allocation"] is True
    assert event.changes["remaining"] == "-50.00"
    assert "over_allocation_reason" in event.fields
    assert "Therapist" not in str(event.changes)


def test_spending_more_than_approved_passes_the_guard_again(adopted, teacher):
    allocate(adopted, teacher, amount="100.00")
    item = approve(ask(adopted, teacher, "100.00"), teacher)
    with pytest.raises(ValidationError, match="remains"):
        services.item_spend(
            item=item, spent_on=D(2026, 11, 1), amount="120.00", by=teacher, today=D(2026, 11, 2)
        )
    item = services.item_spend(
        item=item, spent_on=D(2026, 11, 1), amount="95.50", by=teacher, today=D(2026, 11, 2)
    )
    balance = balance_for(adopted, 2026)
    assert (balance.spent, balance.committed, balance.remaining) == (P("95.50"), 0, P("4.50"))


# --- Who approves ----------------------------------------------------------------------------


def test_a_child_in_cares_item_must_name_its_pep_target(child, teacher):
    with pytest.raises(ValidationError, match="choose the PEP target"):
        ask(child, teacher, "50.00")


def test_a_child_in_cares_approval_records_the_virtual_schools_date_and_reference(
    child, autumn, teacher
):
    pep = fill(
        pep_services.pep_start(pupil=child, term=autumn, by=teacher, today=D(2026, 10, 12)), teacher
    )
    pep_services.pep_complete(pep=pep, by=teacher, today=D(2026, 10, 20))
    item = PpItem.objects.get(pupil=child)
    allocate(child, teacher, amount="1600")
    with pytest.raises(ValidationError) as refused:
        services.item_approve(item=item, by=teacher, today=D(2026, 10, 21))
    assert set(refused.value.message_dict) == {
        "virtual_school_approved_on",
        "virtual_school_reference",
    }
    item = approve(item, teacher, today=D(2026, 10, 21))
    assert (item.virtual_school_approved_on, item.virtual_school_reference) == (
        D(2026, 10, 21),
        "VS-2026-114",
    )


def test_a_previously_in_care_childs_item_may_have_no_target_and_records_the_parents(
    adopted, teacher
):
    item = services.item_request(
        pupil=adopted,
        date=D(2026, 10, 5),
        description="Lego therapy group",
        category="therapy",
        amount="240.00",
        parents_involvement="Agreed with both parents at the October meeting",
        by=teacher,
    )
    assert item.target is None and item.group == FundingGroup.CPIC
    assert item.parents_involvement.startswith("Agreed")


# --- The PEP's requests ----------------------------------------------------------------------


def test_a_completed_peps_request_becomes_one_item_across_a_correction(child, autumn, teacher):
    pep = fill(
        pep_services.pep_start(pupil=child, term=autumn, by=teacher, today=D(2026, 10, 12)), teacher
    )
    pep_services.pep_complete(pep=pep, by=teacher, today=D(2026, 10, 20))
    item = PpItem.objects.get(pupil=child)
    assert (item.status, item.amount, item.from_pep_request) == ("requested", P("450.00"), True)
    assert item.target.pep == pep and item.category == "tuition"

    correction = pep_services.pep_correct(pep=pep, reason="Tutoring costs more", by=teacher)
    target = correction.targets.get()
    pep_services.target_update(target=target, by=teacher, pp_plus_amount=P("480.00"))
    pep_services.pep_complete(pep=correction, by=teacher, today=D(2026, 10, 21))

    item = PpItem.objects.get(pupil=child)  # one, not two
    assert (item.amount, item.target_id) == (P("480.00"), target.pk)
    # The PEP page and its PDF say what became of the request.
    document = pep_document(correction)
    assert document.targets[0].pp_plus_status == ("£480.00 requested",)


def test_a_correction_that_drops_the_request_withdraws_it(child, autumn, teacher):
    pep = fill(
        pep_services.pep_start(pupil=child, term=autumn, by=teacher, today=D(2026, 10, 12)), teacher
    )
    pep_services.pep_complete(pep=pep, by=teacher, today=D(2026, 10, 20))
    correction = pep_services.pep_correct(pep=pep, reason="No tutoring after all", by=teacher)
    pep_services.target_update(
        target=correction.targets.get(), by=teacher, pp_plus_amount=P("0"), pp_plus_purpose=""
    )
    pep_services.pep_complete(pep=correction, by=teacher, today=D(2026, 10, 21))
    assert list(PpItem.objects.values_list("status", flat=True)) == ["withdrawn"]


def test_a_review_in_the_next_pep_gives_the_items_its_outcome(child, autumn, spring, teacher):
    pep = fill(
        pep_services.pep_start(pupil=child, term=autumn, by=teacher, today=D(2026, 10, 12)), teacher
    )
    pep_services.pep_complete(pep=pep, by=teacher, today=D(2026, 10, 20))
    allocate(child, teacher, amount="1600")
    item = approve(PpItem.objects.get(), teacher, today=D(2026, 10, 21))
    services.item_spend(item=item, spent_on=D(2026, 12, 1), by=teacher, today=D(2026, 12, 2))

    spring_pep = pep_services.pep_start(pupil=child, term=spring, by=teacher, today=D(2027, 1, 11))
    fill(spring_pep, teacher, meeting=D(2027, 1, 12))
    pep_services.target_review(
        pep=spring_pep,
        target=pep.targets.get(),
        outcome="achieved",
        evidence="Expected standard in the mock",
        by=teacher,
    )
    item.refresh_from_db()
    assert item.outcome == ""  # a draft's review is not final
    pep_services.pep_complete(pep=spring_pep, by=teacher, today=D(2027, 1, 13))
    item.refresh_from_db()
    assert (item.outcome, item.outcome_on) == ("achieved", D(2027, 1, 12))
    summary = school_summary(child.school, 2026)
    assert ("Achieved", P("450.00"), 1) in summary.by_outcome
    # The spring PEP's own request is a second, separate item.
    assert PpItem.objects.filter(pupil=child).count() == 2


def test_the_child_in_care_group_is_read_from_the_care_history(child, adopted):
    assert funding_group(child, D(2026, 10, 1)) == FundingGroup.CIC
    assert funding_group(adopted, D(2026, 10, 1)) == FundingGroup.CPIC
    assert funding_group(adopted, D(2020, 10, 1)) == FundingGroup.CIC


def test_an_item_for_another_childs_target_is_refused(child, adopted, autumn, teacher):
    from tests.peps.factories import CompletedPepFactory

    target = TargetFactory(pep=CompletedPepFactory(pupil=child, term=autumn))
    with pytest.raises(ValidationError, match="this child's PEP targets"):
        ask(adopted, teacher, "10.00", target=target)


# --- Putting a request right before it is decided --------------------------------------------


def test_a_request_is_edited_before_approval_and_the_audit_names_fields_only(adopted, teacher):
    allocate(adopted, teacher, amount="2630.00")
    item = ask(adopted, teacher, "450.00")
    services.item_edit(
        item=item,
        description="Tutoring with Ms Khan about the panic attacks",
        category="therapy",
        amount="475.50",
        supplier="Fenland Counselling",
        by=teacher,
    )
    item.refresh_from_db()
    assert (item.category, item.amount, item.supplier) == (
        "therapy",
        P("475.50"),
        "Fenland Counselling",
    )
    event = AuditEvent.objects.get(action="pp.item_edited")
    assert set(event.fields) == {"description", "category", "amount", "supplier"}
    assert "panic" not in str(event.changes) and "Fenland" not in str(event.changes)
    assert event.changes["category"] == ["tuition", "therapy"]
    assert event.pupil_id == adopted.pk


def test_an_approved_or_declined_item_cannot_be_edited(adopted, teacher):
    allocate(adopted, teacher, amount="2630.00")
    approved = approve(ask(adopted, teacher, "100.00"), teacher)
    declined = services.item_decline(
        item=ask(adopted, teacher, "50.00"), reason="Not needed", by=teacher, today=OCT_6
    )
    for item in (approved, declined):
        with pytest.raises(ValidationError, match="only a request not yet decided"):
            services.item_edit(
                item=item, description="More", category="tuition", amount="999.00", by=teacher
            )
        item.refresh_from_db()
        assert item.amount < P("999.00")
    assert not AuditEvent.objects.filter(action="pp.item_edited").exists()


def test_an_edit_with_nothing_changed_writes_no_event(adopted, teacher):
    item = ask(adopted, teacher, "450.00")
    services.item_edit(
        item=item, description="Tutoring", category="tuition", amount="450", by=teacher
    )
    assert not AuditEvent.objects.filter(action="pp.item_edited").exists()


def test_an_edit_refuses_fractions_of_a_penny_and_nothing(adopted, teacher):
    item = ask(adopted, teacher, "450.00")
    for amount in ("10.005", "0"):
        with pytest.raises(ValidationError):
            services.item_edit(
                item=item, description="Tutoring", category="tuition", amount=amount, by=teacher
            )


@pytest.mark.parametrize("decide", ["approve", "decline"])
def test_only_a_role_that_approves_pp_spend_decides_a_previously_in_care_childs_item(
    school, adopted, teacher, decide
):
    # The service holds the rule, not only the view: a DSL (who may edit attendance and
    # exclusions but not approve PP+) is refused whoever calls it.
    from django.core.exceptions import PermissionDenied

    from accounts.roles import Role
    from tests.conftest import member

    allocate(adopted, teacher, amount=P("2570.00"))
    item = ask(adopted, teacher, P("100.00"))
    dsl = member(school, Role.DSL)
    with pytest.raises(PermissionDenied):
        if decide == "approve":
            approve(item, dsl)
        else:
            services.item_decline(item=item, reason="No", by=dsl, today=OCT_6)
    item.refresh_from_db()
    assert item.status == Status.REQUESTED
    # The designated teacher holds the capability and may.
    assert approve(item, teacher).status == Status.APPROVED
