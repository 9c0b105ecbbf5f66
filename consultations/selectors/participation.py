"""The participation record: for each participant and each participating organization, the working
sessions attended, the reviews commented on, the ballots cast and the endorsements given. It lives here
because it reads every app below (sessions and ballots in `workstreams`, comments and endorsements
here). Counts are correlated subqueries, so a page costs a fixed number of queries."""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from initiative.models import Organization, User
from workstreams.models import Ballot, Enrollment, WorkingSession

from ..models import Comment, Endorsement


def _count(qs, field="pk"):
    """A correlated COUNT subquery (0 when none)."""
    return Coalesce(
        Subquery(
            qs.order_by().values("_g").annotate(n=Count(field, distinct=True)).values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def participant_record():
    """Everyone with an enrollment (active now or withdrawn), with their participation counts."""
    from django.db.models import Value

    attended = WorkingSession.attendees.through.objects.filter(
        user_id=OuterRef("pk"), workingsession__status=WorkingSession.Status.HELD
    ).annotate(_g=Value(1))
    commented = Comment.objects.filter(author_id=OuterRef("pk")).annotate(_g=Value(1))
    ballots = Ballot.objects.filter(voter_id=OuterRef("pk")).annotate(_g=Value(1))
    endorsements = Endorsement.objects.filter(recorded_by_id=OuterRef("pk")).annotate(_g=Value(1))
    return (
        User.objects.filter(pk__in=Enrollment.objects.values("user_id"))
        .select_related("organization")
        .annotate(
            active_enrollments=Count("enrollments", filter=Q(enrollments__status="active"), distinct=True),
            n_sessions=_count(attended),
            n_reviews=_count(commented, "review_id"),
            n_ballots=_count(ballots),
            n_endorsements=_count(endorsements),
        )
        .order_by("full_name", "email")
    )


def organization_record():
    """Every organization with an enrollment, with its people's participation and its endorsements."""
    from django.db.models import Value

    attended = WorkingSession.attendees.through.objects.filter(
        user__organization_id=OuterRef("pk"), workingsession__status=WorkingSession.Status.HELD
    ).annotate(_g=Value(1))
    commented = Comment.objects.filter(
        Q(organization_id=OuterRef("pk")) | Q(author__organization_id=OuterRef("pk"))
    ).annotate(_g=Value(1))
    ballots = Ballot.objects.filter(voter__organization_id=OuterRef("pk")).annotate(_g=Value(1))
    endorsements = Endorsement.objects.filter(organization_id=OuterRef("pk")).annotate(_g=Value(1))
    return (
        Organization.objects.filter(pk__in=Enrollment.objects.values("organization_id"))
        .annotate(
            active_enrollments=Count("enrollments", filter=Q(enrollments__status="active"), distinct=True),
            n_sessions=_count(attended),
            n_reviews=_count(commented, "review_id"),
            n_ballots=_count(ballots),
            n_endorsements=_count(endorsements),
        )
        .order_by("name")
    )
