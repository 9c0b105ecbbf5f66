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
