"""This app's part of the public activity feed (rows shaped by `initiative.activity`): new versions,
consultations opened, decisions and publications, with the public's visibility."""

from django.db.models import F, QuerySet
from django.utils import timezone

from initiative.activity import activity_rows

from ..models import DraftVersion, Publication, Review
from ..models.approvals import Approval
from .search import paragraph_search_scope


def version_activity(*, workstream_id: int | None = None) -> QuerySet:
    """Versions the public may read: under a public consultation that has opened, and carrying no
    redacted word (the same scope as the public's search of draft text)."""
    anonymous = _anonymous()
    qs = DraftVersion.objects.filter(pk__in=paragraph_search_scope(user=anonymous).values("version_id"))
    return activity_rows(
        qs,
        workstream_id=workstream_id,
        kind="version",
        title="title",
        date="created_at",
        deliverable="deliverable_id",
        number=F("number"),
        ws="deliverable__workstream",
    )


def consultation_activity(*, workstream_id: int | None = None) -> QuerySet:
    qs = Review.objects.public().filter(opens_at__lte=timezone.now())
    return activity_rows(
        qs,
        workstream_id=workstream_id,
        kind="consultation",
        title="version__title",
        date="opens_at",
        deliverable="version__deliverable_id",
        number=F("version__number"),
        ws="version__deliverable__workstream",
    )


def decision_activity(*, workstream_id: int | None = None) -> QuerySet:
    qs = Approval.objects.decided()
    return activity_rows(
        qs,
        workstream_id=workstream_id,
        kind="decision",
        title="version__title",
        date="decided_at",
        deliverable="deliverable_id",
        number=F("version__number"),
        detail=F("decision"),
        ws="deliverable__workstream",
    )


def publication_activity(*, workstream_id: int | None = None) -> QuerySet:
    qs = Publication.objects.public()
    return activity_rows(
        qs,
        workstream_id=workstream_id,
        kind="publication",
        title="title",
        date="published_at",
        deliverable="deliverable_id",
        number=F("version__number"),
        ws="deliverable__workstream",
    )


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()
