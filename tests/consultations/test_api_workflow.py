"""Moving a deliverable through the review workflow by the API: staff only (the table in
consultations/workflow.py is the one rule), answered with the deliverable's new place in the workflow;
refusals as problem documents (401 without credentials, 403, 404, 409 for a move the table forbids)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.models import DeliverableTransition
from tests.api_roles import ROLES, sign_in
from tests.consultations.factories_workflow import deliverable_at

pytestmark = pytest.mark.django_db


def _open_member_review() -> dict:
    return {
        "transition": "open_member_review",
        "closes_at": (timezone.now() + datetime.timedelta(days=5)).isoformat(),
    }


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_move_a_deliverable_and_staff_and_the_committee_read_its_workflow(client, role):
    deliverable = deliverable_at("drafting")
    sign_in(client, role, deliverable.workstream)
    url = reverse("api:deliverable-transitions", args=[deliverable.pk])
    read = client.get(url)
    assert read.status_code == {"anonymous": 401, "staff": 200, "committee": 200}.get(role, 403)
    moved = client.post(url, _open_member_review(), content_type="application/json")
    expected = {"anonymous": 401, "staff": 200}.get(role, 403)
    assert moved.status_code == expected, moved.content
    deliverable.refresh_from_db()
    if expected == 200:
        body = moved.json()
        assert body["stage"] == deliverable.stage == "member_review"
        assert body["history"][0]["to_stage"] == "member_review"
    else:
        assert moved["Content-Type"] == "application/problem+json"
        assert deliverable.stage == "drafting"
        assert not DeliverableTransition.objects.filter(
            deliverable=deliverable, to_stage="member_review"
        ).exists()


def test_an_illegal_move_is_a_conflict_and_an_unknown_deliverable_a_404(client, staff):
    deliverable = deliverable_at("drafting")
    client.force_login(staff)
    url = reverse("api:deliverable-transitions", args=[deliverable.pk])
    refused = client.post(url, {"to": "published"}, content_type="application/json")
    assert refused.status_code == 409 and refused["Content-Type"] == "application/problem+json"
    assert refused.json()["current"] == "drafting" and refused.json()["requested"] == "published"
    missing = client.post(
        reverse("api:deliverable-transitions", args=[deliverable.pk + 999]),
        _open_member_review(),
        content_type="application/json",
    )
    assert missing.status_code == 404
