"""Where to go after a form: the one reading of a `next` parameter for every view that takes one."""

from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def next_url(request, default, *args, **kwargs) -> str:
    """The request's `next` (POST, then GET) when it stays on this site, else `default` (a URL, a URL
    name with `args`/`kwargs`, or a model with `get_absolute_url`).

    "Stays on this site" is Django's `url_has_allowed_host_and_scheme` against the request's own host,
    requiring HTTPS when the request came over HTTPS: it refuses `//evil.example/`, `/\\evil.example/`,
    `https://evil.example/`, `javascript:` URLs and control characters, which a `startswith("/")` test
    lets through."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(default, *args, **kwargs)
