"""Hooks for django-axes and allauth: which username a log-in attempt is for, and which client address
it comes from (the one initiative.ratelimit.client_ip gives the rest of the site).

allauth passes `email=` to authenticate(), and its form field is `login`; axes would otherwise see no
username and lock the whole IP address instead of the (username, IP) pair.
"""

from allauth.account.adapter import DefaultAccountAdapter

from . import ratelimit


def axes_username(request, credentials) -> str | None:
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("login") or credentials.get("username")
    if not value and request is not None and request.method == "POST":
        value = request.POST.get("login")
    return value.strip().lower() if value else None


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        """The client's address for allauth's rate limits: X-Forwarded-For only when
        settings.TRUST_X_FORWARDED_FOR says our proxy sets it, as everywhere else on the site."""
        return ratelimit.client_ip(request)
