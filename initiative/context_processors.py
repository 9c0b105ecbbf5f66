"""Values every page needs: the initiative's name, the navigation's tracks (one cached query) and which
staff pages the navigation offers the user.

Each value is a callable the template calls only when it shows it (once per request): a partial — an
htmx answer, a fragment rendered on its own — shows no navigation and so costs no cache read and no
permission check for it."""

import functools

from django.core.cache import cache
from django.utils import translation

from . import notifications, policy


def _nav_tracks():
    def compute():
        from workstreams.models import Track

        return [
            {"title": t.title, "url": t.get_absolute_url(), "number": t.number}
            for t in Track.objects.only("number", "slug", "title")
        ]

    # per language: a track's title may have a Spanish version
    return cache.get_or_set(f"nav-tracks-{translation.get_language()}", compute, 300)


def site(request):
    user = getattr(request, "user", None)

    def signed_in() -> bool:
        return user is not None and user.is_authenticated

    return {
        "site_name": "DER Integration Initiative",
        "nav_tracks": functools.cache(_nav_tracks),
        "nav_tracker": functools.cache(lambda: signed_in() and policy.can(user, "workstreams.view_tracker")),
        "nav_audit_log": functools.cache(
            lambda: signed_in() and policy.can(user, "initiative.view_audit_log")
        ),
        # cached: no query
        "nav_unread": functools.cache(lambda: notifications.unread_count(user=user) if signed_in() else 0),
    }
