"""This app's part of the public activity feed: rows shaped by `initiative.activity`."""

from django.db.models import F, QuerySet
from django.utils import timezone

from initiative.activity import activity_rows

from ..models import WorkingSession


def session_activity(*, workstream_id: int | None = None) -> QuerySet:
    """Sessions once they have started (not cancelled): their title and time are public."""
    qs = WorkingSession.objects.filter(starts_at__lte=timezone.now()).exclude(
        status=WorkingSession.Status.CANCELLED
    )
    return activity_rows(
        qs,
        workstream_id=workstream_id,
        kind="session",
        title="title",
        date="starts_at",
        ws="workstream",
        detail=F("kind"),
    )
