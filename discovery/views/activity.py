"""The public activity pages (the initiative's and each workstream's) and their Atom feeds."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from workstreams.selectors import workstream_get

from ..selectors.activity import activity_items, activity_rows

ITEMS_PER_PAGE = 25
FEED_ITEMS = 50


@require_GET
def activity_list(request, slug: str | None = None):
    workstream = workstream_get(slug=slug) if slug else None
    page = Paginator(
        activity_rows(workstream_id=workstream.pk if workstream else None), ITEMS_PER_PAGE
    ).get_page(request.GET.get("page"))
    feed_url = (
        reverse("discovery:workstream-activity-feed", kwargs={"slug": slug})
        if workstream
        else reverse("discovery:activity-feed")
    )
    return render(
        request,
        "discovery/activity/activity_list.html",
        {
            "workstream": workstream,
            "page": page,
            "items": activity_items(page.object_list),
            "feed_url": feed_url,
        },
    )


class InitiativeActivityFeed(Feed):
    feed_type = Atom1Feed

    def title(self, obj=None):
        return _("What's new in the initiative")

    def link(self, obj=None):
        return reverse("discovery:activity")

    def subtitle(self, obj=None):
        return _("New versions, consultations, decisions, publications, sessions and webinars.")

    def items(self, obj=None):
        return activity_items(activity_rows(workstream_id=obj.pk if obj else None)[:FEED_ITEMS])

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return f"{item.summary} {item.workstream}".strip()

    def item_link(self, item):
        return item.url

    def item_guid(self, item):
        """An absolute IRI that never changes for the item (Atom's `id`), whichever feed carries it."""
        return f"{settings.SITE_URL.rstrip('/')}{reverse('discovery:activity')}#{item.guid}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.date

    def item_updateddate(self, item):
        return item.date

    def item_categories(self, item):
        return [item.kind]


class WorkstreamActivityFeed(InitiativeActivityFeed):
    def get_object(self, request, slug: str):
        return workstream_get(slug=slug)

    def title(self, obj=None):
        return _("What's new in %(w)s") % {"w": obj.title}

    def link(self, obj=None):
        return reverse("discovery:workstream-activity", kwargs={"slug": obj.slug}) if obj else ""
