"""The shared rate limiter counts per client and window, and trusts X-Forwarded-For only when told a
proxy we run sets it."""

from django.test import RequestFactory

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


def test_parse_rate():
    assert ratelimit.parse_rate("10/h") == (10, 3600)
    assert ratelimit.parse_rate("3/min") == (3, 60)
