"""Reads of the review workflow, approval and publication pages and API (no N+1: every page's queries
are fixed in number whatever the data size)."""

import django_filters
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.template import TemplateDoesNotExist
from django.template.loader import get_template

from initiative import policy
from initiative.models import TaskFailure
from workstreams.models import Deliverable, DeliverableKind, Track, Workstream

from ..models import Approval, DeliverableTransition, Publication, Review, Vote


def deliverable_get(*, pk: int) -> Deliverable:
    deliverable = Deliverable.objects.select_related("workstream__track", "owner").filter(pk=pk).first()
    if deliverable is None:
        raise Http404
    return deliverable


def transition_list(*, deliverable: Deliverable):
    return DeliverableTransition.objects.filter(deliverable=deliverable).select_related("actor", "version")


def review_list(*, deliverable: Deliverable):
    return (
        Review.objects.filter(version__deliverable=deliverable)
        .select_related("version__deliverable__workstream")
        .order_by("-opens_at")
    )


def approval_get(*, pk: int) -> Approval:
    approval = (
        Approval.objects.select_related(
            "deliverable__workstream__track", "version", "submitted_by", "decided_by"
        )
        .prefetch_related(Prefetch("votes", queryset=Vote.objects.select_related("member__organization")))
        .filter(pk=pk)
        .first()
    )
    if approval is None:
        raise Http404
    return approval


def approval_context_reviews(approval: Approval) -> dict:
    """The reviews the committee should see: the latest public consultation and member review."""
    reviews = list(
        Review.objects.filter(version__deliverable_id=approval.deliverable_id)
        .select_related("version")
        .order_by("-opens_at")
    )
    return {
        "consultation": next((r for r in reviews if r.kind == Review.Kind.PUBLIC_CONSULTATION), None),
        "member_review": next((r for r in reviews if r.kind == Review.Kind.MEMBER_REVIEW), None),
    }


def previous_version(version):
    return version.deliverable.versions.filter(number__lt=version.number).order_by("-number").first()


def decision_list():
    return (
        Approval.objects.decided()
        .select_related("deliverable__workstream", "version")
        .order_by("-decided_at", "-id")
    )


def publication_list():
    """The current published copy of each deliverable (a correction supersedes the earlier copy, which
    stays reachable from its own page)."""
    newer = Publication.objects.public().filter(
        deliverable=OuterRef("deliverable"), version__number__gt=OuterRef("version__number")
    )
    return (
        Publication.objects.public()
        .filter(~Exists(newer))
        .select_related("deliverable__workstream__track", "version", "approval")
        .defer("pdf", "html", "body")
        .order_by("-published_at", "-id")
    )


def publication_superseded_by(publication):
    return (
        Publication.objects.public()
        .filter(deliverable_id=publication.deliverable_id, version__number__gt=publication.version.number)
        .only("id", "title", "version__number")
        .select_related("version")
        .order_by("-version__number")
        .first()
    )


def open_approval_list():
    return Approval.objects.open().select_related("deliverable__workstream", "version").order_by("deadline")


def publication_get(*, pk: int, with_pdf: bool = False) -> Publication:
    qs = Publication.objects.public().select_related("deliverable__workstream__track", "version", "approval")
    if not with_pdf:
        qs = qs.defer("pdf")
    publication = qs.filter(pk=pk).first()
    if publication is None:
        raise Http404
    return publication


def task_failure_list(*, include_resolved: bool = False):
    qs = TaskFailure.objects.select_related("resolved_by")
    return qs if include_resolved else qs.filter(resolved_at__isnull=True)


def stage_counts():
    return dict(Deliverable.objects.values_list("stage").annotate(n=Count("id")).values_list("stage", "n"))


def template_exists(name: str) -> bool:
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return False
    return True


def may_see_unredacted(user) -> bool:
    return policy.can(user, "consultations.view_unredacted")


class PublicationFilter(django_filters.FilterSet):
    """One filter for the library page and the library API."""

    track = django_filters.ModelChoiceFilter(
        field_name="deliverable__workstream__track",
        queryset=Track.objects.all(),
        to_field_name="number",
        label="Track",
    )
    workstream = django_filters.ModelChoiceFilter(
        field_name="deliverable__workstream",
        queryset=Workstream.objects.all(),
        to_field_name="code",
        label="Workstream",
    )
    kind = django_filters.ChoiceFilter(
        field_name="deliverable__kind", choices=DeliverableKind.choices, label="Kind"
    )
    q = django_filters.CharFilter(method="search", label="Title contains")

    class Meta:
        model = Publication
        fields = ["track", "workstream", "kind", "q"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(deliverable__title__icontains=value))
