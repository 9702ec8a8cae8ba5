"""Filter forms are GET forms: submitting one puts every field in the address bar, the browser's
history and the server's access log. The CSRF token must not be among them (core.forms's
form_helper draws none; a POST page draws its own)."""

import re

import pytest
from django.urls import reverse

from accounts.roles import Role

GET_FORMS = [
    ("pupils:cohort", Role.DESIGNATED_TEACHER),
    ("notifications:outbox", Role.HEADTEACHER),
    ("accounts:audit", Role.ADMINISTRATOR),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "role"), GET_FORMS, ids=[u for u, _ in GET_FORMS])
def test_a_filter_form_puts_no_csrf_token_in_the_address_bar(make_client, school, url, role):
    page = make_client(school, role).get(reverse(url)).content.decode()
    get_forms = re.findall(r'<form[^>]*method="get".*?</form>', page, flags=re.S | re.I)
    assert get_forms
    for form in get_forms:
        assert "csrfmiddlewaretoken" not in form


@pytest.mark.django_db
def test_each_post_form_carries_one_csrf_token(make_client, school):
    client = make_client(school, Role.DESIGNATED_TEACHER)
    page = client.get(reverse("pupils:pupil_add")).content.decode()
    post_forms = re.findall(r'<form[^>]*method="post".*?</form>', page, flags=re.S | re.I)
    assert len(post_forms) == 2  # the sign-out button's and the page's
    for form in post_forms:
        assert form.count('name="csrfmiddlewaretoken"') == 1
