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
