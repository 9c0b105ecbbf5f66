"""Notifications: one per person per event however often the fan-out runs, each person's choice of email
(none, at once, a daily digest) respected, a day's digest notifications gathered into one email, an email
that already tells of an event not doubled, and every email carrying a working unsubscribe link."""

import re

import pytest
from django.core import mail
from django.test import Client

from initiative import notifications, outbox
from initiative.models import (
    Delivery,
    EmailMode,
    Notification,
    NotificationEvent,
    NotificationKind,
    NotificationPreference,
    Subscription,
)
from initiative.tasks import fan_out_notification
from tests.factories import UserFactory, WorkstreamFactory

pytestmark = pytest.mark.django_db


def _raise(key="t:1", kind=NotificationKind.REVIEW_OPENED, **kw) -> NotificationEvent:
    kw.setdefault("title", f"Event {key}")
    kw.setdefault("url", "/consultations/")
    return notifications.event_raise(key=key, kind=kind, **kw)


def _send_all() -> None:
    while outbox.deliver(None).sent:
        pass


def test_fan_out_to_many_followers_writes_and_sends_once_when_the_task_runs_twice(eager_tasks):
    workstream = WorkstreamFactory()
    target = f"workstreams.workstream:{workstream.pk}"
    followers = [UserFactory() for _ in range(120)]
    Subscription.objects.bulk_create(Subscription(user=u, target=target) for u in followers)
    event = _raise(targets=[target])  # outside a transaction's capture: fan-out is a separate call here

    assert notifications.fan_out(event_id=event.pk, batch=50) == 120
    # a second, duplicate run from the start (a redelivered task that raced the first)
    NotificationEvent.objects.filter(pk=event.pk).update(cursor=0, fanned_out_at=None)
    fan_out_notification.apply(args=[event.pk])
    fan_out_notification.apply(args=[event.pk])  # and once more, after it finished: nothing to do
    _send_all()

    assert Notification.objects.filter(event=event).count() == 120
    assert (
        Delivery.objects.filter(event=outbox.event_key(notifications.NOTIFICATION, event.pk)).count() == 120
    )
    sent_to = sorted(m.to[0] for m in mail.outbox)
    assert sent_to == sorted(u.email for u in followers)  # each follower once, nobody twice


def test_the_actor_and_people_outside_the_audience_hear_nothing(eager_tasks):
    workstream = WorkstreamFactory()
    target = f"workstreams.workstream:{workstream.pk}"
    actor, outsider = UserFactory(), UserFactory()
    for user in (actor, outsider):
        notifications.subscription_create(user=user, target=target)
    event = _raise(targets=[target], actor=actor, audience=f"workstreams.members:{workstream.pk}")
    notifications.fan_out(event_id=event.pk)
    assert not Notification.objects.filter(event=event).exists()


def test_each_persons_choice_per_kind_is_respected(eager_tasks):
    none, immediate, digest, default = (UserFactory() for _ in range(4))
    kind = NotificationKind.COMMENT_REPLY
    notifications.preferences_save(user=none, choices={kind: EmailMode.NONE})
    notifications.preferences_save(user=immediate, choices={kind: EmailMode.IMMEDIATE})
    notifications.preferences_save(user=digest, choices={kind: EmailMode.DIGEST})
    notifications.preferences_save(user=default, choices={NotificationKind.DECISION: EmailMode.NONE})
    people = [none, immediate, digest, default]
    event = _raise(kind=kind, recipients=[u.pk for u in people])
    notifications.fan_out(event_id=event.pk)
    _send_all()

    # on the site: everyone
    assert set(Notification.objects.filter(event=event).values_list("recipient_id", flat=True)) == {
        u.pk for u in people
    }
    # by email now: the one who chose it, and the one left on the default (a reply: at once)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([immediate.email, default.email])
    mail.outbox.clear()
    notifications.digest_send()
    _send_all()
    assert [m.to[0] for m in mail.outbox] == [digest.email]  # the digest, later; "none" never


def test_a_daily_digest_gathers_the_days_events_into_one_email(eager_tasks):
    person = UserFactory()
    for kind in NotificationKind.values:
        NotificationPreference.objects.create(user=person, kind=kind, email=EmailMode.DIGEST)
    titles = [
        "Version 2 of “Interconnection” is posted",
        "Decision on “Hosting capacity”",
        "Published: “Roadmap”",
    ]
    for i, title in enumerate(titles):
        event = _raise(key=f"t:{i}", kind=NotificationKind.DECISION, title=title, recipients=[person.pk])
        notifications.fan_out(event_id=event.pk)
    _send_all()
    assert mail.outbox == []  # nothing at once

    assert notifications.digest_send() == 1
    assert notifications.digest_send() == 0  # a second run the same day finds nothing waiting
    _send_all()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [person.email] and "3 updates" in message.subject
    for title in titles:
        assert title in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith(
        "<http://testserver/notifications/unsubscribe/"
    )
    # the next day's event makes the next digest, not a second copy of this one
    event = _raise(key="t:next", kind=NotificationKind.DECISION, title="Next day", recipients=[person.pk])
    notifications.fan_out(event_id=event.pk)
    assert notifications.digest_send() == 1
    _send_all()
    assert (
        len(mail.outbox) == 2 and "Next day" in mail.outbox[1].body and titles[0] not in mail.outbox[1].body
    )


def test_an_email_that_already_tells_of_the_event_is_not_doubled(eager_tasks):
    covered, uncovered = UserFactory(), UserFactory()
    existing = outbox.plan(
        kind="consultations.decision",
        ref=99,
        template="consultations_decision",
        recipients={covered.email: {}},
    )
    event = _raise(recipients=[covered.pk, uncovered.pk], covered_by=existing)
    notifications.fan_out(event_id=event.pk)
    modes = dict(Notification.objects.filter(event=event).values_list("recipient_id", "email"))
    assert modes == {covered.pk: EmailMode.NONE, uncovered.pk: EmailMode.IMMEDIATE}


def test_the_unsubscribe_link_and_header_stop_that_kind_of_email(eager_tasks):
    person = UserFactory()
    event = _raise(kind=NotificationKind.COMMENT_REPLY, recipients=[person.pk])
    notifications.fan_out(event_id=event.pk)
    _send_all()
    (message,) = mail.outbox
    header = message.extra_headers["List-Unsubscribe"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = re.search(r"http://testserver(/notifications/unsubscribe/[^\s]+/)", message.body).group(1)
    assert header == f"<http://testserver{link}>"

    client = Client(enforce_csrf_checks=True)  # as a mail client posts: no session, no CSRF cookie
    page = client.get(link)
    assert page.status_code == 200 and b"Unsubscribe" in page.content
    done = client.post(link, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and b"Done" in done.content
    assert notifications.preferences_for(user=person)[NotificationKind.COMMENT_REPLY] == EmailMode.NONE
    assert notifications.preferences_for(user=person)[NotificationKind.DECISION] == EmailMode.IMMEDIATE

    mail.outbox.clear()
    later = _raise(key="t:later", kind=NotificationKind.COMMENT_REPLY, recipients=[person.pk])
    notifications.fan_out(event_id=later.pk)
    _send_all()
    assert mail.outbox == [] and Notification.objects.filter(event=later, recipient=person).exists()
    assert client.get("/notifications/unsubscribe/forged-token/").status_code == 404
