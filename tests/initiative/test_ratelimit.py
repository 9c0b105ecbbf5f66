"""The shared rate limiter counts per client and window, and trusts X-Forwarded-For only when told a
proxy we run sets it; allauth's log-in limits and axes count the same client address."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from initiative import ratelimit


def test_counts_per_client_and_resets_with_the_window():
    assert ratelimit.hit(scope="t", who="a", limit=2, period=60, now=120) == (True, 60)
    assert ratelimit.hit(scope="t", who="a", limit=2, period=60, now=130)[0] is True
    allowed, retry = ratelimit.hit(scope="t", who="a", limit=2, period=60, now=150)
    assert (allowed, retry) == (False, 30)
    assert ratelimit.hit(scope="t", who="b", limit=2, period=60, now=150)[0] is True  # someone else
    assert ratelimit.hit(scope="t", who="a", limit=2, period=60, now=181)[0] is True  # next window


def test_forwarded_for_is_ignored_unless_trusted(settings):
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.9")
    settings.TRUST_X_FORWARDED_FOR = False
    assert ratelimit.client_ip(request) == "10.0.0.5"
    settings.TRUST_X_FORWARDED_FOR = True
    assert ratelimit.client_ip(request) == "203.0.113.9"
    garbage = RequestFactory().post("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="<script>, 1.2.3.4")
    assert ratelimit.client_ip(garbage) == "10.0.0.5"  # not an address: the proxy's own is used


def test_parse_rate():
    assert ratelimit.parse_rate("10/h") == (10, 3600)
    assert ratelimit.parse_rate("3/min") == (3, 60)


def _failed_logins(client, count: int, *, forwarded_for) -> list[bool]:
    """`count` failed log-ins for different accounts (so neither axes' per-account lock nor allauth's
    per-account limit applies), all from one REMOTE_ADDR — the proxy — with the given X-Forwarded-For.
    Returns, per attempt, whether allauth refused it for too many failures from the address."""
    refused = []
    for n in range(count):
        response = client.post(
            reverse("account_login"),
            {"login": f"nobody{n}@example.org", "password": "wrong-password"},
            REMOTE_ADDR="10.0.0.5",
            HTTP_X_FORWARDED_FOR=forwarded_for(n),
        )
        refused.append("Too many failed login attempts" in response.content.decode())
    return refused


@pytest.mark.django_db
def test_allauth_counts_the_proxy_address_when_forwarded_for_is_not_trusted(client, settings, private_cache):
    """Without TRUST_X_FORWARDED_FOR, a client cannot dodge allauth's log-in limit (10 failures a minute
    per address) by sending a new X-Forwarded-For with each attempt."""
    settings.TRUST_X_FORWARDED_FOR = False
    refused = _failed_logins(client, 11, forwarded_for=lambda n: f"203.0.113.{n}")
    assert refused == [False] * 10 + [True]


@pytest.mark.django_db
def test_allauth_counts_each_forwarded_client_when_the_proxy_is_trusted(client, settings, private_cache):
    """With TRUST_X_FORWARDED_FOR (behind our nginx), allauth counts each real client as the rest of the
    site does: eleven clients behind one proxy are not refused together, one client is after ten."""
    settings.TRUST_X_FORWARDED_FOR = True
    assert _failed_logins(client, 11, forwarded_for=lambda n: f"203.0.113.{n}") == [False] * 11
    refused = _failed_logins(client, 11, forwarded_for=lambda n: "198.51.100.7")
    assert refused == [False] * 10 + [True]


def test_allauth_and_axes_use_the_site_client_address(settings):
    """allauth's adapter and axes resolve the client address as the site's limiter does, both ways."""
    from allauth.account.adapter import get_adapter
    from axes.helpers import get_client_ip_address

    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.9")
    for trusted, expected in ((False, "10.0.0.5"), (True, "203.0.113.9")):
        settings.TRUST_X_FORWARDED_FOR = trusted
        assert get_adapter(request).get_client_ip(request) == expected
        assert get_client_ip_address(request) == expected
