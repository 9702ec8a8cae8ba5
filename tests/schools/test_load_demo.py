"""The demo loader: fictional children, but the Virtual Schools their PEPs go to are real."""

import pytest
from django.core.management import CommandError, call_command

from schools.models import School


@pytest.mark.django_db
def test_demo_refuses_to_load_where_email_is_delivered(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    with pytest.raises(CommandError, match="only where email is not delivered"):
        call_command("load_demo")
    assert not School.objects.filter(urn="999001").exists()
