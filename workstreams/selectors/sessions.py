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


# Continuity: who has stopped coming --------------------------------------------------------------------

DROP_OFF_SESSIONS = 3  # an active member absent from this many of the workstream's last held sessions


def drop_offs(*, workstream_ids=None, now=None, last: int = DROP_OFF_SESSIONS) -> list:
    """Active members absent from each of their workstream's last `last` held sessions (sessions whose
    attendance was recorded), counting only workstreams that have held that many since the member
    enrolled. Each enrollment returned carries `missed` (the sessions, newest first). Three queries,
    whatever the number of workstreams, sessions or members."""
    from django.db.models import F, Window
    from django.db.models.functions import RowNumber
    from django.utils import timezone

    from ..models import Enrollment, EnrollmentRole

    now = now or timezone.now()
    held = WorkingSession.objects.filter(status=WorkingSession.Status.HELD, starts_at__lte=now)
    if workstream_ids is not None:
        held = held.filter(workstream_id__in=list(workstream_ids))
    recent = list(
        held.annotate(
            rank=Window(RowNumber(), partition_by=[F("workstream_id")], order_by=F("starts_at").desc())
        )
        .filter(rank__lte=last)
        .order_by("workstream_id", "-starts_at")
    )
    by_workstream: dict[int, list] = {}
    for s in recent:
        by_workstream.setdefault(s.workstream_id, []).append(s)
    by_workstream = {ws: sessions for ws, sessions in by_workstream.items() if len(sessions) == last}
    if not by_workstream:
        return []
    attended = set(
        WorkingSession.attendees.through.objects.filter(
            workingsession_id__in=[s.pk for sessions in by_workstream.values() for s in sessions]
        ).values_list("workingsession_id", "user_id")
    )
    out = []
    for e in (
        Enrollment.objects.active()
        .filter(workstream_id__in=list(by_workstream), role=EnrollmentRole.ACTIVE_MEMBER)
        .select_related("user", "organization", "workstream")
        .order_by("workstream__code", "user__full_name")
    ):
        sessions = by_workstream[e.workstream_id]
        if e.committed_at > sessions[-1].starts_at:
            continue  # enrolled after the oldest of the sessions: not yet a pattern
        if not any((s.pk, e.user_id) in attended for s in sessions):
            e.missed = sessions
            out.append(e)
    return out


def action_item_list_for(*, user) -> QuerySet[ActionItem]:
    """The action items `user` may read: those of the workstreams whose members' area they may see."""
    return in_scope(action_item_list().order_by("due_date", "pk"), members_area_scope(user))
