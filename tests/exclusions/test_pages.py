"""The pathway's pages: the head decides, nobody else; forms as a browser posts them."""

import pytest
import time_machine

from exclusions.models import Exclusion
from tests.exclusions.helpers import child, consulted

pytestmark = pytest.mark.django_db

DECISION = {
    "kind": "suspension",
    "start_date": "15/10/2026",
    "unit": "days",
    "length": "3",
    "reason": "PD",
    "account": "Threw a chair",
}


@time_machine.travel("2026-10-14 10:00 +01:00", tick=False)
def test_only_the_head_may_decide_a_suspension(dt_client, head_client, school):
    pupil = child(school)
    consulted(pupil)
    url = f"/exclusions/pupil/{pupil.pk}/decide/"
    assert dt_client.post(url, DECISION).status_code == 403
    assert not Exclusion.objects.exists()
    response = head_client.post(url, DECISION)
    assert response.status_code == 302
    exclusion = Exclusion.objects.get()
    assert exclusion.return_date.isoformat() == "2026-10-20"
    assert response.url == f"/exclusions/pupil/{pupil.pk}/#exclusion-{exclusion.pk}"


@time_machine.travel("2026-10-14 10:00 +01:00", tick=False)
def test_the_refusal_shows_on_the_form_and_saves_nothing(head_client, school):
    pupil = child(school)
    response = head_client.post(f"/exclusions/pupil/{pupil.pk}/decide/", DECISION)
    assert response.status_code == 200
    assert "record the Virtual School consultation" in response.content.decode()
    assert not Exclusion.objects.exists()


@time_machine.travel("2026-10-14 10:00 +01:00", tick=False)
def test_the_pupil_tab_register_and_notices_log_open(dt_client, school, other_school_dt_client):
    pupil = child(school)
    consulted(pupil)
    page = dt_client.get(f"/exclusions/pupil/{pupil.pk}/")
    assert page.status_code == 200
    assert "45 school days" in page.content.decode()
    assert dt_client.get("/exclusions/").status_code == 200
    assert dt_client.get("/exclusions/notices/").status_code == 200
    assert other_school_dt_client.get(f"/exclusions/pupil/{pupil.pk}/").status_code == 404
