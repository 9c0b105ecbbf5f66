"""Reads on working sessions, action items and Track 3's issue areas."""

from django.db.models import (
    Count,
    Q,
    QuerySet,
)
from django.shortcuts import get_object_or_404

from ..models import (
    OPEN_ACTION_STATUSES,
    ActionItem,
    IssueArea,
    WorkingSession,
    Workstream,
)
from .workstreams import in_scope, members_area_scope


def session_list(*, workstream: Workstream) -> QuerySet[WorkingSession]:
    return (
        WorkingSession.objects.filter(workstream=workstream)
        .select_related("topic")
        .prefetch_related("issue_areas")
        .annotate(action_count=Count("action_items", distinct=True))
    )


def session_get(*, pk: int) -> WorkingSession:
    return get_object_or_404(
        WorkingSession.objects.select_related("workstream", "workstream__track", "topic").prefetch_related(
            "issue_areas", "attendees", "attendees__organization"
        ),
        pk=pk,
    )


def action_item_list() -> QuerySet[ActionItem]:
    return ActionItem.objects.select_related(
        "workstream", "owner", "owner_organization", "session", "issue_area"
    )


def issue_area_list() -> QuerySet[IssueArea]:
    return (
        IssueArea.objects.select_related("track2_workstream")
        .annotate(
            open_actions=Count(
                "action_items", filter=Q(action_items__status__in=OPEN_ACTION_STATUSES), distinct=True
            ),
            session_count=Count("sessions", distinct=True),
        )
        .order_by("order", "name")
    )  # an aggregate drops Meta.ordering


def session_list_all() -> QuerySet[WorkingSession]:
    """Every session of every workstream, soonest first, with what its public and members' views show
    joined (the members' fields are the caller's to withhold: see `members_area_scope`)."""
    return (
        WorkingSession.objects.select_related("workstream", "topic")
        .prefetch_related("issue_areas", "attendees")
        .order_by("starts_at", "pk")
    )


def action_item_list_for(*, user) -> QuerySet[ActionItem]:
    """The action items `user` may read: those of the workstreams whose members' area they may see."""
    return in_scope(action_item_list().order_by("due_date", "pk"), members_area_scope(user))
