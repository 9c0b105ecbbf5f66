"""A fixed-window counter in the cache (Redis in production) for HTML POSTs that DRF's throttles don't
cover: webinar sign-ups per client IP, comments per person. Rates are "<count>/<s|m|h|d>"."""

import ipaddress
import time

from django.conf import settings
from django.core.cache import cache

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    count, _, period = rate.partition("/")
    return int(count), PERIODS[period.strip()[:1].lower()]


def client_address(request) -> str | None:
    """The client's address: REMOTE_ADDR, or X-Forwarded-For when settings.TRUST_X_FORWARDED_FOR says a
    proxy we run sets it (trusting it otherwise would let anyone pick their own bucket). A forwarded
    value that is not an IP address is ignored. None when the request has no address (a test client's
    force_login); axes stores that as unknown."""
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[0].strip()
        try:
            return str(ipaddress.ip_address(forwarded))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR") or None


def client_ip(request) -> str:
    """The client's address as a rate-limit key (the site's limiter, allauth's log-in limits)."""
    return client_address(request) or "unknown"


def hit(*, scope: str, who: str, limit: int, period: int, now: float | None = None) -> tuple[bool, int]:
    """Count one request by `who` in `scope`; return (allowed, seconds until the window resets)."""
    now = int(now if now is not None else time.time())
    key = f"ratelimit:{scope}:{who}:{now // period}"
    return _count(key, period + 1) <= limit, period - (now % period)


def _count(key: str, timeout: int) -> int:
    """Add one to the counter `key` (created with `timeout`); its new value. In one round trip where
    the cache can (`initiative.cache.RedisCache.count`), elsewhere with the cache's add and incr."""
    if hasattr(cache, "count"):
        return cache.count(key, timeout)
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=timeout)
        return 1
