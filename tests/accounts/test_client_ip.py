"""Behind the documented reverse proxy, the audit log and the lock-out log record the address
of the person, not the proxy's; and nobody can choose the address recorded for them by sending
an X-Forwarded-For header of their own."""

import ipaddress

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from core.audit import client_ip
from core.models import AuditEvent
from tests.factories import PASSWORD
from tests.pupil_factories import PupilFactory

PROXY = "10.0.0.2"
SECOND_PROXY = "10.0.0.3"
PERSON = "203.0.113.7"
INVENTED = "198.51.100.66"


@pytest.fixture
def behind_proxy(settings):
    settings.HARBOUR_TRUSTED_PROXIES = (ipaddress.ip_network("10.0.0.0/29"),)


def test_a_spoofed_forwarded_for_is_ignored_when_no_proxy_is_trusted(rf, settings):
    settings.HARBOUR_TRUSTED_PROXIES = ()
    request = rf.get("/", REMOTE_ADDR=PERSON, HTTP_X_FORWARDED_FOR=INVENTED)
    assert client_ip(request) == PERSON


def test_a_spoofed_forwarded_for_is_ignored_from_a_machine_that_is_not_our_proxy(rf, behind_proxy):
    # Someone reaching Harbour directly (not through the proxy) claims to be forwarded.
    request = rf.get("/", REMOTE_ADDR=PERSON, HTTP_X_FORWARDED_FOR=f"{INVENTED}, {PROXY}")
    assert client_ip(request) == PERSON


def test_through_the_trusted_proxy_the_person_is_recorded(rf, behind_proxy):
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=PERSON)
    assert client_ip(request) == PERSON


def test_through_the_proxy_what_the_person_wrote_is_not_believed(rf, behind_proxy):
    # The person sent "X-Forwarded-For: <invented>"; our proxy appended the address it saw.
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{INVENTED}, {PERSON}")
    assert client_ip(request) == PERSON


def test_through_a_chain_of_trusted_proxies_the_person_is_recorded(rf, behind_proxy):
    # Person -> load balancer (10.0.0.3) -> proxy (10.0.0.2) -> Harbour.
    request = rf.get(
        "/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{INVENTED}, {PERSON}, {SECOND_PROXY}"
    )
    assert client_ip(request) == PERSON


def test_a_person_cannot_pass_as_one_of_our_proxies(rf, behind_proxy):
    # Writing a trusted address into the header only moves the search one step left, to the
    # address our proxy saw, which the person cannot choose.
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{SECOND_PROXY}, {PERSON}")
    assert client_ip(request) == PERSON


def test_a_garbled_hop_stops_at_the_last_address_vouched_for(rf, behind_proxy):
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{PERSON}, not-an-address")
    assert client_ip(request) == PROXY


def test_through_the_proxy_without_a_forwarded_for_the_proxy_is_all_we_know(rf, behind_proxy):
    assert client_ip(rf.get("/", REMOTE_ADDR=PROXY)) == PROXY


def test_ipv6_and_ipv4_mapped_addresses(rf, settings):
    settings.HARBOUR_TRUSTED_PROXIES = (ipaddress.ip_network("fd00::/8"),)
    request = rf.get("/", REMOTE_ADDR="fd00::2", HTTP_X_FORWARDED_FOR="2001:db8::7")
    assert client_ip(request) == "2001:db8::7"
    assert client_ip(rf.get("/", REMOTE_ADDR="::ffff:203.0.113.7")) == PERSON


@pytest.mark.django_db
def test_the_audit_row_records_the_person_behind_the_proxy(dt_client, school, behind_proxy):
    pupil = PupilFactory(school=school)
    dt_client.get(
        reverse("pupils:pupil", kwargs={"pk": pupil.pk}),
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=f"{INVENTED}, {PERSON}",
    )
    event = AuditEvent.objects.get(action="pupil.viewed")
    assert event.ip_address == PERSON


@pytest.mark.django_db
def test_the_audit_row_ignores_a_spoofed_header_without_a_proxy(dt_client, school, settings):
    settings.HARBOUR_TRUSTED_PROXIES = ()
    pupil = PupilFactory(school=school)
    dt_client.get(
        reverse("pupils:pupil", kwargs={"pk": pupil.pk}),
        REMOTE_ADDR=PERSON,
        HTTP_X_FORWARDED_FOR=INVENTED,
    )
    assert AuditEvent.objects.get(action="pupil.viewed").ip_address == PERSON


@pytest.mark.django_db
def test_the_lockout_log_records_the_person_behind_the_proxy(client, behind_proxy):
    from tests.factories import UserFactory

    user = UserFactory()
    client.post(
        reverse("accounts:login"),
        {"username": user.email, "password": PASSWORD + "wrong"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=f"{INVENTED}, {PERSON}",
    )
    assert AccessAttempt.objects.get(username=user.email).ip_address == PERSON
