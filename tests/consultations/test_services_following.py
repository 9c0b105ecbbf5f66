"""The consultations events reach the right people: a reply reaches the thread's authors (not the one
replying), a disposition reaches the comment's author, a new version reaches the workstream's members who
follow it and not a public follower of a members-only draft."""

import pytest
from django.core import mail

from consultations.models import Disposition
from consultations.services import comments as services
from initiative import notifications, outbox
from initiative.models import Notification, NotificationKind
from tests.consultations.factories import ReviewFactory, make_version
from tests.factories import BodyMembershipFactory, DeliverableFactory, EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def _titles_for(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("event__title", flat=True))


def test_a_reply_notifies_the_threads_authors_and_not_the_replier(
    eager_tasks, django_capture_on_commit_callbacks
):
    review = ReviewFactory()
    author, earlier, replier = (UserFactory(verified=True) for _ in range(3))
    parent = services.comment_create(actor=author, review=review, body="Define DERMS, please.")
    services.comment_reply(actor=earlier, parent=parent, body="Agreed.")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.comment_reply(actor=replier, parent=parent, body="It is defined in section 2.")
    event = Notification.objects.get(
        recipient=author, event__key=f"consultations.comment_reply:{reply.pk}"
    ).event
    assert event.kind == NotificationKind.COMMENT_REPLY and "section 2" in event.body
    assert Notification.objects.filter(event=event, recipient=earlier).exists()
    assert not Notification.objects.filter(event=event, recipient=replier).exists()
    outbox.sweep()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [author.email, earlier.email]
    )  # at once, by default


def test_a_disposition_notifies_the_comments_author(eager_tasks, django_capture_on_commit_callbacks, staff):
    review = ReviewFactory()
    author = UserFactory(verified=True)
    comment = services.comment_create(actor=author, review=review, body="Please define DERMS.")
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_dispose(
            actor=staff, comment=comment, disposition=Disposition.ACCEPTED, response="Defined in section 1."
        )
    (notification,) = Notification.objects.filter(recipient=author)
    assert notification.event.kind == NotificationKind.COMMENT_DISPOSITION
    assert "Accepted" in notification.event.title and notification.event.body == "Defined in section 1."
    assert not Notification.objects.filter(recipient=staff).exists()


def test_a_new_version_reaches_following_members_only(eager_tasks, django_capture_on_commit_callbacks):
    deliverable = DeliverableFactory()
    member = EnrollmentFactory(workstream=deliverable.workstream).user
    outsider = UserFactory(verified=True)
    for user in (member, outsider):
        notifications.subscription_create(
            user=user, target=f"workstreams.workstream:{deliverable.workstream_id}"
        )
    with django_capture_on_commit_callbacks(execute=True):
        version = make_version(deliverable=deliverable, change_note="First full draft")
    assert _titles_for(member) == [f"Version {version.number} of “{deliverable.title}” is posted"]
    assert _titles_for(outsider) == []  # a draft in member review is not theirs to read


def test_a_window_closing_within_48_hours_is_announced_once_per_end(eager_tasks):
    import datetime

    from django.utils import timezone

    from consultations.services import reviews as review_services
    from consultations.services.workflow import reviews_sweep
    from initiative.models import NotificationEvent

    review = ReviewFactory(closes_at=timezone.now() + datetime.timedelta(hours=30))
    far = ReviewFactory(closes_at=timezone.now() + datetime.timedelta(days=5))
    follower = UserFactory(verified=True)
    notifications.subscription_create(user=follower, target=f"consultations.review:{review.pk}")
    assert reviews_sweep()["closing"] == 1
    reviews_sweep()  # the next sweep, five minutes later: nothing new
    (event,) = NotificationEvent.objects.filter(kind=NotificationKind.REVIEW_CLOSING)
    assert f"consultations.review:{review.pk}" in event.targets and "closes within 48 hours" in event.title
    assert not NotificationEvent.objects.filter(key__contains=f"review_closing:{far.pk}:").exists()
    notifications.fan_out(event_id=event.pk)
    assert _titles_for(follower) == [event.title]
    # extended, then close again: a reminder for the new end
    review_services.review_extend(
        actor=BodyMembershipFactory(implementation_team=True).user,
        review=review,
        closes_at=review.closes_at + datetime.timedelta(hours=12),
    )
    reviews_sweep()
    assert NotificationEvent.objects.filter(kind=NotificationKind.REVIEW_CLOSING).count() == 2
