"""Reads on a workstream's lifecycle steps and its running report."""

from django.shortcuts import get_object_or_404

from ..models import (
    LifecycleStep,
    PrioritizationRound,
    RoundStatus,
    Workstream,
)


def workstream_for_report(*, slug: str) -> Workstream:
    return get_object_or_404(
        Workstream.objects.select_related("track", "lead").prefetch_related("steps"), slug=slug
    )


def step_get(*, slug: str, number: int) -> LifecycleStep:
    return get_object_or_404(
        LifecycleStep.objects.select_related("workstream"), workstream__slug=slug, number=number
    )


def deep_dive_agenda(workstream: Workstream) -> dict | None:
    """The ranked topics of the workstream's latest closed round: the agenda of its deep dives."""
    rnd = (
        PrioritizationRound.objects.filter(
            workstream=workstream, status=RoundStatus.CLOSED, result__isnull=False
        )
        .order_by("-closed_at")
        .first()
    )
    return {"round": rnd, **rnd.result} if rnd else None
