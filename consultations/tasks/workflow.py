"""Celery tasks of the review workflow. Thin: re-fetch by id, call a service or the delivery engine.

Every task is idempotent (delivery rows unique per recipient and event, `*_notified_at`/`rendered_at`
marks, sweeps that select by state), runs with late acknowledgement and is redelivered if its worker
dies; transient errors retry with exponential backoff and jitter, and a task that gives up leaves a
TaskFailure row that staff see on /staff/task-failures/.
"""

import logging

from celery import shared_task
from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from initiative import notifications, outbox
from initiative.celery import ReliableTask
from initiative.models import Body, NotificationKind
from initiative.selectors import current_members, member_emails

logger = logging.getLogger(__name__)


def _emails(qs) -> list[str]:
    return sorted({e.lower() for e in qs if e})


def _staff_emails() -> list[str]:
    return member_emails(Body.Kind.IMPLEMENTATION_TEAM)


def _committee_emails() -> list[str]:
    return member_emails(Body.Kind.STEERING_COMMITTEE)


def _follower_recipients(deliverable_id: int, *, kind: str) -> dict[str, dict]:
    """The deliverable's followers, but those who chose no email for this kind of notification."""
    from ..models import Follow

    follows = Follow.objects.filter(deliverable_id=deliverable_id).exclude(
        user_id__in=notifications.declined_email(kind)
    )
    return {
        email.lower(): {
            "unsubscribe_path": reverse("consultations:follow-unsubscribe", kwargs={"token": token}),
            "because": "follow",
            "language": language,  # the account's
        }
        for email, token, language in follows.values_list("user__email", "token", "user__language")
    }


def _review_context(ref: str) -> dict | None:
    from ..models import Review

    review = Review.objects.select_related("version__deliverable__workstream").filter(pk=int(ref)).first()
    if review is None:
        return None
    return {"review": review, "deliverable": review.version.deliverable, "version": review.version}


def _approval_context(ref: str) -> dict | None:
    from ..models import Approval

    approval = (
        Approval.objects.select_related("deliverable__workstream", "version").filter(pk=int(ref)).first()
    )
    if approval is None:
        return None
    return {"approval": approval, "deliverable": approval.deliverable}


def _open_vote_context(ref: str) -> dict | None:
    """A call to vote (or a reminder) for a vote decided since is not sent."""
    context = _approval_context(ref)
    return None if context is None or context["approval"].decided_at else context


# The outbox rebuilds each event's context from its reference when it sends (in this task or a sweep).
REVIEW_OPENED = outbox.register("consultations.review_opened", shared=_review_context).name
CONSULTATION_OPENED = outbox.register("consultations.consultation_opened", shared=_review_context).name
REVIEW_CLOSED = outbox.register("consultations.review_closed", shared=_review_context).name
VOTE_OPENED = outbox.register("consultations.vote_opened", shared=_open_vote_context).name
VOTE_REMINDER = outbox.register("consultations.vote_reminder", shared=_open_vote_context).name
DECISION = outbox.register("consultations.decision", shared=_approval_context).name


def review_closed_plan(*, review_id: int) -> str:
    """The staff notice of a closed review, planned in the transaction that closes it, and the
    followers' notification (staff who follow it have this notice as its email)."""
    from ..models import Review
    from ..services.following import review_window_notify

    event = outbox.plan(
        kind=REVIEW_CLOSED,
        ref=review_id,
        template="consultations_review_closed",
        recipients={e: {} for e in _staff_emails()},
    )
    review = Review.objects.select_related("version__deliverable").filter(pk=review_id).first()
    if review is not None:
        review_window_notify(review=review, what="closed", covered_by=event)
    return event


def vote_opened_plan(*, approval_id: int) -> str:
    """The committee's call to vote, planned in the transaction that opens the vote."""
    from ..models import Approval
    from ..services.following import vote_opened_notify

    event = outbox.plan(
        kind=VOTE_OPENED,
        ref=approval_id,
        template="consultations_vote_opened",
        recipients={e: {} for e in _committee_emails()},
    )
    approval = Approval.objects.select_related("deliverable").filter(pk=approval_id).first()
    if approval is not None:  # the call to vote is the notification's email
        committee = current_members(Body.Kind.STEERING_COMMITTEE).values_list("user_id", flat=True)
        vote_opened_notify(approval=approval, committee_ids=list(committee), covered_by=event)
    return event


def decision_plan(*, approval_id: int, deliverable_id: int) -> str:
    """The decision to the committee, staff and followers, planned in the transaction that decides."""
    recipients = _follower_recipients(deliverable_id, kind=NotificationKind.DECISION)
    for email in _committee_emails() + _staff_emails():
        recipients[email] = {}
    from ..models import Approval
    from ..services.following import decision_notify

    event = outbox.plan(
        kind=DECISION, ref=approval_id, template="consultations_decision", recipients=recipients
    )
    approval = Approval.objects.select_related("deliverable").filter(pk=approval_id).first()
    if approval is not None:  # whoever has the decision email has it as the notification's email
        decision_notify(approval=approval, covered_by=event)
    return event


def _fan_out(
    task, *, kind: str, ref: int, template: str = "", recipients: dict[str, dict] | None = None
) -> bool:
    """Plan the outbox rows and send a batch; continue in a fresh task after a batch; retry later while
    a crashed worker's claim is still leased (the outbox sweep would finish it anyway). True when every
    recipient has been sent the message. Without `recipients`, the rows were planned with the event."""
    event = outbox.event_key(kind, ref)
    if recipients is not None:
        outbox.plan(kind=kind, ref=ref, template=template, recipients=recipients)
    progress = outbox.deliver(event, limit=settings.NOTIFICATION_BATCH_PER_RUN)
    if progress.pending:
        task.apply_async(args=task.request.args, kwargs=task.request.kwargs)  # next batch, fresh visibility
        return False
    if progress.in_flight:
        raise task.retry(countdown=settings.NOTIFICATION_CLAIM_LEASE_SECONDS, max_retries=None)
    return True


def _review_opened_notify(review, *, covered_by: str) -> None:
    """The followers' notification of an opened window; the announcement planned just before is its
    email for whoever has one."""
    from ..services.following import review_window_notify

    review_window_notify(review=review, what="opened", covered_by=covered_by)


# What people follow in this app (see initiative.notifications): deliverables (their follows are
# `Follow` rows, with their own unsubscribe links) and review windows.
def _deliverable_get(ref: str, user):
    from workstreams.models import Deliverable

    return Deliverable.objects.filter(pk=int(ref)).first() if ref.isdigit() else None


def _deliverable_followers(ref: str):
    from ..models import Follow

    return Follow.objects.filter(deliverable_id=int(ref)).values("user_id")


def _review_get(ref: str, user):
    from initiative import policy

    from ..models import Review

    review = (
        Review.objects.select_related("version__deliverable").filter(pk=int(ref)).first()
        if ref.isdigit()
        else None
    )
    return review if review is not None and policy.can(user, "consultations.view_review", review) else None


notifications.register_target(
    "consultations.deliverable", get=_deliverable_get, followers=_deliverable_followers
)
notifications.register_target("consultations.review", get=_review_get)


@shared_task(name="consultations.notify_review_opened", bind=True, base=ReliableTask)
def notify_review_opened(self, review_id: int) -> bool:
    """Tell the workstream's participants, and the members of workstreams the deliverable asked for
    review (checkpoints), that a member review has opened."""
    from workstreams.models import Checkpoint, Enrollment

    from ..models import Review

    review = Review.objects.select_related("version__deliverable__workstream").filter(pk=review_id).first()
    if review is None or review.opened_notified_at or not review.is_open():
        return False
    deliverable = review.version.deliverable
    emails = _emails(
        Enrollment.objects.active()
        .filter(
            Q(workstream_id=deliverable.workstream_id)
            | Q(workstream_id__in=Checkpoint.objects.filter(deliverable=deliverable).values("workstream_id"))
        )
        .exclude(user_id__in=notifications.declined_email(NotificationKind.REVIEW_OPENED))
        .values_list("user__email", flat=True)
    )
    event = outbox.plan(
        kind=REVIEW_OPENED,
        ref=review.pk,
        template="consultations_member_review_opened",
        recipients={e: {} for e in emails},
    )
    _review_opened_notify(review, covered_by=event)
    done = _fan_out(self, kind=REVIEW_OPENED, ref=review.pk)
    if done:
        Review.objects.filter(pk=review.pk, opened_notified_at__isnull=True).update(
            opened_notified_at=timezone.now()
        )
    return done


@shared_task(name="consultations.notify_consultation_opened", bind=True, base=ReliableTask)
def notify_consultation_opened(self, review_id: int) -> bool:
    """Tell the deliverable's followers and the public list that a public consultation has opened."""
    from ..models import Review, Subscriber

    review = Review.objects.select_related("version__deliverable__workstream").filter(pk=review_id).first()
    if review is None or review.opened_notified_at or not review.is_open():
        return False
    deliverable = review.version.deliverable
    recipients = _follower_recipients(deliverable.pk, kind=NotificationKind.REVIEW_OPENED)
    for email, token, language in Subscriber.objects.active().values_list("email", "token", "language"):
        recipients[email.lower()] = {
            "unsubscribe_path": reverse("consultations:list-unsubscribe", kwargs={"token": token}),
            "because": "list",
            "language": language,
        }
    event = outbox.plan(
        kind=CONSULTATION_OPENED,
        ref=review.pk,
        template="consultations_consultation_opened",
        recipients=recipients,
    )
    _review_opened_notify(review, covered_by=event)
    done = _fan_out(self, kind=CONSULTATION_OPENED, ref=review.pk)
    if done:
        Review.objects.filter(pk=review.pk, opened_notified_at__isnull=True).update(
            opened_notified_at=timezone.now()
        )
    return done


@shared_task(name="consultations.notify_review_closed", bind=True, base=ReliableTask)
def notify_review_closed(self, review_id: int) -> bool:
    """Tell staff that a review or consultation has closed (and where its deliverable now stands)."""
    from ..models import Review

    review = Review.objects.select_related("version__deliverable__workstream").filter(pk=review_id).first()
    if review is None or review.closed_notified_at or review.closed_at is None:
        return False
    review_closed_plan(review_id=review.pk)  # planned already, unless enqueued before the outbox
    done = _fan_out(self, kind=REVIEW_CLOSED, ref=review.pk)
    if done:
        Review.objects.filter(pk=review.pk, closed_notified_at__isnull=True).update(
            closed_notified_at=timezone.now()
        )
    return done


@shared_task(name="consultations.notify_vote_opened", bind=True, base=ReliableTask)
def notify_vote_opened(self, approval_id: int) -> bool:
    from ..models import Approval

    approval = (
        Approval.objects.select_related("deliverable__workstream", "version").filter(pk=approval_id).first()
    )
    if approval is None or approval.decided_at:
        return False
    vote_opened_plan(approval_id=approval.pk)  # planned already, unless enqueued before the outbox
    return _fan_out(self, kind=VOTE_OPENED, ref=approval.pk)


@shared_task(name="consultations.remind_vote", bind=True, base=ReliableTask)
def remind_vote(self, approval_id: int) -> bool:
    """Remind sitting members who have not voted yet, once, before the deadline."""
    from initiative.models import Body, BodyMembership

    from ..models import Approval

    approval = (
        Approval.objects.select_related("deliverable__workstream", "version").filter(pk=approval_id).first()
    )
    if approval is None or approval.reminder_sent_at or not approval.accepts_votes():
        return False
    voted = set(approval.votes.values_list("member_id", flat=True))
    sat_then = BodyMembership.objects.current(on=timezone.localdate(approval.submitted_at)).filter(
        body__kind=Body.Kind.STEERING_COMMITTEE
    )
    emails = _emails(
        BodyMembership.objects.current()
        .filter(body__kind=Body.Kind.STEERING_COMMITTEE, user_id__in=sat_then.values("user_id"))
        .exclude(user_id__in=voted)
        .values_list("user__email", flat=True)
    )
    done = _fan_out(
        self,
        kind=VOTE_REMINDER,
        ref=approval.pk,
        template="consultations_vote_reminder",
        recipients={e: {} for e in emails},
    )
    if done:
        Approval.objects.filter(pk=approval.pk, reminder_sent_at__isnull=True).update(
            reminder_sent_at=timezone.now()
        )
    return done


@shared_task(name="consultations.send_decision", bind=True, base=ReliableTask)
def send_decision(self, approval_id: int) -> bool:
    """Send the committee's decision to the committee, staff and the deliverable's followers."""
    from ..models import Approval

    approval = (
        Approval.objects.select_related("deliverable__workstream", "version").filter(pk=approval_id).first()
    )
    if approval is None or approval.decided_at is None:
        return False
    decision_plan(approval_id=approval.pk, deliverable_id=approval.deliverable_id)  # idem
    return _fan_out(self, kind=DECISION, ref=approval.pk)


@shared_task(name="consultations.build_publication", bind=True, base=ReliableTask)
def build_publication(self, publication_id: int) -> bool:
    from ..services.publication import publication_render

    return publication_render(publication_id=publication_id)


@shared_task(name="consultations.sweep_reviews", bind=True, base=ReliableTask)
def sweep_reviews(self) -> dict:
    from ..services.workflow import reviews_sweep

    return reviews_sweep()


@shared_task(name="consultations.sweep_approvals", bind=True, base=ReliableTask)
def sweep_approvals(self) -> dict:
    from ..services.approvals import approvals_sweep

    return approvals_sweep()
