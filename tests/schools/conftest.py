import pytest
from django.test import Client

from accounts.roles import Role
from tests.conftest import member, sign_in


@pytest.fixture
def host_user(school):
    """One of the host's superusers (the people who run this Harbour installation), here also
    an administrator of ``school`` so the school pages open for them."""
    user = member(school, Role.ADMINISTRATOR, is_superuser=True, is_staff=True)
    return user


@pytest.fixture
def host_client(host_user):
    return sign_in(Client(), host_user)
