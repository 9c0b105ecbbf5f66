"""Sign-up with email verification, log-in, log-in throttling, the account page."""

import re

import pytest
from django.urls import reverse

from initiative.models import AuditEvent, User
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_sign_up_requires_email_verification(client, mailoutbox):
    org = OrganizationFactory(name="Bayview Electric")
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new@example.org",
            "password1": "a-very-long-passphrase",
            "password2": "a-very-long-passphrase",
            "full_name": "New Person",
            "organization": org.pk,
            "stakeholder_type": "",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="new@example.org")
    assert user.full_name == "New Person" and user.organization == org
    assert len(mailoutbox) == 1
    # Not verified yet: logging in leads to the "verify your email" page, not the account.
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "new@example.org", "password": "a-very-long-passphrase"}
    )
    assert "confirm-email" in response.url
    # Following the emailed link verifies the address and logs in.
    link = re.search(r"(/accounts/confirm-email/[^\s]+)", mailoutbox[-1].body).group(1)
    client.post(link)
    assert user.emailaddress_set.get().verified
    assert AuditEvent.objects.filter(action="user.verify_email", object_id=str(user.pk)).exists()
    assert client.get(reverse("initiative:account")).status_code == 200


def test_login_and_logout(client):
    user = UserFactory(verified=True)
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "a-long-test-password"}
    )
    assert response.status_code == 302
    assert client.get(reverse("initiative:account")).status_code == 200
    client.post(reverse("account_logout"))
    assert client.get(reverse("initiative:account")).status_code == 302


def test_login_is_throttled_after_repeated_failures(client, settings):
    user = UserFactory(verified=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("account_login"), {"login": user.email, "password": "wrong-password"})
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "a-long-test-password"}
    )
    # Locked out even with the right password, from this address.
    assert "Too many" in response.content.decode()
    assert client.get(reverse("initiative:account")).status_code == 302
    # Someone else from the same address is not locked out by another account's failures.
    other = UserFactory(verified=True)
    response = client.post(
        reverse("account_login"), {"login": other.email, "password": "a-long-test-password"}
    )
    assert response.status_code == 302
    assert client.get(reverse("initiative:account")).status_code == 200


def test_password_reset_sends_a_link(client, mailoutbox):
    user = UserFactory(verified=True)
    client.post(reverse("account_reset_password"), {"email": user.email})
    assert len(mailoutbox) == 1 and "/accounts/password/reset/key/" in mailoutbox[0].body


def test_account_page_edits_profile(client, public_user):
    client.force_login(public_user)
    response = client.post(
        reverse("initiative:account"),
        {"full_name": "Renamed Person", "title": "Engineer", "organization": "", "stakeholder_type": "other"},
    )
    assert response.status_code == 302
    public_user.refresh_from_db()
    assert public_user.full_name == "Renamed Person"
    assert AuditEvent.objects.filter(action="user.update_profile").exists()


def test_account_page_needs_login(client):
    response = client.get(reverse("initiative:account"))
    assert response.status_code == 302 and reverse("account_login") in response.url
