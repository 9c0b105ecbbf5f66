"""Permission matrix of the workstreams rules at work: every role × every permission, asserted both ways."""

import pytest

from initiative import policy
from tests.workstreams.factories import ActionItemFactory, RoundFactory, SessionFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "public_user", "participant", "staff", "committee_member"]

# permission → roles that hold it (on the participant's own workstream / own action item)
MATRIX = {
    "workstreams.manage_workstream": {"staff"},
    "workstreams.manage_deliverables": {"staff"},
    "workstreams.view_tracker": {"staff"},
    "workstreams.view_staff_dashboard": {"staff"},
    "workstreams.view_representation": {"staff"},
    "workstreams.vote_in_round": {"participant"},
    "workstreams.view_round": {"participant", "staff", "committee_member"},
    "workstreams.view_session_private": {"participant", "staff", "committee_member"},
    "workstreams.update_action_item": {"participant", "staff"},
    "workstreams.propose_topic": {"participant", "staff"},
    "workstreams.view_members_area": {"participant", "staff", "committee_member"},
    # every workstream's at once (the API's lists): not a participant, whose area is their own workstreams'
    "workstreams.view_every_members_area": {"staff", "committee_member"},
}


@pytest.fixture
def objects(workstream, participant):
    return {
        "workstreams.vote_in_round": RoundFactory(workstream=workstream),
        "workstreams.view_round": RoundFactory(workstream=workstream, status="closed"),
        "workstreams.view_session_private": SessionFactory(workstream=workstream),
        "workstreams.update_action_item": ActionItemFactory(workstream=workstream, owner=participant),
    }


@pytest.mark.parametrize("perm", sorted(MATRIX))
def test_permission_matrix(roles, workstream, objects, perm):
    obj = objects.get(perm, workstream)
    for role in ROLES:
        assert policy.can(roles[role], perm, obj) is (role in MATRIX[perm]), (perm, role)


def test_participant_of_another_workstream_holds_none_of_the_member_rights(objects):
    from tests.factories import EnrollmentFactory

    outsider = EnrollmentFactory().user
    for perm, obj in objects.items():
        assert not policy.can(outsider, perm, obj), perm


def test_a_feedback_provider_of_the_workstream_holds_none_of_the_members_area_rights(workstream, objects):
    """Enrolled, but the sessions' members' parts, rounds, ballots and action items are active members'."""
    from tests.factories import EnrollmentFactory
    from workstreams.models import ActionItem
    from workstreams.selectors import in_scope, members_area_scope

    feedback = EnrollmentFactory(workstream=workstream, role="feedback_provider").user
    for perm in (
        "workstreams.view_members_area",
        "workstreams.view_every_members_area",
        "workstreams.propose_topic",
    ):
        assert not policy.can(feedback, perm, workstream), perm
    for perm in ("workstreams.vote_in_round", "workstreams.view_round", "workstreams.view_session_private"):
        assert not policy.can(feedback, perm, objects[perm]), perm
    assert members_area_scope(feedback) == frozenset()
    assert not in_scope(ActionItem.objects.all(), members_area_scope(feedback)).exists()


def test_a_feedback_provider_is_refused_the_propose_topic_page_and_not_shown_its_link(client, workstream):
    """Candidate topics feed the rounds, which are active members': the link is not offered and the
    page refuses whoever types its address."""
    from django.urls import reverse

    from tests.factories import EnrollmentFactory

    client.force_login(EnrollmentFactory(workstream=workstream, role="feedback_provider").user)
    url = reverse("workstreams:topic-propose", args=[workstream.slug])
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "Hosting capacity", "description": "Maps."}).status_code == 403
    assert url not in client.get(workstream.get_absolute_url()).content.decode()


def test_participant_cannot_update_someone_elses_action_item(participant, workstream):
    item = ActionItemFactory(workstream=workstream)
    assert not policy.can(participant, "workstreams.update_action_item", item)


# Glossary: every role × every status, both ways ---------------------------------------------------------
GLOSSARY_MATRIX = {
    # permission → {status: roles that hold it}
    "workstreams.propose_term": {s: {"participant", "staff"} for s in ("any",)},
    "workstreams.revise_definition": {
        "proposed": {"participant", "staff"},
        "under_discussion": {"participant", "staff"},
        "agreed": {"staff"},
        "retired": {"staff"},
    },
    "workstreams.comment_on_term": {
        s: {"participant", "staff", "committee_member"}
        for s in ("proposed", "under_discussion", "agreed", "retired")
    },
    "workstreams.manage_glossary": {
        s: {"staff"} for s in ("proposed", "under_discussion", "agreed", "retired")
    },
}


@pytest.mark.parametrize("perm", sorted(GLOSSARY_MATRIX))
def test_glossary_permission_matrix(roles, perm):
    from workstreams.models import GlossaryTerm

    for status, holders in GLOSSARY_MATRIX[perm].items():
        term = None if status == "any" else GlossaryTerm(term="X", status=status)
        for role in ROLES:
            assert policy.can(roles[role], perm, term) is (role in holders), (perm, status, role)


def test_saving_a_self_assessment_is_for_regulators_and_utilities_by_type():
    from initiative.models import StakeholderType
    from tests.factories import OrganizationFactory, UserFactory

    for kind, allowed in [
        (StakeholderType.STATE_REGULATOR, True),
        (StakeholderType.IOU, True),
        (StakeholderType.COOPERATIVE_UTILITY, True),
        (StakeholderType.ISO_RTO, True),
        (StakeholderType.DER_DEVELOPER, False),
        (StakeholderType.CONSUMER_ADVOCATE, False),
    ]:
        member = UserFactory(organization=OrganizationFactory(type=kind))
        assert policy.can(member, "workstreams.save_assessment") is allowed, kind
    assert policy.can(
        UserFactory(stakeholder_type=StakeholderType.STATE_REGULATOR), "workstreams.save_assessment"
    )
    assert not policy.can(UserFactory(), "workstreams.save_assessment")
