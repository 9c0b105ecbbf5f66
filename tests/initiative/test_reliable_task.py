"""Every task gives up visibly: a task that fails for good leaves a TaskFailure row staff see."""

import pytest
from django.urls import reverse

from initiative.celery import ReliableTask, app
from initiative.models import TaskFailure

pytestmark = pytest.mark.django_db


@app.task(name="tests.always_fails", base=ReliableTask, bind=True)
def always_fails(self, deliverable_id: int):
    raise ValueError(f"cannot build {deliverable_id}")


def test_a_failed_task_is_recorded_and_shown_to_staff(client, staff):
    result = always_fails.apply(args=[7])
    assert result.failed()
    failure = TaskFailure.objects.get()
    assert failure.task_name == "tests.always_fails"
    assert failure.args == [7]
    assert "ValueError: cannot build 7" in failure.exception
    client.force_login(staff)
    dashboard = client.get(reverse("workstreams:staff-dashboard")).content.decode()
    assert "1 background task gave up after retrying" in dashboard
    assert "tests.always_fails" in client.get(reverse("consultations:task-failure-list")).content.decode()


def test_transient_errors_are_retried_not_recorded():
    assert OSError in always_fails.autoretry_for
    assert always_fails.acks_late and always_fails.reject_on_worker_lost
