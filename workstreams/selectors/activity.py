"""This app's part of the public activity feed: rows shaped as `consultations.selectors.activity`."""

from django.db.models import CharField, F, IntegerField, QuerySet, Value
from django.utils import timezone

from ..models import WorkingSession


def session_activity(*, workstream_id: int | None = None) -> QuerySet:
    """Sessions once they have started (not cancelled): their title and time are public."""
    qs = WorkingSession.objects.filter(starts_at__lte=timezone.now()).exclude(
        status=WorkingSession.Status.CANCELLED
    )
    if workstream_id:
        qs = qs.filter(workstream_id=workstream_id)
    return qs.annotate(
        a_kind=Value("session", output_field=CharField()),
        a_id=F("pk"),
        a_title=F("title"),
        a_date=F("starts_at"),
        a_ws=F("workstream_id"),
        a_ws_code=F("workstream__code"),
        a_ws_name=F("workstream__name"),
        a_deliv=Value(None, output_field=IntegerField()),
        a_number=Value(None, output_field=IntegerField()),
        a_detail=F("kind"),
    ).values(
        "a_kind",
        "a_id",
        "a_title",
        "a_date",
        "a_ws",
        "a_ws_code",
        "a_ws_name",
        "a_deliv",
        "a_number",
        "a_detail",
    )
