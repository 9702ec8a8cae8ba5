"""A concern, its actions and decisions are never edited or deleted: the models refuse, and on
PostgreSQL the triggers refuse even raw SQL. A correction is an addendum that keeps the
original."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from accounts.roles import Role
from concerns.models import Action, Concern, ConcernPupil, ConcernRecordChanged, Decision
from concerns.services import (
    concern_action_record,
    concern_addendum_add,
    concern_decision_record,
)
from tests.concerns.factories import FOREARM, raise_concern
from tests.conftest import member
from tests.pupil_factories import PupilFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def concern(school):
    return raise_concern(
        school, by=member(school, Role.STAFF), pupils=[PupilFactory(school=school)], marks=[FOREARM]
    )


@pytest.fixture
def action(concern, school):
    return concern_action_record(
        concern=concern,
        by=member(school, Role.DSL),
        kind=Action.Kind.SPOKE_TO_CHILD,
        taken_on=dt.date(2026, 10, 14),
        taken_by="Tom Okafor (DSL)",
        details="Spoke to her at break",
        today=dt.date(2026, 10, 14),
    )


def test_the_model_refuses_to_save_a_changed_concern(concern):
    concern.account = "Something else"
    with pytest.raises(ConcernRecordChanged):
        concern.save()


def test_the_queryset_refuses_update_and_delete(concern, action):
    with pytest.raises(ConcernRecordChanged):
        Concern.objects.filter(pk=concern.pk).update(account="x")
    with pytest.raises(ConcernRecordChanged):
        Action.objects.filter(pk=action.pk).delete()
    with pytest.raises(ConcernRecordChanged):
        concern.delete()


@pytest.mark.parametrize(
    ("table", "sql"),
    [
        ("concerns_concern", "UPDATE concerns_concern SET account = 'rewritten'"),
        ("concerns_concern", "DELETE FROM concerns_concern"),
        ("concerns_action", "UPDATE concerns_action SET details = 'rewritten'"),
        ("concerns_action", "DELETE FROM concerns_action"),
        ("concerns_decision", "UPDATE concerns_decision SET reason = 'rewritten'"),
        ("concerns_decision", "DELETE FROM concerns_decision"),
        ("concerns_bodymark", "UPDATE concerns_bodymark SET description = 'rewritten'"),
        ("concerns_concernpupil", "DELETE FROM concerns_concernpupil"),
        ("concerns_addendum", "UPDATE concerns_addendum SET text = 'rewritten'"),
    ],
)
def test_postgresql_triggers_refuse_update_and_delete(concern, action, school, table, sql):
    decision = concern_decision_record(
        concern=concern,
        by=member(school, Role.DSL),
        kind="decision",
        decision="Refer",
        reason="Injury",
    )
    concern_addendum_add(
        concern=concern, by=member(school, Role.DSL), text="Note", decision=decision
    )
    with (
        pytest.raises(DatabaseError, match="never changed or deleted"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert Concern.objects.get(pk=concern.pk).account.startswith("Bruise")
    assert ConcernPupil.objects.filter(concern=concern).exists()


def test_an_addendum_keeps_the_original_and_says_who_and_when(concern, action, school, dsl_client):
    from django.urls import reverse

    dsl = member(school, Role.DSL, full_name="Grace Lewis")
    concern_addendum_add(concern=concern, by=dsl, text="It was the right forearm", action=action)
    assert Action.objects.get(pk=action.pk).details == "Spoke to her at break"
    page = dsl_client.get(reverse("concerns:concern", args=[concern.pk])).content.decode()
    assert "Spoke to her at break" in page
    assert "It was the right forearm" in page
    assert "Grace Lewis" in page


def test_closing_and_reopening_are_decisions_not_edits(concern, school):
    dsl = member(school, Role.DSL)
    concern_decision_record(
        concern=concern, by=dsl, kind="closed", decision="NFA", reason="Explained"
    )
    concern_decision_record(
        concern=concern, by=dsl, kind="reopened", decision="New", reason="Disclosure"
    )
    assert list(Decision.objects.filter(concern=concern).values_list("kind", flat=True)) == [
        "closed",
        "reopened",
    ]
