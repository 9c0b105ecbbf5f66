import pytest

from initiative.celery import app as celery_app


@pytest.fixture
def eager_tasks():
    """Run tasks enqueued with delay_on_commit inline (with django_capture_on_commit_callbacks(execute=True)
    or in transactional tests), so their emails land in mailoutbox. Real-worker behaviour is covered by
    the tests marked `worker`."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def signup():
    """Call the sign-up service with sensible defaults."""
    from django.contrib.auth.models import AnonymousUser

    from webinars import services

    def _signup(webinar, email, **kwargs):
        values = {
            "name": email.split("@")[0].title(),
            "organization": "Bayview Electric",
            "stakeholder_type": "iou",
            "consent": True,
            **kwargs,
        }
        return services.registration_create(
            actor=AnonymousUser(), webinar_id=webinar.pk, email=email, **values
        )

    return _signup
