"""This app's part of the public activity feed: rows of one shape (see `discovery.selectors.activity`)
for new versions, consultations opened, decisions and publications, with the public's visibility.

Each function returns a `values()` query set of annotations only (`a_*`), so the feed can `UNION ALL`
them and page through the union in the database."""

from django.db.models import CharField, F, IntegerField, QuerySet, Value
from django.utils import timezone

from ..models import DraftVersion, Publication, Review
from ..models.approvals import Approval
from .search import paragraph_search_scope

COLUMNS = (
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


def _shape(
    qs,
    *,
    workstream_id: int | None,
    kind: str,
    title: str,
    date: str,
    deliverable: str,
    number,
    detail=None,
    ws: str,
):
    """Narrows `qs` to one workstream when asked (through the same `ws` path the row names) and
    annotates it into the feed's columns."""
    if workstream_id:
        qs = qs.filter(**{f"{ws}_id": workstream_id})
    return qs.annotate(
        a_kind=Value(kind, output_field=CharField()),
        a_id=F("pk"),
        a_title=F(title),
        a_date=F(date),
        a_ws=F(f"{ws}_id"),
        a_ws_code=F(f"{ws}__code"),
        a_ws_name=F(f"{ws}__name"),
        a_deliv=F(deliverable),
        a_number=number if number is not None else Value(None, output_field=IntegerField()),
        a_detail=detail if detail is not None else Value("", output_field=CharField()),
    ).values(*COLUMNS)


def version_activity(*, workstream_id: int | None = None) -> QuerySet:
    """Versions the public may read: under a public consultation that has opened, and carrying no
    redacted word (the same scope as the public's search of draft text)."""
    anonymous = _anonymous()
    qs = DraftVersion.objects.filter(pk__in=paragraph_search_scope(user=anonymous).values("version_id"))
    return _shape(
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
    return _shape(
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
    return _shape(
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
    return _shape(
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
