"""Periodic tasks: action-item reminders and the weekly digest send each message once, however often
they run, and a worker that dies after planning them leaves them to the outbox sweep; the digest
carries an unsubscribe link that works."""

import datetime
import re

import pytest
import time_machine
from django.utils import timezone

from initiative import outbox
from tests.factories import DeliverableFactory, UserFactory
from tests.workstreams.factories import ActionItemFactory
from workstreams import tasks
from workstreams.models import ActionItemReminder, DigestDelivery
from workstreams.services import sessions, tracker

pytestmark = pytest.mark.django_db


def run_reminders():
    """What the beat entry does, with the fan-out run inline."""
    return [
        sessions.action_item_remind(item_id=pk, kind=kind)
        for pk, kind in sessions.action_items_due_for_reminder()
    ]


def test_due_soon_and_overdue_reminders_are_sent_once(mailoutbox):
    today = timezone.localdate()
    soon = ActionItemFactory(due_date=today + datetime.timedelta(days=2))
    late = ActionItemFactory(due_date=today - datetime.timedelta(days=3))
    ActionItemFactory(due_date=today + datetime.timedelta(days=20))  # not yet
    ActionItemFactory(due_date=today - datetime.timedelta(days=3), status="done")  # finished
    assert sorted(run_reminders()) == [True, True]
    assert sorted(m.to[0] for m in mailoutbox) == sorted([soon.owner.email, late.owner.email])
    subjects = " ".join(m.subject for m in mailoutbox)
    assert "Action item due" in subjects and "Overdue action item (3 days late)" in subjects
    # Run again (and redeliver the same task): nothing more is sent.
    assert run_reminders() == []
    assert sessions.action_item_remind(item_id=late.pk, kind="overdue") is False
    assert len(mailoutbox) == 2
    assert ActionItemReminder.objects.count() == 2


def test_the_sweep_task_fans_out_only_what_is_due(
    mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(tasks.remind_action_item, "delay", lambda *a: sent.append(a))
    item = ActionItemFactory(due_date=timezone.localdate() + datetime.timedelta(days=1))
    assert tasks.send_action_item_reminders() == 1
    assert sent == [(item.pk, "due_soon")]
    tasks.remind_action_item(item.pk, "due_soon")
    sent.clear()
    assert tasks.send_action_item_reminders() == 0 and sent == []


def test_a_due_soon_item_gets_an_overdue_reminder_later_and_a_new_due_date_rearms(mailoutbox, staff):
    item = ActionItemFactory(due_date=timezone.localdate() + datetime.timedelta(days=1))
    run_reminders()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3)):
        run_reminders()
        run_reminders()
    assert [m.subject.split(":")[0] for m in mailoutbox] == [
        "Action item due " + item.due_date.strftime("%b %-d"),
        "Overdue action item (2 days late)",
    ]
    sessions.action_item_set_due(
        actor=staff, item=item, due_date=timezone.localdate() + datetime.timedelta(days=2)
    )
    run_reminders()
    assert len(mailoutbox) == 3


def test_weekly_digest_once_per_owner_per_week_with_unsubscribe(client, mailoutbox):
    today = timezone.localdate()
    owner = UserFactory()
    DeliverableFactory(owner=owner, title="Late report", due_date=today - datetime.timedelta(days=5))
    DeliverableFactory(owner=owner, title="Soon report", due_date=today + datetime.timedelta(days=5))
    DeliverableFactory(
        owner=owner, title="Published report", due_date=today - datetime.timedelta(days=5), stage="published"
    )
    ActionItemFactory(owner=owner, description="Late action", due_date=today - datetime.timedelta(days=1))
    idle = UserFactory()
    DeliverableFactory(owner=idle, due_date=today + datetime.timedelta(days=90))

    assert tracker.digest_recipients() == [owner.pk]
    assert tracker.digest_send(user_id=owner.pk) is True
    assert tracker.digest_send(user_id=owner.pk) is False  # redelivered: not twice
    assert tracker.digest_recipients() == []
    assert tracker.digest_send(user_id=idle.pk) is False  # nothing due: nothing sent
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.subject == "Your week in the DER initiative: 2 late, 1 due soon"
    assert "Late report" in mail.body and "Soon report" in mail.body and "Late action" in mail.body
    assert "Published report" not in mail.body
    assert mail.alternatives and "Unsubscribe" in mail.alternatives[0][0]
    assert mail.extra_headers["List-Unsubscribe"].startswith("<http://testserver/digest/unsubscribe/")

    path = re.search(r"http://testserver(/digest/unsubscribe/[^\s]+)", mail.body).group(1)
    assert client.get(path).status_code == 200
    client.post(path)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=7)):
        assert tracker.digest_recipients() == []
        assert tracker.digest_send(user_id=owner.pk) is False
    assert DigestDelivery.objects.count() == 1


def test_forged_unsubscribe_link_is_refused(client):
    assert client.post("/digest/unsubscribe/not-a-token/").status_code == 400


def test_digest_sweep_task(monkeypatch):
    sent = []
    monkeypatch.setattr(tasks.send_deliverable_digest, "delay", lambda *a: sent.append(a))
    owner = UserFactory()
    DeliverableFactory(owner=owner, due_date=timezone.localdate())
    assert tasks.send_deliverable_digests() == 1 and sent == [(owner.pk,)]


class WorkerDied(BaseException):
    """Stands for SIGKILL: nothing after it runs in this process."""


def test_a_reminder_and_a_digest_whose_worker_died_after_planning_are_sent_by_the_outbox_sweep(
    mailoutbox, monkeypatch
):
    today = timezone.localdate()
    item = ActionItemFactory(due_date=today + datetime.timedelta(days=2))
    owner = UserFactory()
    DeliverableFactory(owner=owner, due_date=today - datetime.timedelta(days=5))

    def die(*args, **kwargs):
        raise WorkerDied

    monkeypatch.setattr(outbox, "deliver", die)
    with pytest.raises(WorkerDied):
        sessions.action_item_remind(item_id=item.pk, kind="due_soon")
    with pytest.raises(WorkerDied):
        tracker.digest_send(user_id=owner.pk)
    monkeypatch.undo()
    # the periodic selections see both as done, so only the outbox can still send them
    assert run_reminders() == [] and owner.pk not in tracker.digest_recipients()
    assert mailoutbox == []
    assert outbox.sweep().sent == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted([item.owner.email, owner.email])
    assert outbox.sweep().sent == 0
