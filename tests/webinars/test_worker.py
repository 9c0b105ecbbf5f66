"""With a real Celery worker on the configured broker (Redis in CI): a sign-up's email and a promotion's
invite are delivered by the worker after commit."""

import threading

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.contrib.auth.models import AnonymousUser
from django.core import mail

from initiative.celery import app
from webinars import services

from .factories import WebinarFactory


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_signup_email_and_promotion_invite_delivered_by_a_real_worker(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    done: dict[tuple, threading.Event] = {}

    def on_postrun(task=None, args=None, **kwargs):
        done.setdefault((task.name, *(args or ())[:1]), threading.Event()).set()  # keyed by registration id

    def wait_for(name: str, registration) -> None:
        key = (name, registration.pk)
        assert done.setdefault(key, threading.Event()).wait(timeout=30), f"{key} never ran"

    task_postrun.connect(on_postrun, weak=False)
    app.control.purge()
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            webinar = WebinarFactory(capacity=1)

            def signup(email):
                return services.registration_create(
                    actor=AnonymousUser(),
                    webinar_id=webinar.pk,
                    name="Ana",
                    email=email,
                    organization="",
                    stakeholder_type="other",
                    consent=True,
                ).registration

            first = signup("first@example.org")
            second = signup("second@example.org")
            wait_for("webinars.send_registration_email", first)
            wait_for("webinars.send_registration_email", second)
            services.registration_confirm_email(registration=second)
            services.registration_cancel(actor=None, registration=first)
            wait_for("webinars.send_invite", second)
            wait_for("webinars.send_registration_cancelled", first)
    finally:
        task_postrun.disconnect(on_postrun)
    subjects = {(m.to[0], m.subject.split(":")[0]) for m in mail.outbox}
    assert ("first@example.org", "Confirm your registration") in subjects
    assert ("second@example.org", "A seat opened for you") in subjects
    invite = next(m for m in mail.outbox if m.subject.startswith("A seat opened"))
    assert webinar.join_url in invite.body
