"""Reads on review windows for the entry points: what is open for a participant's review, and each open
consultation's progress for staff. A fixed number of queries whatever the number of reviews."""

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from initiative import policy
from workstreams.models import Enrollment, IllustrativeQuestion
from workstreams.rules import enrolled_workstream_ids

from ..models import Flag, Review


def review_list_open_for(*, user, now=None) -> QuerySet[Review]:
    """Review windows open now on drafts of the user's workstreams (member reviews and public
    consultations alike) and member reviews their workstreams were asked to join (checkpoints),
    soonest to close first, each with `my_comment_count`: the comments (replies included) the user has
    left there."""
    from workstreams.models import Checkpoint, ReviewStage

    workstreams = Enrollment.objects.active().filter(user=user).values("workstream_id")
    # and member reviews of deliverables that asked one of the user's workstreams for review
    asked = Checkpoint.objects.filter(
        workstream_id__in=workstreams, deliverable__stage=ReviewStage.MEMBER_REVIEW
    ).values("deliverable_id")
    return (
        Review.objects.open_at(now or timezone.now())
        .filter(
            Q(version__deliverable__workstream_id__in=workstreams)
            | Q(kind=Review.Kind.MEMBER_REVIEW, version__deliverable_id__in=asked)
        )
        .select_related("version__deliverable__workstream")
        .annotate(my_comment_count=Count("comments", filter=Q(comments__author=user)))
        .order_by("closes_at", "pk")
    )


def review_list_open_with_progress(*, now=None) -> QuerySet[Review]:
    """Every review window open now, each with `comment_count` and `answered_count` (with a disposition),
    counted as the matrix counts its rows: visible top-level comments, a campaign once."""
    top = Q(comments__parent__isnull=True, comments__hidden_at__isnull=True) & (
        Q(comments__campaign__isnull=True) | Q(comments__campaign__representative_id=F("comments__pk"))
    )
    return (
        Review.objects.open_at(now or timezone.now())
        .select_related("version__deliverable__workstream")
        .annotate(
            comment_count=Count("comments", filter=top),
            answered_count=Count("comments", filter=top & ~Q(comments__disposition="")),
        )
        .order_by("closes_at", "pk")
    )


def flagged_comment_count() -> int:
    """How many comments wait in the moderation queue: those with at least one unresolved flag."""
    return Flag.objects.filter(resolved_at__isnull=True).values("comment_id").distinct().count()


def review_list_visible(*, user) -> QuerySet[Review]:
    """The reviews `consultations.view_review` lets `user` see, said as a query (the IDOR defence of the
    API's lists): public consultations for everyone; member reviews for the workstream's participants,
    and every review for the implementation team and the steering committee (`view_workflow`)."""
    qs = Review.objects.select_related("version__deliverable__workstream")
    if not policy.can(user, "consultations.view_workflow"):
        qs = qs.filter(
            Q(kind=Review.Kind.PUBLIC_CONSULTATION)
            | Q(version__deliverable__workstream_id__in=list(enrolled_workstream_ids(user)))
        )
    return qs.order_by("-opens_at", "-pk")


def offered_questions_map(reviews) -> dict[int, list[IllustrativeQuestion]]:
    """`Review.offered_questions()` for many reviews in two queries: each review's chosen questions, else
    its workstream's illustrative questions."""
    reviews = list(reviews)
    through = Review.questions.through
    chosen: dict[int, list[IllustrativeQuestion]] = {}
    rows = (
        through.objects.filter(review_id__in=[r.pk for r in reviews])
        .select_related("illustrativequestion")
        .order_by("illustrativequestion__workstream", "illustrativequestion__number")
    )
    for row in rows:
        chosen.setdefault(row.review_id, []).append(row.illustrativequestion)
    workstream_ids = {r.version.deliverable.workstream_id for r in reviews if r.pk not in chosen}
    by_workstream: dict[int, list[IllustrativeQuestion]] = {}
    if workstream_ids:
        for q in IllustrativeQuestion.objects.filter(workstream_id__in=workstream_ids):
            by_workstream.setdefault(q.workstream_id, []).append(q)
    return {
        r.pk: chosen.get(r.pk) or by_workstream.get(r.version.deliverable.workstream_id, []) for r in reviews
    }
