"""Reads of the related-efforts registry for the workstream page and the registry's own page."""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from ..models import RelatedEffort, Topic, Workstream


def related_effort_list(*, workstream: Workstream | None = None) -> QuerySet[RelatedEffort]:
    """Every effort with its workstreams and topics; or, for one workstream's page, its efforts with
    their topics only (the page does not list the other workstreams: one query fewer)."""
    qs = RelatedEffort.objects.prefetch_related(
        Prefetch("topics", queryset=Topic.objects.select_related("workstream").order_by("workstream", "id")),
    ).order_by("name")
    if workstream is not None:
        return qs.filter(workstreams=workstream)
    return qs.prefetch_related(
        Prefetch("workstreams", queryset=Workstream.objects.order_by("track__number", "code"))
    )


def related_effort_get(*, slug: str) -> RelatedEffort:
    return get_object_or_404(RelatedEffort.objects.prefetch_related("workstreams", "topics"), slug=slug)
