"""The closing sweep and a reminder through a real Celery worker on the configured broker."""

import datetime
import threading
from collections import deque

import pytest
from celery.signals import task_postrun
from django.utils import timezone

from tests.workstreams.factories import ActionItemFactory, RoundFactory


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_closes_a_past_due_round_and_sends_a_reminder_once(mailoutbox):
    from celery.contrib.testing.worker import start_worker

    from initiative.celery import app
    from workstreams import tasks
    from workstreams.models import ActionItemReminder, PrioritizationRound

    rnd = RoundFactory()
    PrioritizationRound.objects.filter(pk=rnd.pk).update(
        opens_at=timezone.now() - datetime.timedelta(days=2),
        closes_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    item = ActionItemFactory(due_date=timezone.localdate() - datetime.timedelta(days=2))

    # The worker runs in a thread of this process: its task_postrun signal tells us when a task is done
    # (there is no result backend), so the test waits on an event, never sleeps.
    done: deque = deque()
    finished = threading.Event()

    def on_postrun(sender=None, task_id=None, retval=None, **kwargs):
        done.append((sender.name, retval))
        finished.set()

    task_postrun.connect(on_postrun, weak=False)

    def run(signature):
        signature.delay()
        while True:  # skip anything else the worker happens to run
            finished.clear()
            while done:
                name, retval = done.popleft()
                if name == signature.task:
                    return name, retval
            assert finished.wait(timeout=30), "the worker did not run the task"

    app.control.purge()  # this test's broker database only: drop leftovers of earlier runs
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
            assert run(tasks.close_rounds.s()) == ("workstreams.close_rounds", 1)
            assert run(tasks.remind_action_item.s(item.pk, "overdue")) == (
                "workstreams.remind_action_item",
                True,
            )
            assert run(tasks.remind_action_item.s(item.pk, "overdue")) == (
                "workstreams.remind_action_item",
                False,
            )
    finally:
        task_postrun.disconnect(on_postrun)
    rnd.refresh_from_db()
    assert rnd.status == "closed" and rnd.result["ballots"] == 0
    assert ActionItemReminder.objects.filter(action_item=item).count() == 1
    assert len(mailoutbox) == 1
