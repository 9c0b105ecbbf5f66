"""The permission policy, rule by rule: every role asked, both ways."""

import pytest

from initiative import policy
from initiative.models import Body
from tests.factories import BodyMembershipFactory, EnrollmentFactory, UserFactory

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


@pytest.fixture
def superuser(db):
    """A Django superuser who holds no seat, enrollment or other role in the initiative."""
    return UserFactory(verified=True, second_factor=True, is_staff=True, is_superuser=True)


def _one_object_of_each_kind(workstream):
    from tests.consultations.factories import CommentFactory, ReviewFactory, make_version
    from tests.factories import DeliverableFactory
    from tests.webinars.factories import WebinarFactory
    from tests.workstreams.factories import ActionItemFactory, RoundFactory, SessionFactory

    deliverable = DeliverableFactory(workstream=workstream)
    version = make_version(deliverable=deliverable)
    comment = CommentFactory(review=ReviewFactory(version=version, kind="member_review"))
    public_review = ReviewFactory(version=version)
    return [
        None,
        workstream,
        deliverable,
        comment,
        comment.review,
        comment.version,
        public_review,
        EnrollmentFactory(workstream=workstream),
        RoundFactory(workstream=workstream),
        SessionFactory(workstream=workstream),
        ActionItemFactory(workstream=workstream),
        WebinarFactory(),
    ]


def test_a_superuser_without_a_role_is_refused_everything_a_public_user_is_refused(
    public_user, superuser, workstream
):
    """Being a Django superuser opens the Django admin only: every product permission, on every kind of
    object, is decided from roles, so a superuser with no role may do exactly what a public user may."""
    import rules

    objects = _one_object_of_each_kind(workstream)
    asked = 0
    # Who must have a second factor is about the account, not a product permission: admin access
    # requires one.
    account_rules = {"initiative.require_second_factor"}
    for permission in sorted(set(rules.permissions.permissions) - account_rules):
        for obj in objects:
            try:
                expected = policy.can(public_user, permission, obj)
            except Exception:  # noqa: BLE001 - the rule is about another kind of object
                continue
            assert policy.can(superuser, permission, obj) is expected, (permission, obj)
            asked += 1
    assert asked > len(rules.permissions.permissions)
    for refused in (
        "consultations.moderate_comments",
        "consultations.close_approval",
        "consultations.view_unredacted",
        "initiative.view_audit_log",
    ):
        assert not policy.can(superuser, refused)


def test_a_superuser_without_a_role_sees_no_staff_page_but_opens_the_django_admin(client, superuser):
    client.force_login(superuser)
    assert client.get("/staff/audit/").status_code == 403
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/initiative/user/").status_code == 200


def test_a_deactivated_account_may_do_nothing(staff):
    staff.is_active = False
    assert not policy.can(staff, "initiative.view_staff_area")
