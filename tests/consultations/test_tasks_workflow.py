"""The workflow's Celery tasks, run as plain calls: each sends one email per recipient however often
it runs, non-transactional mails carry an unsubscribe link and List-Unsubscribe headers, the sweep
closes what is due and moves deliverables on once, and a task that gives up leaves a visible record."""

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from consultations.models import DeliverableTransition, Follow, Review, Subscriber
from consultations.services import approvals as approval_services
from consultations.services import workflow as wf
from consultations.tasks import workflow as tasks
from initiative import outbox
from initiative.models import Delivery, TaskFailure
from tests.consultations.factories_workflow import committee, deliverable_at, staff_user
from tests.factories import EnrollmentFactory, UserFactory
from tests.oncommit import queued_tasks


def _recipients():
    return sorted(m.to[0] for m in mail.outbox)


@pytest.mark.django_db
def test_member_review_opened_tells_each_participant_once():
    deliverable = deliverable_at("member_review")
    people = [EnrollmentFactory(workstream=deliverable.workstream).user for _ in range(3)]
    review = Review.objects.get(version__deliverable=deliverable)
    assert tasks.notify_review_opened.run(review.pk) is True
    assert tasks.notify_review_opened.run(review.pk) is False  # redelivered: nothing more
    assert _recipients() == sorted(p.email for p in people)
    message = mail.outbox[0]
    assert message.alternatives[0][1] == "text/html" and "closes on" in message.body
    assert message.extra_headers["Message-ID"] == outbox.message_id(
        f"consultations.review_opened:{review.pk}", message.to[0]
    )
    review.refresh_from_db()
    assert review.opened_notified_at is not None


@pytest.mark.django_db
def test_consultation_opened_reaches_followers_and_the_list_once_with_unsubscribe(client):
    deliverable = deliverable_at("public_consultation")
    follower = UserFactory(verified=True)
    Follow.objects.create(user=follower, deliverable=deliverable)
    both = UserFactory(verified=True, email="both@example.org")
    Follow.objects.create(user=both, deliverable=deliverable)
    Subscriber.objects.create(email="both@example.org", confirmed_at=timezone.now())
    subscriber = Subscriber.objects.create(email="list@example.org", confirmed_at=timezone.now())
    Subscriber.objects.create(email="unconfirmed@example.org")
    Subscriber.objects.create(
        email="gone@example.org", confirmed_at=timezone.now(), unsubscribed_at=timezone.now()
    )
    review = Review.objects.get(version__deliverable=deliverable, kind="public_consultation")
    tasks.notify_consultation_opened.run(review.pk)
    Review.objects.filter(pk=review.pk).update(opened_notified_at=None)  # even if the mark were lost …
    tasks.notify_consultation_opened.run(review.pk)  # … the delivery rows stop a second email
    assert _recipients() == sorted(["both@example.org", "list@example.org", follower.email])
    to_list = next(m for m in mail.outbox if m.to == ["list@example.org"])
    path = f"/mailing-list/unsubscribe/{subscriber.token}/"
    assert to_list.extra_headers["List-Unsubscribe"] == f"<http://testserver{path}>"
    assert to_list.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert path in to_list.body and path in to_list.alternatives[0][0]
    # one-click unsubscribe (RFC 8058: a POST without our CSRF token)
    assert client.post(path).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is not None
    to_follower = next(m for m in mail.outbox if m.to == [follower.email])
    follow_path = f"/follows/unsubscribe/{Follow.objects.get(user=follower).token}/"
    assert follow_path in to_follower.body
    client.post(follow_path)
    assert not Follow.objects.filter(user=follower).exists()


@pytest.mark.django_db
def test_a_send_that_fails_leaves_the_row_pending_for_the_retry():
    deliverable = deliverable_at("member_review")
    EnrollmentFactory(workstream=deliverable.workstream)
    review = Review.objects.get(version__deliverable=deliverable)
    with mock.patch("initiative.emails.EmailMultiAlternatives.send", side_effect=OSError("SMTP down")):
        with pytest.raises(OSError):
            tasks.notify_review_opened.run(review.pk)
    assert Delivery.objects.get().status == "pending"
    tasks.notify_review_opened.run(review.pk)
    assert len(mail.outbox) == 1 and Delivery.objects.get().status == "sent"


@pytest.mark.django_db
def test_the_sweep_closes_due_reviews_moves_on_once_and_tells_staff(django_capture_on_commit_callbacks):
    deliverable = deliverable_at("public_consultation")
    review = Review.objects.get(version__deliverable=deliverable, kind="public_consultation")
    later = review.closes_at + datetime.timedelta(minutes=1)
    assert wf.reviews_sweep(now=review.closes_at - datetime.timedelta(minutes=1))["closed"] == 0
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = wf.reviews_sweep(now=later)
    assert result["closed"] == 1 and result["moved"] == 1 and callbacks
    deliverable.refresh_from_db()
    assert deliverable.stage == "revising"
    assert wf.reviews_sweep(now=later + datetime.timedelta(hours=1)) == {
        "closed": 0,
        "moved": 0,
        "announced": 0,
        "closing": 0,
    }
    assert DeliverableTransition.objects.filter(deliverable=deliverable, name="start_revising").count() == 1
    staff = staff_user()
    assert tasks.notify_review_closed.run(review.pk) is True
    assert tasks.notify_review_closed.run(review.pk) is False
    assert staff.email in _recipients() and len([m for m in mail.outbox if m.to == [staff.email]]) == 1


@pytest.mark.django_db
def test_the_sweep_leaves_a_key_deliverable_waiting_for_its_consultation():
    deliverable = deliverable_at("member_review", is_key=True)
    review = Review.objects.get(version__deliverable=deliverable)
    result = wf.reviews_sweep(now=review.closes_at)
    deliverable.refresh_from_db()
    assert result["closed"] == 1 and result["moved"] == 0 and deliverable.stage == "member_review"


@pytest.mark.django_db
def test_non_key_member_review_moves_to_revising_when_it_closes():
    deliverable = deliverable_at("member_review", is_key=False)
    review = Review.objects.get(version__deliverable=deliverable)
    wf.reviews_sweep(now=review.closes_at)
    deliverable.refresh_from_db()
    assert deliverable.stage == "revising"


@pytest.mark.django_db
def test_vote_reminder_goes_once_to_members_who_have_not_voted():
    members = committee(3)
    deliverable = deliverable_at("submitted", members=members)
    approval = deliverable.approvals.get()
    approval_services.approval_vote_cast(actor=members[0], approval=approval, choice="approve", reason="ok")
    assert tasks.remind_vote.run(approval.pk) is True
    assert tasks.remind_vote.run(approval.pk) is False
    assert _recipients() == sorted(m.email for m in members[1:])


@pytest.mark.django_db
def test_vote_reminder_skips_members_who_joined_after_the_vote_opened():
    """They may not vote in it (the quorum counts the members sitting then), so they are not reminded."""
    import time_machine

    from tests.factories import BodyMembershipFactory

    members = committee(3)
    deliverable = deliverable_at("submitted", members=members)
    approval = deliverable.approvals.get()
    newcomer = BodyMembershipFactory(
        steering_committee=True, starts_on=timezone.localdate() + datetime.timedelta(days=1)
    ).user
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):
        assert tasks.remind_vote.run(approval.pk) is True
    assert newcomer.email not in _recipients()
    assert _recipients() == sorted(m.email for m in members)


@pytest.mark.django_db
def test_decision_email_once_to_committee_staff_and_followers():
    members = committee(3)
    staff = staff_user()
    deliverable = deliverable_at("approved", members=members, staff=staff)
    follower = UserFactory(verified=True)
    Follow.objects.create(user=follower, deliverable=deliverable)
    approval = deliverable.approvals.get()
    tasks.send_decision.run(approval.pk)
    tasks.send_decision.run(approval.pk)
    recipients = _recipients()
    assert len(recipients) == len(set(recipients))
    assert {m.email for m in members} | {staff.email, follower.email} <= set(recipients)
    to_follower = next(m for m in mail.outbox if m.to == [follower.email])
    assert "Unsubscribe" in to_follower.body and "Approved" in to_follower.subject


@pytest.mark.django_db
def test_a_task_that_gives_up_leaves_a_failure_staff_can_see(client, staff):
    deliverable = deliverable_at("member_review")
    EnrollmentFactory(workstream=deliverable.workstream)
    review = Review.objects.get(version__deliverable=deliverable)
    with mock.patch("initiative.emails.EmailMultiAlternatives.send", side_effect=OSError("SMTP down")):
        result = tasks.notify_review_opened.apply(args=[review.pk], throw=False)
    assert result.failed()
    failure = TaskFailure.objects.get()
    assert failure.task_name == "consultations.notify_review_opened" and failure.args == [review.pk]
    assert "SMTP down" in failure.exception
    client.force_login(staff)
    page = client.get("/staff/task-failures/")
    assert page.status_code == 200 and b"consultations.notify_review_opened" in page.content


@pytest.mark.django_db
def test_a_window_scheduled_for_later_is_announced_by_the_sweep_once_it_opens(
    django_capture_on_commit_callbacks,
):
    from tests.consultations.factories import make_version
    from tests.factories import DeliverableFactory

    staff = staff_user()
    deliverable = DeliverableFactory()
    make_version(deliverable=deliverable, actor=staff)
    opens = timezone.now() + datetime.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        wf.deliverable_transition(
            actor=staff,
            deliverable=deliverable,
            name="open_member_review",
            opens_at=opens,
            closes_at=opens + datetime.timedelta(days=7),
        )
    assert queued_tasks(callbacks) == []  # nothing to announce yet
    assert wf.reviews_sweep(now=opens - datetime.timedelta(minutes=1))["announced"] == 0
    with django_capture_on_commit_callbacks(execute=False):
        assert wf.reviews_sweep(now=opens + datetime.timedelta(minutes=1))["announced"] == 1


@pytest.mark.django_db
def test_a_closed_review_notice_whose_task_is_lost_is_sent_by_the_outbox_sweep(
    django_capture_on_commit_callbacks,
):
    staff = staff_user()
    deliverable = deliverable_at("public_consultation")
    review = Review.objects.get(version__deliverable=deliverable, kind="public_consultation")
    with django_capture_on_commit_callbacks(execute=False):  # the worker that had the task died
        wf.reviews_sweep(now=review.closes_at + datetime.timedelta(minutes=1))
    assert mail.outbox == []
    assert outbox.sweep().sent >= 1
    sent = [(m.to[0], m.subject) for m in mail.outbox]
    assert len(sent) == len(set(sent))  # one per recipient and closed review
    assert (staff.email, f"Public consultation closed: {deliverable.title}") in sent
    assert outbox.sweep().sent == 0


@pytest.mark.django_db
def test_announcements_leave_out_whoever_chose_no_email_for_their_kind():
    """“A review or consultation opens” and “A decision is made” set to no email on the notifications
    page: the member-review, consultation and decision announcements skip that person."""
    from initiative import notifications
    from initiative.models import EmailMode, NotificationKind

    def decline(user, kind):
        notifications.preferences_save(user=user, choices={kind: EmailMode.NONE})

    deliverable = deliverable_at("member_review")
    keen, quiet = (EnrollmentFactory(workstream=deliverable.workstream).user for _ in range(2))
    decline(quiet, NotificationKind.REVIEW_OPENED)
    tasks.notify_review_opened.run(Review.objects.get(version__deliverable=deliverable).pk)
    assert _recipients() == [keen.email]

    mail.outbox.clear()
    deliverable = deliverable_at("public_consultation")
    keen, quiet = UserFactory(verified=True), UserFactory(verified=True)
    for user in (keen, quiet):
        Follow.objects.create(user=user, deliverable=deliverable)
    decline(quiet, NotificationKind.REVIEW_OPENED)
    decline(keen, NotificationKind.DECISION)  # another kind: no effect on this one
    review = Review.objects.get(version__deliverable=deliverable, kind="public_consultation")
    tasks.notify_consultation_opened.run(review.pk)
    assert _recipients() == [keen.email]

    mail.outbox.clear()
    deliverable = deliverable_at("approved", members=committee(3), staff=staff_user())
    keen, quiet = UserFactory(verified=True), UserFactory(verified=True)
    for user in (keen, quiet):
        Follow.objects.create(user=user, deliverable=deliverable)
    decline(quiet, NotificationKind.DECISION)
    tasks.send_decision.run(deliverable.approvals.get().pk)
    assert keen.email in _recipients() and quiet.email not in _recipients()
