"""Opening, extending and closing review windows (member reviews and public consultations).

These only manage the window. Moving the deliverable through its review stages is the workflow's job
(consultations.services.workflow), which calls these.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from initiative import audit, policy
from workstreams.models import Deliverable

from ..models import DraftVersion, Review


class ReviewError(Exception):
    pass


def review_open(
    *, actor, version: DraftVersion, kind: str, opens_at: datetime, closes_at: datetime, questions=()
) -> Review:
    """Schedule (or open at once, when `opens_at` is now or past) a review of one exact version.
    `questions`: the consultation's own questions, chosen among the workstream's (none: all of them)."""
    policy.require(actor, "consultations.manage_reviews", version.deliverable)
    questions = list(questions)
    if any(q.workstream_id != version.deliverable.workstream_id for q in questions):
        raise ReviewError("The questions must be the workstream's own.")
    if timezone.is_naive(opens_at) or timezone.is_naive(closes_at):
        raise ReviewError("Times must carry a time zone.")
    if closes_at <= opens_at:
        raise ReviewError("The closing time must be after the opening time.")
    if closes_at <= timezone.now():
        raise ReviewError("The closing time is already past.")
    with transaction.atomic():
        # lock the deliverable: one live window per deliverable, even with two staff clicking at once
        Deliverable.objects.select_for_update(no_key=True).filter(pk=version.deliverable_id).first()
        clash = Review.objects.filter(
            version__deliverable_id=version.deliverable_id,
            closed_at__isnull=True,
            closes_at__gt=timezone.now(),
        ).exists()
        if clash:
            raise ReviewError("This deliverable already has an open or scheduled review; close it first.")
        review = Review.objects.create(
            version=version,
            kind=kind,
            opens_at=opens_at,
            closes_at=closes_at,
            opened_by=actor if actor.is_authenticated else None,
        )
        review.questions.set(questions)
        audit.record(
            actor=actor,
            action="review.open",
            obj=review,
            after={
                "kind": kind,
                "opens_at": opens_at.isoformat(),
                "closes_at": closes_at.isoformat(),
                "questions": sorted(q.number for q in questions),
            },
        )
    return review


def review_extend(*, actor, review: Review, closes_at: datetime) -> Review:
    policy.require(actor, "consultations.manage_reviews", review.version.deliverable)
    with transaction.atomic():
        review = Review.objects.select_for_update(no_key=True).get(pk=review.pk)
        if review.closed_at is not None:
            raise ReviewError("A closed review cannot be extended; open a new one.")
        if closes_at <= review.closes_at:
            raise ReviewError("An extension must close later than the current closing time.")
        before = review.closes_at
        review.closes_at = closes_at
        review.save(update_fields=["closes_at"])
        audit.record(
            actor=actor,
            action="review.extend",
            obj=review,
            before={"closes_at": before.isoformat()},
            after={"closes_at": closes_at.isoformat()},
        )
    return review


def review_close(*, actor, review: Review, when: datetime | None = None) -> Review:
    """Close now (early), or record that the window has ended. Closing twice changes nothing.
    `actor=None` is the system (the sweep)."""
    if actor is not None:
        policy.require(actor, "consultations.manage_reviews", review.version.deliverable)
    now = when or timezone.now()
    with transaction.atomic():
        review = Review.objects.select_for_update(no_key=True).get(pk=review.pk)
        if review.closed_at is not None:
            return review
        review.closed_at = min(now, review.closes_at)
        review.save(update_fields=["closed_at"])
        if review.kind == Review.Kind.MEMBER_REVIEW and review.opens_at < review.closed_at:
            from workstreams.services.tracker import checkpoints_unanswered

            # asked workstreams that did not comment in this member review: no response
            checkpoints_unanswered(deliverable_id=review.version.deliverable_id)
        audit.record(
            actor=actor, action="review.close", obj=review, after={"closed_at": review.closed_at.isoformat()}
        )
    return review
