"""Shared fixtures: the loaded initiative, role fixtures (anonymous, public_user, participant, staff,
committee_member) and a cache cleared between tests."""

import pytest
from django.core.cache import cache

from tests.factories import (
    BodyMembershipFactory,
    EnrollmentFactory,
    UserFactory,
    WorkstreamFactory,
)


def _clear_own_cache():
    """Forget this process's cache keys only. `cache.clear()` on Redis is FLUSHDB: it would wipe the other
    xdist worker's rate-limit counters and the Celery queue of a running real-worker test."""
    from django.conf import settings

    prefix = settings.CACHES["default"].get("KEY_PREFIX")
    client_of = getattr(getattr(cache, "_cache", None), "get_client", None)
    if prefix and client_of:
        client = client_of(write=True)
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
    else:
        cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language (English): a request in Spanish leaves its language
    active in the thread, which would otherwise leak into the next test's factories and messages."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _clear_cache():
    _clear_own_cache()
    yield
    _clear_own_cache()


@pytest.fixture
def loaded_initiative(db):
    """The initiative loaded from the report's content, as `make run` loads it."""
    from workstreams.loader import load_initiative

    load_initiative()


@pytest.fixture
def anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


@pytest.fixture
def public_user(db):
    return UserFactory(verified=True)


@pytest.fixture
def workstream(db):
    return WorkstreamFactory()


@pytest.fixture
def participant(db, workstream):
    return EnrollmentFactory(workstream=workstream).user


@pytest.fixture
def staff(db):
    return BodyMembershipFactory(implementation_team=True).user


@pytest.fixture
def committee_member(db):
    return BodyMembershipFactory(steering_committee=True).user


@pytest.fixture
def roles(anonymous, public_user, participant, staff, committee_member):
    """Every role by name, for permission matrices."""
    return {
        "anonymous": anonymous,
        "public_user": public_user,
        "participant": participant,
        "staff": staff,
        "committee_member": committee_member,
    }


@pytest.fixture
def eager_tasks():
    """Run Celery tasks in-process as they are enqueued, for tests about a flow's effects (emails
    sent). Tests about the worker itself use a real worker instead (marked `worker`)."""
    from initiative.celery import app

    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker (in a thread, solo pool) on the configured broker — Redis in CI.

    The worker thread's database connection is closed after each task, so the test database can be
    dropped at the end of the run."""
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun
    from django.db import connections

    from initiative.celery import app

    def close_connections(**kwargs):
        connections.close_all()

    task_postrun.connect(close_connections, weak=False)
    try:
        with start_worker(
            app, perform_ping_check=False, pool="solo", loglevel="WARNING", shutdown_timeout=10
        ) as worker:
            yield worker
    finally:
        task_postrun.disconnect(close_connections)


@pytest.fixture
def private_cache(settings):
    """An empty local-memory cache of this test's own, for tests that count on a cache's exact state
    (rate-limit counters): database ids repeat across tests on SQLite, so a shared cache could hold a
    counter from an earlier test under the same key."""
    import uuid

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"t-{uuid.uuid4()}",
        }
    }
