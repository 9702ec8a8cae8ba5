"""The Virtual School directory: shared by every school, seeded by migration 0002, and changed
only by the host's superusers."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from core.models import AuditEvent
from schools.models import VirtualSchool

pytestmark = pytest.mark.django_db

SEEDED = ["873", "919", "876"]
seed_migration = importlib.import_module("schools.migrations.0002_seed_virtual_schools")


def test_the_seeded_virtual_schools_exist_after_migrate():
    seeded = {
        vs.la_code: vs for vs in VirtualSchool.objects.filter(la_code__in=["873", "919", "876"])
    }
    assert seeded["873"].local_authority_name == "Cambridgeshire"
    assert seeded["873"].email == "virtualschool@cambridgeshire.gov.uk"
    assert seeded["873"].phone == "01223 699 883"
    assert seeded["919"].email == "virtualschool@hertfordshire.gov.uk"
    assert seeded["919"].phone == "01992 556915"
    assert seeded["919"].website == "https://www.hertfordshire.gov.uk/virtualschool"
    assert seeded["876"].contact_name == "Joanne Lloyd"
    assert seeded["876"].email == "Joanne.lloyd@halton.gov.uk"


def test_running_the_seed_again_changes_nothing():
    before = list(VirtualSchool.objects.order_by("la_code").values())
    seed_migration.seed(apps, None)
    assert list(VirtualSchool.objects.order_by("la_code").values()) == before


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("dt_client", 200),
        ("dsl_client", 200),
        ("head_client", 200),
        ("school_admin_client", 200),
        ("governor_client", 403),
        ("staff_client", 403),
    ],
)
def test_the_directory_is_for_the_cohort_team_and_administrators(request, persona, status):
    response = request.getfixturevalue(persona).get(reverse("schools:virtual_schools"))
    assert response.status_code == status
    if status == 200:
        assert "virtualschool@cambridgeshire.gov.uk" in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("schools:virtual_schools"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_only_the_host_sees_the_directory_change_links(school_admin_client, host_client):
    url = reverse("schools:virtual_schools")
    assert "Add a Virtual School" not in school_admin_client.get(url).content.decode()
    assert "Change directory entry" not in school_admin_client.get(url).content.decode()
    assert "Add a Virtual School" in host_client.get(url).content.decode()


@pytest.mark.parametrize(
    "persona",
    [
        "school_admin_client",
        "head_client",
        "dt_client",
        "dsl_client",
        "governor_client",
        "staff_client",
    ],
)
def test_no_role_in_a_school_can_add_or_change_the_shared_directory(request, persona):
    client = request.getfixturevalue(persona)
    halton = VirtualSchool.objects.get(la_code="876")
    count = VirtualSchool.objects.count()
    add = reverse("schools:virtual_school_add")
    assert client.get(add).status_code == 403
    assert (
        client.post(
            add, {"local_authority_name": "Fake", "la_code": "999", "email": "x@example.org"}
        ).status_code
        == 403
    )
    edit = reverse("schools:virtual_school_edit", args=[halton.pk])
    assert client.get(edit).status_code == 403
    response = client.post(
        edit,
        {
            "local_authority_name": "Halton",
            "la_code": "876",
            "email": "inbox@attacker.example",
        },
    )
    assert response.status_code == 403
    halton.refresh_from_db()
    assert halton.email == "Joanne.lloyd@halton.gov.uk"
    assert VirtualSchool.objects.count() == count
    assert not AuditEvent.objects.filter(action__startswith="virtual_school.").exists()


def test_a_school_administrator_cannot_use_django_admin_on_the_directory(school_admin_client):
    halton = VirtualSchool.objects.get(la_code="876")
    url = reverse("admin:schools_virtualschool_change", args=[halton.pk])
    assert school_admin_client.get(url).status_code != 200
    school_admin_client.post(
        url,
        {"local_authority_name": "Halton", "la_code": "876", "email": "inbox@attacker.example"},
    )
    halton.refresh_from_db()
    assert halton.email == "Joanne.lloyd@halton.gov.uk"


def test_the_host_changes_the_directory_in_django_admin(host_client, school):
    halton = VirtualSchool.objects.get(la_code="876")
    url = reverse("admin:schools_virtualschool_change", args=[halton.pk])
    assert host_client.get(url).status_code == 200
    response = host_client.post(
        url,
        {
            "local_authority_name": "Halton",
            "la_code": "876",
            "email": "virtual.school@halton.example",
            "phone": "",
            "website": "",
            "contact_name": "Joanne Lloyd",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    halton.refresh_from_db()
    assert halton.email == "virtual.school@halton.example"
    event = AuditEvent.objects.get(action="virtual_school.changed")
    assert event.changes == {
        "email": ["Joanne.lloyd@halton.gov.uk", "virtual.school@halton.example"]
    }


def test_the_host_adds_a_virtual_school(host_client):
    response = host_client.post(
        reverse("schools:virtual_school_add"),
        {
            "local_authority_name": "Suffolk",
            "la_code": "935",
            "email": "virtual.school@suffolk.example",
            "phone": "",
            "website": "www.suffolk.example/virtual-school",
            "contact_name": "",
        },
    )
    assert response.status_code == 302
    suffolk = VirtualSchool.objects.get(la_code="935")
    assert suffolk.website == "https://www.suffolk.example/virtual-school"
    assert AuditEvent.objects.filter(action="virtual_school.added", object_id=str(suffolk.pk))


def test_a_local_authority_code_is_listed_once(host_client):
    response = host_client.post(
        reverse("schools:virtual_school_add"),
        {"local_authority_name": "Cambs again", "la_code": "873", "email": "a@b.example"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["la_code"] == [
        "Cambridgeshire Virtual School already has the local authority code 873"
    ]
    assert VirtualSchool.objects.filter(la_code="873").count() == 1


def test_bad_details_show_errors_and_save_nothing(host_client):
    count = VirtualSchool.objects.count()
    response = host_client.post(
        reverse("schools:virtual_school_add"),
        {"local_authority_name": "", "la_code": "87", "email": "not an email"},
    )
    errors = response.context["form"].errors
    assert errors["local_authority_name"] == ["Enter the name of the local authority"]
    assert errors["la_code"] == [
        "Enter the DfE local authority code as three digits, for example 873"
    ]
    assert "Enter an email address in the correct format" in errors["email"][0]
    assert "There is a problem" in response.content.decode()
    assert VirtualSchool.objects.count() == count


def test_changing_a_virtual_school_is_audited_with_what_changed(host_client):
    halton = VirtualSchool.objects.get(la_code="876")
    response = host_client.post(
        reverse("schools:virtual_school_edit", args=[halton.pk]),
        {
            "local_authority_name": "Halton",
            "la_code": "876",
            "email": "virtual.school@halton.example",
            "phone": "",
            "website": "",
            "contact_name": "Joanne Lloyd",
        },
    )
    assert response.status_code == 302
    halton.refresh_from_db()
    assert halton.email == "virtual.school@halton.example"
    event = AuditEvent.objects.get(action="virtual_school.changed")
    assert event.changes == {
        "email": ["Joanne.lloyd@halton.gov.uk", "virtual.school@halton.example"]
    }
    assert event.school is None  # host data: no school's record


def test_the_edit_form_starts_with_the_saved_details(host_client):
    halton = VirtualSchool.objects.get(la_code="876")
    response = host_client.get(reverse("schools:virtual_school_edit", args=[halton.pk]))
    assert 'value="Joanne.lloyd@halton.gov.uk"' in response.content.decode()
