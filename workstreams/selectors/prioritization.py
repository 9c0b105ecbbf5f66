"""Reads on prioritization rounds and ballots."""

from django.db.models import (
    Count,
    QuerySet,
)
from django.shortcuts import get_object_or_404

from ..models import (
    Ballot,
    PrioritizationRound,
    Workstream,
)
from .workstreams import in_scope, members_area_scope


def round_list(*, workstream: Workstream) -> QuerySet[PrioritizationRound]:
    return PrioritizationRound.objects.filter(workstream=workstream).annotate(ballot_count=Count("ballots"))


def round_get(*, pk: int) -> PrioritizationRound:
    return get_object_or_404(
        PrioritizationRound.objects.select_related("workstream", "workstream__track")
        .prefetch_related("topics")
        .annotate(ballot_count=Count("ballots")),
        pk=pk,
    )


def ballot_for(*, round: PrioritizationRound, user) -> Ballot | None:
    if not user.is_authenticated:
        return None
    return Ballot.objects.filter(round=round, voter=user).first()


def round_list_for(*, user) -> QuerySet[PrioritizationRound]:
    """The rounds `user` may see (`workstreams.view_round`: the workstream's members, staff, the
    committee), newest first, with their topics and ballot counts joined."""
    rounds = (
        PrioritizationRound.objects.select_related("workstream")
        .prefetch_related("topics")
        .annotate(ballot_count=Count("ballots"))
        .order_by("-opens_at", "-pk")
    )
    return in_scope(rounds, members_area_scope(user))
