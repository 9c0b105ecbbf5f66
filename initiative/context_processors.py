"""Values every page needs: the initiative's name, the navigation's tracks (one cached query) and which
staff pages the navigation offers the user."""

from django.core.cache import cache
from django.utils import translation

from . import notifications, policy


def site(request):
    def compute():
        from workstreams.models import Track

        return [
            {"title": t.title, "url": t.get_absolute_url(), "number": t.number}
            for t in Track.objects.only("number", "slug", "title")
        ]

    # per language: a track's title may have a Spanish version
    nav_tracks = cache.get_or_set(f"nav-tracks-{translation.get_language()}", compute, 300)
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "nav_tracks": nav_tracks,
        "site_name": "DER Integration Initiative",
        "nav_tracker": signed_in and policy.can(user, "workstreams.view_tracker"),
        "nav_audit_log": signed_in and policy.can(user, "initiative.view_audit_log"),
        "nav_unread": notifications.unread_count(user=user) if signed_in else 0,  # cached: no query
    }
