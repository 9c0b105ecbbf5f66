"""Values every page needs: the initiative's name and the navigation's tracks (one cached query)."""

from django.core.cache import cache


def site(request):
    def compute():
        from workstreams.models import Track

        return [
            {"title": t.title, "url": t.get_absolute_url(), "number": t.number}
            for t in Track.objects.only("number", "slug", "title")
        ]

    nav_tracks = cache.get_or_set("nav-tracks", compute, 300)
    return {"nav_tracks": nav_tracks, "site_name": "DER Integration Initiative"}
