"""The people an API refusal matrix asks as, and a query-count helper for "flat in the number of rows".

Roles: anonymous, a signed-in member of the public, a participant of another workstream, a participant
(active member) of the workstream under test, implementation staff, a steering-committee member, and a
Django superuser who holds no role on the initiative (the policy gives `is_superuser` nothing); and,
where asked (`WITH_FEEDBACK_PROVIDER`), a feedback provider of the workstream under test."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import BodyMembershipFactory, EnrollmentFactory, UserFactory, WorkstreamFactory

ROLES = ("anonymous", "public", "other_participant", "participant", "staff", "committee", "superuser")

# Who may see a workstream's members' area (rounds, meeting links, minutes, action items).
MEMBERS = {"participant", "staff", "committee"}
# With a feedback provider of the workstream under test: enrolled, but outside its members' area.
WITH_FEEDBACK_PROVIDER = (*ROLES, "feedback_provider")


def person(role: str, workstream):
    """A user in `role` with respect to `workstream` (None for anonymous)."""
    if role == "anonymous":
        return None
    if role == "public":
        return UserFactory(verified=True)
    if role == "other_participant":
        return EnrollmentFactory(workstream=WorkstreamFactory()).user
    if role == "participant":
        return EnrollmentFactory(workstream=workstream).user
    if role == "feedback_provider":
        return EnrollmentFactory(workstream=workstream, role="feedback_provider").user
    if role == "staff":
        return BodyMembershipFactory(implementation_team=True).user
    if role == "committee":
        return BodyMembershipFactory(steering_committee=True).user
    if role == "superuser":
        return UserFactory(verified=True, second_factor=True, is_superuser=True, is_staff=True)
    raise ValueError(role)


def sign_in(client, role: str, workstream):
    """Sign `client` in as a new person in `role` (session authentication) and return them."""
    user = person(role, workstream)
    if user is not None:
        client.force_login(user)
    return user


def queries(client, url: str) -> int:
    """How many queries one GET of `url` makes (the answer must be 200), once the caches are warm (the
    reader's roles, kept in the shared cache after the first request)."""
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)
