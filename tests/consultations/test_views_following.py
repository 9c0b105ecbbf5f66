"""The public mailing list's sign-up is rate limited per client and per address: each request sends a
confirmation email, so an unlimited form would mail anyone's inbox on demand."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _sign_up(client, email: str, ip: str = "198.51.100.20"):
    return client.post(reverse("consultations:list-subscribe"), {"email": email}, REMOTE_ADDR=ip)


def test_one_address_gets_a_few_confirmation_emails_then_a_429(client, mailoutbox, settings, private_cache):
    settings.MAILING_LIST_SIGNUP_RATE_PER_ADDRESS = "3/h"
    statuses = [_sign_up(client, "Victim@Example.org", ip=f"203.0.113.{n}").status_code for n in range(12)]
    assert statuses[:3] == [302] * 3 and set(statuses[3:]) == {429}
    assert len(mailoutbox) == 3
    refused = _sign_up(client, "victim@example.org", ip="203.0.113.99")
    assert "Too many confirmation emails requested" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    assert _sign_up(client, "someone-else@example.org").status_code == 302  # other addresses still can


def test_one_client_gets_a_few_sign_ups_then_a_429(client, mailoutbox, settings, private_cache):
    settings.MAILING_LIST_SIGNUP_RATE = "10/h"
    statuses = [_sign_up(client, f"reader{n}@example.org").status_code for n in range(12)]
    assert statuses[:10] == [302] * 10 and statuses[10:] == [429, 429]
    assert len(mailoutbox) == 10
    assert _sign_up(client, "reader99@example.org", ip="198.51.100.21").status_code == 302
