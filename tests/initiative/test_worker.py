"""A real Celery worker, on the configured broker (Redis in CI), runs the tasks enqueued on commit."""

import time

import pytest
from django.core import mail

from workstreams.models import Invitation
from workstreams.services import workstreams as services

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def wait_for(predicate, seconds: float = 20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_invitation_email_is_sent_by_a_real_worker(celery_worker, staff, workstream):
    mail.outbox = []
    invitation, _ = services.invitation_create(actor=staff, workstream=workstream, email="worker@example.org")
    assert wait_for(lambda: Invitation.objects.get(pk=invitation.pk).sent_at is not None)
    assert [m.to for m in mail.outbox] == [["worker@example.org"]]
