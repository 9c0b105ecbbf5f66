"""A small fixed-window counter in the cache (Redis in production) for HTML form POSTs, keyed by the
client IP. The limit comes from settings (WEBINAR_SIGNUP_RATE = "<count>/<s|m|h|d>"), read per call."""

import time

from django.conf import settings
from django.core.cache import cache

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    count, _, period = rate.partition("/")
    return int(count), PERIODS[period.strip()[:1].lower()]


def client_ip(request) -> str:
    # REMOTE_ADDR: behind the compose nginx, set it from X-Forwarded-For there (trusting the header here
    # would let anyone pick their own bucket).
    return request.META.get("REMOTE_ADDR", "unknown")


def hit(*, scope: str, request, rate: str | None = None) -> tuple[bool, int]:
    """Count one request; return (allowed, seconds until the window resets)."""
    limit, period = parse_rate(rate or settings.WEBINAR_SIGNUP_RATE)
    now = int(time.time())
    window = now // period
    key = f"ratelimit:{scope}:{client_ip(request)}:{window}"
    cache.add(key, 0, timeout=period + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period + 1)
        count = 1
    return count <= limit, period - (now % period)
