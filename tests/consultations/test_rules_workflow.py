"""Permission matrix of the workflow, approval and publication rules: every role, asserted both ways."""

import pytest

from initiative import policy
from tests.factories import BodyMembershipFactory

EXPECTED = {
    # rule: roles that have it
    "consultations.move_deliverable": {"staff"},
    "consultations.redact": {"staff"},
    "consultations.view_task_failures": {"staff"},
    "consultations.view_workflow": {"staff", "committee_member", "chair"},
    "consultations.view_approval": {"staff", "committee_member", "chair"},
    "consultations.view_unredacted": {"staff", "committee_member", "chair"},
    "consultations.vote_approval": {"committee_member", "chair"},
    "consultations.close_approval": {"chair"},
    "consultations.follow_deliverable": {"public_user", "participant", "staff", "committee_member", "chair"},
}


@pytest.mark.django_db
@pytest.mark.parametrize("rule", sorted(EXPECTED))
def test_rule_matrix(rule, roles):
    everyone = {**roles, "chair": BodyMembershipFactory(steering_committee=True, role="chair").user}
    for role, user in everyone.items():
        assert policy.can(user, rule) == (role in EXPECTED[rule]), (rule, role)
