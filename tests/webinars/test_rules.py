"""Permission matrix of the webinars rules: every role, asserted both ways."""

import pytest

from initiative import policy

from .factories import WebinarFactory

pytestmark = pytest.mark.django_db

STAFF_ONLY = ["webinars.manage_webinar", "webinars.view_registrants"]


@pytest.mark.parametrize("action", STAFF_ONLY)
def test_staff_only_rules(roles, action):
    webinar = WebinarFactory()
    for name, user in roles.items():
        assert policy.can(user, action, webinar) is (name == "staff"), name


def test_anyone_may_register(roles):
    for user in roles.values():
        assert policy.can(user, "webinars.register")
