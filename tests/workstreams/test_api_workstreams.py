"""A workstream's lifecycle steps through the API: public, in order, with dates and report sections."""

import pytest
from django.urls import reverse

from tests.api_roles import ROLES, sign_in
from tests.factories import WorkstreamFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_lifecycle_steps_are_public(client, role):
    workstream = WorkstreamFactory()
    workstream.steps.filter(number=1).update(status="complete", section="We met the utilities.")
    sign_in(client, role, workstream)
    response = client.get(reverse("api:workstream-steps", args=[workstream.slug]))
    assert response.status_code == 200
    steps = response.json()
    assert [s["number"] for s in steps] == [1, 2, 3, 4, 5]
    assert steps[0]["status"] == "complete" and steps[0]["section"] == "We met the utilities."
    assert client.get(reverse("api:workstream-steps", args=["no-such-workstream"])).status_code == 404
