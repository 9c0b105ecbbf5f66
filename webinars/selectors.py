"""Reads on webinars for pages and the CSV export; every count is one aggregate query."""

from django.db.models import Case, Count, Min, Q, QuerySet, Value, When
from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404
from django.utils import timezone

from initiative.models import StakeholderType
from initiative.spreadsheets import Column

from .models import Registration, Webinar


def webinar_list_upcoming(*, now=None) -> QuerySet[Webinar]:
    return Webinar.objects.upcoming(now).with_seat_counts().select_related("deliverable")


def webinar_list_past(*, now=None) -> QuerySet[Webinar]:
    return Webinar.objects.past(now).with_seat_counts().select_related("deliverable")


def webinar_get(*, slug: str) -> Webinar:
    return get_object_or_404(
        Webinar.objects.with_seat_counts().select_related(
            "deliverable", "deliverable__workstream", "consultation__version"
        ),
        slug=slug,
    )


def waitlist_position(registration: Registration) -> int | None:
    if registration.status != Registration.Status.WAITLISTED:
        return None
    return (
        Registration.objects.filter(webinar_id=registration.webinar_id)
        .waitlist()
        .filter(
            Q(waitlisted_at__lt=registration.waitlisted_at)
            | Q(waitlisted_at=registration.waitlisted_at, pk__lte=registration.pk)
        )
        .count()
    )


def registrant_list(*, webinar: Webinar, status: str = "") -> QuerySet[Registration]:
    """Registrants for staff: seats first, then the waitlist in order, then cancellations."""
    qs = Registration.objects.filter(webinar=webinar)
    if status:
        qs = qs.filter(status=status)
    rank = Case(
        When(status=Registration.Status.CONFIRMED, then=Value(0)),
        When(status=Registration.Status.WAITLISTED, then=Value(1)),
        default=Value(2),
    )
    return qs.order_by(rank, "waitlisted_at", "created_at", "pk")


REGISTRANT_COLUMNS = [
    Column("name", 26),
    Column("email", 30),
    Column("organization", 28),
    Column("stakeholder_type", 22),
    Column("status", 12),
    Column("registered_at", 18),
    Column("email_confirmed", 16),
    Column("attended", 10),
]


def registrant_rows(*, webinar: Webinar):
    """One typed row per registrant, in the list's order, for the shared spreadsheet writer."""
    labels = dict(StakeholderType.choices)
    for r in registrant_list(webinar=webinar).iterator(chunk_size=500):
        yield [
            r.name,
            r.email,
            r.organization,
            labels.get(r.stakeholder_type, r.stakeholder_type),
            r.status,
            r.created_at,
            r.email_confirmed_at is not None,
            r.attended,  # None (not recorded) stays empty
        ]


def registrant_summary(*, webinar: Webinar) -> dict:
    """Totals by status, and active registrants by stakeholder type and by organization."""
    active = Registration.objects.filter(webinar=webinar).active()
    totals = Registration.objects.filter(webinar=webinar).aggregate(
        confirmed=Count("pk", filter=Q(status=Registration.Status.CONFIRMED)),
        waitlisted=Count("pk", filter=Q(status=Registration.Status.WAITLISTED)),
        cancelled=Count("pk", filter=Q(status=Registration.Status.CANCELLED)),
        attended=Count("pk", filter=Q(attended=True)),
        email_confirmed=Count(
            "pk", filter=Q(email_confirmed_at__isnull=False, status=Registration.Status.CONFIRMED)
        ),
    )
    labels = dict(StakeholderType.choices)
    by_type = [
        {
            "type": row["stakeholder_type"],
            "label": labels.get(row["stakeholder_type"], row["stakeholder_type"]),
            "count": row["n"],
        }
        for row in active.values("stakeholder_type")
        .annotate(n=Count("pk"))
        .order_by("-n", "stakeholder_type")
    ]
    by_org = list(
        active.annotate(org=Lower("organization"))
        .values("org")
        .annotate(n=Count("pk"), name=Min("organization"))
        .order_by("-n", "org")[:50]
    )
    return {"totals": totals, "by_type": by_type, "by_organization": by_org, "now": timezone.now()}


def deliverable_has_held_webinar(deliverable, now=None) -> bool:
    """Whether a webinar presenting this deliverable (linked to it, or to one of its public
    consultations) has been held: not cancelled and already over. The review workflow asks this before
    a key deliverable goes to the steering committee."""
    now = now or timezone.now()
    return (
        Webinar.objects.past(now)
        .filter(Q(deliverable=deliverable) | Q(consultation__version__deliverable=deliverable))
        .exists()
    )


def webinar_activity(*, workstream_id: int | None = None) -> QuerySet[Webinar]:
    """Webinars as they are announced (rows shaped by `initiative.activity`): the slug is `a_detail`;
    `a_number` is 1 for a cancelled webinar, else 0."""
    from django.db.models import F, Value

    from initiative.activity import activity_rows

    return activity_rows(
        Webinar.objects.all(),
        workstream_id=workstream_id,
        kind="webinar",
        title="title",
        date="created_at",
        ws="deliverable__workstream",
        deliverable="deliverable_id",
        number=Case(When(status=Webinar.Status.CANCELLED, then=Value(1)), default=Value(0)),
        detail=F("slug"),
    )


def webinar_list(*, when: str = "", now=None) -> QuerySet[Webinar]:
    """The webinars the list page shows (scheduled ones; cancelled ones keep their own page), soonest
    first; `when` "upcoming" or "past" keeps one side."""
    now = now or timezone.now()
    qs = Webinar.objects.filter(status=Webinar.Status.SCHEDULED)
    if when == "upcoming":
        qs = qs.filter(ends_at__gt=now)
    elif when == "past":
        qs = qs.filter(ends_at__lte=now)
    return qs.with_seat_counts().select_related("deliverable__workstream").order_by("starts_at", "pk")


def registration_of(*, webinar: Webinar, user) -> Registration | None:
    """A signed-in person's registration for `webinar`: the one made with their account's address."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Registration.objects.filter(webinar=webinar, email__iexact=user.email).first()
