"""One API under /api/v1/; the paths it had before answer with a permanent redirect there for one
release, keeping the query string and the method."""

import pytest
from django.urls import reverse

from tests.factories import DeliverableFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/api/tracks/", "/api/v1/tracks/"),
        ("/api/workstreams/?code=A", "/api/v1/workstreams/?code=A"),
        ("/api/workstreams/workstream-a/", "/api/v1/workstreams/workstream-a/"),
        ("/api/glossary/", "/api/v1/glossary/"),
        ("/api/organizations/", "/api/v1/organizations/"),
        ("/api/staff/deliverables/?lateness=late", "/api/v1/staff/deliverables/?lateness=late"),
        ("/api/library/", "/api/v1/library/"),
        ("/api/library/7/", "/api/v1/library/7/"),
        ("/api/decisions/", "/api/v1/decisions/"),
    ],
)
def test_old_api_paths_redirect_permanently_to_v1(client, old, new):
    """Each old path answers 308 with the same path and query under /api/v1/."""
    response = client.get(old)
    assert response.status_code == 308
    assert response["Location"] == new


def test_a_post_to_an_old_path_is_redirected_as_a_post(client):
    """A workflow transition posted to the old path is told to repeat the POST at the new one (308, not a
    301 that clients turn into a GET)."""
    deliverable = DeliverableFactory()
    client.force_login(UserFactory())
    response = client.post(f"/api/deliverables/{deliverable.pk}/transitions/", {"to": "drafting"})
    assert response.status_code == 308
    assert response["Location"] == f"/api/v1/deliverables/{deliverable.pk}/transitions/"


def test_every_api_endpoint_is_under_v1_in_one_namespace(client):
    """Each app's endpoints reverse under /api/v1/ in the `api` namespace, and answer there."""
    deliverable = DeliverableFactory()
    assert reverse("api:track-list") == "/api/v1/tracks/"
    assert reverse("api:organization-list") == "/api/v1/organizations/"
    assert reverse("api:deliverable-tracker") == "/api/v1/staff/deliverables/"
    assert reverse("api:library-list") == "/api/v1/library/"
    assert reverse("api:deliverable-transitions", args=[deliverable.pk]).startswith("/api/v1/")
    for name in ("api:track-list", "api:workstream-list", "api:glossary-list", "api:organization-list"):
        assert client.get(reverse(name)).status_code == 200
    assert client.get("/api/schema/").status_code == 200
