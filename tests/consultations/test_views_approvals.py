"""A steering-committee member's dashboard lists the votes open to them, and whether they voted."""

import pytest
from django.urls import reverse

from consultations.models import Approval
from consultations.services import approvals as svc
from tests.consultations.factories_workflow import committee, deliverable_at

pytestmark = pytest.mark.django_db


def test_committee_dashboard_lists_open_votes_and_my_vote(client, participant):
    members = committee(3)
    deliverable = deliverable_at("submitted", members=members)
    approval = Approval.objects.get(deliverable=deliverable)
    client.force_login(members[0])
    page = client.get(reverse("workstreams:my-dashboard")).content.decode()
    assert "Steering-committee votes open" in page
    assert reverse("consultations:approval-detail", args=[approval.pk]) in page
    assert "you have not voted yet" in page

    svc.approval_vote_cast(actor=members[0], approval=approval, choice="approve", reason="Ready.")
    page = client.get(reverse("workstreams:my-dashboard")).content.decode()
    assert "you voted “Approve”" in page

    client.force_login(participant)  # not on the committee: no such section
    assert (
        "Steering-committee votes open"
        not in client.get(reverse("workstreams:my-dashboard")).content.decode()
    )
