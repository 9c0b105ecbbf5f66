"""The permission policy, rule by rule: every role asked, both ways."""

import pytest

from initiative import policy
from initiative.models import Body
from tests.factories import BodyMembershipFactory, EnrollmentFactory

pytestmark = pytest.mark.django_db

EXPECTED = {
    # permission: roles that may (all others may not)
    "initiative.view_audit_log": {"staff", "committee_member"},
    "initiative.view_staff_area": {"staff"},
    "initiative.manage_organizations": {"staff"},
    "initiative.manage_memberships": {"staff"},
    "initiative.view_account": {"public_user", "participant", "staff", "committee_member"},
    "workstreams.manage_workstream": {"staff"},
    "workstreams.invite_participant": {"staff"},
    "workstreams.view_invitations": {"staff"},
    "workstreams.view_members_area": {"participant", "staff", "committee_member"},
    "consultations.write_draft": {"staff"},
    "consultations.manage_reviews": {"staff"},
}


@pytest.mark.parametrize("permission", sorted(EXPECTED))
def test_permission_matrix(roles, workstream, permission):
    for name, user in roles.items():
        allowed = policy.can(user, permission, workstream)
        assert allowed == (name in EXPECTED[permission]), f"{name} × {permission}"


def test_members_area_is_per_workstream(participant, workstream):
    other = EnrollmentFactory().workstream
    assert policy.can(participant, "workstreams.view_members_area", workstream)
    assert not policy.can(participant, "workstreams.view_members_area", other)


def test_withdrawn_participant_loses_members_area(workstream):
    enrollment = EnrollmentFactory(workstream=workstream, status="withdrawn")
    assert not policy.can(enrollment.user, "workstreams.view_members_area", workstream)


def test_only_the_participant_may_withdraw_their_enrollment(roles, participant):
    enrollment = participant.enrollments.get()
    for name, user in roles.items():
        assert policy.can(user, "workstreams.withdraw_enrollment", enrollment) == (name == "participant"), (
            name
        )


def test_ended_term_no_longer_counts():
    import datetime

    from django.utils import timezone

    past = timezone.localdate() - datetime.timedelta(days=400)
    membership = BodyMembershipFactory(
        body=Body.objects.get_or_create(kind=Body.Kind.STEERING_COMMITTEE, defaults={"name": "SC"})[0],
        role="member",
        starts_on=past,
        ends_on=past + datetime.timedelta(days=30),
    )
    assert not policy.can(membership.user, "initiative.view_audit_log")


def test_require_raises_permission_denied(public_user):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        policy.require(public_user, "initiative.view_staff_area")
