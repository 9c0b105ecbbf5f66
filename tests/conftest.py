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
    """Forget this test process's cache keys. With Redis, `cache.clear()` is FLUSHDB, which would also
    wipe the other xdist process's keys and the Celery broker's queues on the same database (the
    real-worker tests depend on those), so only keys under this process's KEY_PREFIX are deleted."""
    backend = getattr(cache, "_cache", None)
    if backend is None or not hasattr(backend, "get_client"):
        cache.clear()
        return
    client = backend.get_client(write=True)
    keys = list(client.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


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
