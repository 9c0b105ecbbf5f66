"""Hooks for django-axes: which username a log-in attempt is for.

allauth passes `email=` to authenticate(), and its form field is `login`; axes would otherwise see no
username and lock the whole IP address instead of the (username, IP) pair.
"""


def axes_username(request, credentials) -> str | None:
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("login") or credentials.get("username")
    if not value and request is not None and request.method == "POST":
        value = request.POST.get("login")
    return value.strip().lower() if value else None
