"""The demo still works with second factors: the demo staff, committee and admin accounts sign in with the
password and the code `manage.py demo_code` prints; the other demo accounts are not asked for one.
(One test: loading the demo is slow.)"""

import io

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _code() -> str:
    out = io.StringIO()
    call_command("demo_code", stdout=out)
    return out.getvalue().split()[0]


def test_demo_accounts_sign_in_with_the_printed_code_and_others_with_the_password(
    loaded_initiative, settings
):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "manage.py demo_code" in out.getvalue()
    assert "asks for a second code" in out.getvalue()

    with time_machine.travel(timezone.now(), tick=False):
        for email, page in [
            ("staff@demo.example.org", "workstreams:staff-dashboard"),
            ("chair@demo.example.org", "initiative:audit-log"),
            ("admin@demo.example.org", "admin:index"),
        ]:
            client = Client()
            response = client.post(
                reverse("account_login"), {"login": email, "password": settings.DEMO_PASSWORD}
            )
            assert response["Location"] == reverse("mfa_authenticate"), email
            response = client.post(reverse("mfa_authenticate"), {"code": _code()})
            assert response.status_code == 302, email
            assert client.get(reverse(page)).status_code == 200, email

    client = Client()
    response = client.post(
        reverse("account_login"),
        {"login": "participant@demo.example.org", "password": settings.DEMO_PASSWORD},
    )
    assert response["Location"] == reverse("initiative:account")

    count = Authenticator.objects.count()
    call_command("load_demo", stdout=io.StringIO())
    assert Authenticator.objects.count() == count > 0  # loading twice keeps one app per account
