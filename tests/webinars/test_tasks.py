"""Reminders a day and an hour before, from a sweep that can run any number of times; cancellation and
recording notices."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from icalendar import Calendar

from initiative import outbox
from initiative.models import Delivery
from webinars import services, tasks
from webinars.models import Notice

from .factories import RegistrationFactory, WebinarFactory

pytestmark = pytest.mark.django_db


def _reminders(mailoutbox):
    return [m for m in mailoutbox if m.subject.startswith("Reminder")]


def test_reminders_sent_once_each_when_the_sweep_runs_twice(mailoutbox):
    start = timezone.now() + datetime.timedelta(days=3)
    webinar = WebinarFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=1), capacity=2)
    seated = RegistrationFactory(webinar=webinar, email="seat@example.org")
    RegistrationFactory(webinar=webinar, email="unconfirmed@example.org", email_confirmed_at=None)
    RegistrationFactory(webinar=webinar, email="wait@example.org", status="waitlisted")
    RegistrationFactory(webinar=webinar, email="gone@example.org", status="cancelled")

    with time_machine.travel(start - datetime.timedelta(days=2), tick=False):
        assert tasks.reminders_send_due() == 0
    with time_machine.travel(start - datetime.timedelta(hours=23), tick=False):
        assert tasks.reminders_send_due() == 1
        assert tasks.reminders_send_due() == 0
    with time_machine.travel(start - datetime.timedelta(hours=20), tick=False):
        assert tasks.reminders_send_due() == 0
    with time_machine.travel(start - datetime.timedelta(minutes=55), tick=False):
        assert tasks.reminders_send_due() == 1
        assert tasks.reminders_send_due() == 0
    with time_machine.travel(start + datetime.timedelta(minutes=5), tick=False):
        assert tasks.reminders_send_due() == 0

    sent = _reminders(mailoutbox)
    assert [m.to for m in sent] == [["seat@example.org"], ["seat@example.org"]]
    assert "tomorrow" in sent[0].subject and "within the hour" in sent[1].subject
    for message in sent:
        assert webinar.join_url in message.body
        assert f"/webinars/registration/{services.registration_token(seated)}/cancel/" in message.body
    assert Delivery.objects.filter(kind="webinars.reminder", email=seated.email, status="sent").count() == 2


def test_moved_webinar_gets_reminders_for_its_new_time(staff, mailoutbox):
    start = timezone.now() + datetime.timedelta(hours=20)
    webinar = WebinarFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=1))
    RegistrationFactory(webinar=webinar)
    assert tasks.reminders_send_due() == 1
    services.webinar_update(actor=staff, webinar=webinar, starts_at=start + datetime.timedelta(hours=2))
    assert tasks.reminders_send_due() == 1  # the day-before reminder for the new time
    assert tasks.reminders_send_due() == 0


def test_cancelled_webinar_sends_no_reminders_and_tells_everyone_once(staff, mailoutbox):
    webinar = WebinarFactory(starts_at=timezone.now() + datetime.timedelta(hours=5))
    seat = RegistrationFactory(webinar=webinar, email="seat@example.org")
    RegistrationFactory(webinar=webinar, email="wait@example.org", status="waitlisted")
    services.webinar_cancel(actor=staff, webinar=webinar, reason="The draft is not ready.")
    assert tasks.reminders_send_due() == 0
    assert tasks.send_webinar_cancelled(webinar.pk) == 2
    assert tasks.send_webinar_cancelled(webinar.pk) == 0  # redelivered: nothing twice
    by_to = {m.to[0]: m for m in mailoutbox}
    assert "The draft is not ready." in by_to["seat@example.org"].body
    (part,) = [
        p for p in by_to["seat@example.org"].message().walk() if p.get_content_type() == "text/calendar"
    ]
    assert part.get_param("method") == "CANCEL"
    assert str(Calendar.from_ical(part.get_content())["METHOD"]) == "CANCEL"
    assert not by_to["wait@example.org"].attachments
    assert (
        f"/webinars/registration/{services.registration_token(seat)}/cancel/"
        in by_to["seat@example.org"].body
    )


def test_recording_sent_once_to_seat_holders_after_the_end(staff, mailoutbox):
    start = timezone.now() - datetime.timedelta(hours=3)
    webinar = WebinarFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=1))
    RegistrationFactory(webinar=webinar, email="seat@example.org")
    RegistrationFactory(webinar=webinar, email="wait@example.org", status="waitlisted")
    RegistrationFactory(webinar=webinar, email="never-confirmed@example.org", email_confirmed_at=None)
    assert tasks.reminders_send_due() == 0  # no recording yet
    webinar.starts_at = timezone.now() - datetime.timedelta(hours=3)
    services.webinar_update(actor=staff, webinar=webinar, recording_url="https://video.example.org/rec")
    assert tasks.reminders_send_due() == 1
    assert tasks.reminders_send_due() == 0
    (message,) = mailoutbox
    assert message.to == ["seat@example.org"] and "https://video.example.org/rec" in message.body


def test_invite_task_is_idempotent(mailoutbox):
    reg = RegistrationFactory()
    assert tasks.send_invite(reg.pk) is True
    assert tasks.send_invite(reg.pk) is False
    assert len(mailoutbox) == 1


def test_sweep_releases_seats_of_unconfirmed_addresses_to_the_waitlist_once(
    mailoutbox, eager_tasks, django_capture_on_commit_callbacks
):
    webinar = WebinarFactory(capacity=2, starts_at=timezone.now() + datetime.timedelta(days=10))
    long_ago = timezone.now() - datetime.timedelta(hours=49)
    stale = RegistrationFactory(
        webinar=webinar, email="stale@example.org", email_confirmed_at=None, created_at=long_ago
    )
    RegistrationFactory(webinar=webinar, email="fine@example.org", created_at=long_ago)
    recent = RegistrationFactory(
        webinar=webinar, email="recent@example.org", status="waitlisted", email_confirmed_at=None
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.sweep() == {"released": 1, "sent": 0}
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.sweep() == {"released": 0, "sent": 0}
    stale.refresh_from_db()
    recent.refresh_from_db()
    assert stale.status == "cancelled"
    assert recent.status == "confirmed"  # promoted, and has 48 hours from now to confirm
    by_to = {m.to[0]: m.subject for m in mailoutbox}
    assert by_to == {
        "stale@example.org": f"Seat released: {webinar.title}",
        "recent@example.org": f"A seat opened for you: {webinar.title}",
    }
    assert "within 48 hours" in next(m for m in mailoutbox if m.to == ["recent@example.org"]).body


def test_signup_email_is_sent_once_per_attempt_however_often_the_task_is_delivered(
    signup, eager_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    webinar = WebinarFactory(capacity=5)
    with django_capture_on_commit_callbacks() as callbacks:
        signup(webinar, "ana@example.org")
    (enqueue,) = callbacks
    enqueue()
    enqueue()  # the broker redelivers the same message (acks_late, worker lost)
    assert [m.to for m in mailoutbox] == [["ana@example.org"]]
    with django_capture_on_commit_callbacks() as callbacks:
        again = signup(webinar, "ANA@example.org")
    assert not again.created
    (enqueue,) = callbacks
    enqueue()
    enqueue()
    # the second sign-up attempt re-sends on purpose, once
    assert [m.subject.split(":")[0] for m in mailoutbox] == ["Confirm your registration"] * 2


@pytest.mark.django_db(transaction=True)
def test_no_transaction_is_open_while_an_email_is_sent_and_the_claim_is_committed(monkeypatch):
    from django.db import connection

    from initiative import emails

    reg = RegistrationFactory()
    seen = []

    def fake_send(**kwargs):
        notice = Notice.objects.get(registration=reg, kind="invite")
        seen.append((connection.in_atomic_block, notice.sent_at))

    monkeypatch.setattr(emails, "send", fake_send)
    assert tasks.send_invite(reg.pk) is True
    assert seen == [(False, None)]  # claimed and committed, not yet marked sent, no transaction held
    assert Notice.objects.get(registration=reg, kind="invite").sent_at is not None
    assert tasks.send_invite(reg.pk) is False
    assert len(seen) == 1


def test_a_failed_send_leaves_no_claim_so_the_retry_sends(monkeypatch, mailoutbox):
    import smtplib

    from initiative import emails

    reg = RegistrationFactory()
    real_send = emails.send

    def failing_send(**kwargs):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr(emails, "send", failing_send)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        tasks.send_invite(reg.pk)
    assert not Notice.objects.filter(registration=reg).exists()
    monkeypatch.setattr(emails, "send", real_send)
    assert tasks.send_invite(reg.pk) is True
    assert len(mailoutbox) == 1


def test_a_reminder_claimed_by_a_dead_worker_is_taken_over_once_its_lease_expires(mailoutbox, monkeypatch):
    start = timezone.now() + datetime.timedelta(hours=20)
    webinar = WebinarFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=1))
    RegistrationFactory(webinar=webinar, email="dead@example.org")
    RegistrationFactory(webinar=webinar, email="busy@example.org")
    with monkeypatch.context() as patched:
        patched.setattr(outbox, "deliver", lambda *args, **kwargs: outbox.Progress())  # planned, then died
        tasks.reminders_send_due()
    now = timezone.now()
    Delivery.objects.filter(email="dead@example.org").update(
        status="sending", claimed_at=now - datetime.timedelta(minutes=20)
    )
    Delivery.objects.filter(email="busy@example.org").update(
        status="sending", claimed_at=now
    )  # still sending
    assert tasks.reminders_send_due() == 1
    assert [m.to for m in mailoutbox] == [["dead@example.org"]]
    assert Delivery.objects.get(email="dead@example.org").status == "sent"
    assert tasks.reminders_send_due() == 0


def test_a_change_whose_task_never_runs_is_sent_by_the_outbox_sweep_and_only_for_the_latest_time(
    staff, mailoutbox, django_capture_on_commit_callbacks
):
    webinar = WebinarFactory(starts_at=timezone.now() + datetime.timedelta(days=5))
    RegistrationFactory(webinar=webinar, email="seat@example.org")
    RegistrationFactory(webinar=webinar, email="wait@example.org", status="waitlisted")
    RegistrationFactory(webinar=webinar, email="gone@example.org", status="cancelled")
    with django_capture_on_commit_callbacks(execute=False):  # the tasks are lost with their worker
        services.webinar_update(
            actor=staff, webinar=webinar, starts_at=webinar.starts_at + datetime.timedelta(hours=1)
        )
        webinar.refresh_from_db()
        services.webinar_update(
            actor=staff, webinar=webinar, starts_at=webinar.starts_at + datetime.timedelta(hours=1)
        )
    webinar.refresh_from_db()
    progress = outbox.sweep()
    assert (progress.sent, progress.skipped) == (2, 2)  # the first move's notices are stale
    assert sorted(m.to[0] for m in mailoutbox) == ["seat@example.org", "wait@example.org"]
    seat = next(m for m in mailoutbox if m.to == ["seat@example.org"])
    (invite,) = [p for p in seat.message().walk() if p.get_content_type() == "text/calendar"]
    assert f"SEQUENCE:{webinar.ics_sequence}" in invite.get_payload(decode=True).decode()
    assert outbox.sweep().sent == 0


def test_a_moved_webinar_is_one_email_and_one_notification_for_a_registrant_with_an_account(
    staff, mailoutbox, django_capture_on_commit_callbacks, eager_tasks
):
    from initiative.models import Notification, NotificationKind
    from tests.factories import UserFactory

    member = UserFactory(email="Member@Example.org")
    webinar = WebinarFactory(starts_at=timezone.now() + datetime.timedelta(days=5))
    RegistrationFactory(webinar=webinar, email="member@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.webinar_update(
            actor=staff, webinar=webinar, starts_at=webinar.starts_at + datetime.timedelta(hours=1)
        )
    outbox.sweep()
    (notification,) = Notification.objects.filter(recipient=member)
    assert notification.event.kind == NotificationKind.WEBINAR_CHANGED and notification.email == "none"
    assert [m.to for m in mailoutbox] == [["member@example.org"]]  # the notice with the invite, only
