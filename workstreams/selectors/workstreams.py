"""Reads on tracks, workstreams, invitations and enrollments for pages and the API; every join is done
here, not in templates."""

from collections import Counter

from django.db.models import (
    Count,
    Prefetch,
    Q,
    QuerySet,
)
from django.shortcuts import get_object_or_404

from initiative import policy
from initiative.models import StakeholderType, User

from ..models import (
    Enrollment,
    Invitation,
    Track,
    Workstream,
)
from ..rules import active_member_workstream_ids


def track_list() -> QuerySet[Track]:
    return Track.objects.prefetch_related(
        Prefetch("workstreams", queryset=Workstream.objects.prefetch_related("steps"))
    )


def track_get(*, slug: str) -> Track:
    return get_object_or_404(track_list(), slug=slug)


def workstream_list() -> QuerySet[Workstream]:
    return (
        Workstream.objects.select_related("track")
        .prefetch_related("steps")
        .annotate(
            participant_count=Count("enrollments", filter=Q(enrollments__status="active"), distinct=True)
        )
        .order_by("track__number", "code")
    )


def workstream_get(*, slug: str) -> Workstream:
    return get_object_or_404(
        Workstream.objects.select_related("track", "lead").prefetch_related(
            "steps", "stakeholders", "questions", "deliverables", "topics", "overlapping_issue_areas"
        ),
        slug=slug,
    )


def workstream_participation(workstream: Workstream) -> dict:
    """Who takes part, by stakeholder type, against who the report says should."""
    enrollments = list(
        Enrollment.objects.active()
        .filter(workstream=workstream)
        .select_related("organization", "user", "user__organization")
        .order_by("organization__name", "user__full_name")
    )
    counts: Counter[str] = Counter()
    organizations = {}
    for e in enrollments:
        kind = e.organization.type if e.organization_id else e.user.effective_stakeholder_type
        counts[kind] += 1
        if e.organization_id:
            organizations[e.organization_id] = e.organization
    labels = dict(StakeholderType.choices)
    wanted = {s.type for s in workstream.stakeholders.all()}
    rows = [
        {
            "type": t,
            "label": labels[t],
            "count": counts.get(t, 0),
            "wanted": t in wanted,
            "missing": t in wanted and not counts.get(t),
        }
        for t, _ in StakeholderType.choices
        if t in wanted or counts.get(t)
    ]
    return {
        "total": len(enrollments),
        "rows": rows,
        "organizations": sorted(organizations.values(), key=lambda o: o.name),
        "missing": [r for r in rows if r["missing"]],
        "enrollments": enrollments,
    }


def invitation_list(*, workstream: Workstream) -> QuerySet[Invitation]:
    return Invitation.objects.filter(workstream=workstream).select_related("invited_by", "organization")


def enrollment_list_for_user(user) -> QuerySet[Enrollment]:
    return Enrollment.objects.filter(user=user).select_related(
        "workstream", "workstream__track", "organization"
    )


def enrolled_users(workstream: Workstream):
    return (
        User.objects.filter(enrollments__workstream=workstream, enrollments__status=Enrollment.Status.ACTIVE)
        .select_related("organization")
        .order_by("full_name", "email")
        .distinct()
    )


def workstream_choices() -> list[tuple[int, str]]:
    """(id, title) of every workstream, for filter forms: one light query."""
    return [
        (w.pk, w.title)
        for w in Workstream.objects.only("pk", "code", "name").order_by("track__number", "code")
    ]


def members_area_scope(user) -> frozenset[int] | None:
    """The workstreams whose members' area (rounds, meeting links, minutes, action items) `user` may read,
    as a list: `workstreams.view_members_area` for many rows at once. None for every workstream
    (implementation staff, steering committee), else the ids they are an active member of (a feedback
    provider's workstreams are not in it; empty for the public). Lists filter by it inside the query, so
    nothing else ever leaves it."""
    if policy.can(user, "workstreams.view_every_members_area"):
        return None
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    return active_member_workstream_ids(user)


def in_scope(queryset: QuerySet, scope: frozenset[int] | None, field: str = "workstream_id") -> QuerySet:
    """`queryset` cut down to the rows of the workstreams in `scope` (see `members_area_scope`)."""
    return queryset if scope is None else queryset.filter(**{f"{field}__in": scope})
