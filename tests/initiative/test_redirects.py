"""Every view that takes a `next` sends the browser back to this site only."""

import pathlib

import pytest
from django.urls import reverse

from tests.factories import BodyMembershipFactory, DeliverableFactory, WorkstreamFactory
from tests.workstreams.factories import ActionItemFactory

pytestmark = pytest.mark.django_db

ELSEWHERE = [
    "//evil.example/",
    "https://evil.example/",
    "http://evil.example/path",
    "/\\evil.example/",
    "\\\\evil.example/",
    "javascript:alert(1)",
    "http:evil.example",
]


def _step_transition():
    workstream = WorkstreamFactory()
    url = reverse("workstreams:step-transition", args=[workstream.slug, 1, "start"])
    return url, {}, workstream.get_absolute_url()


def _action_item_status():
    item = ActionItemFactory()
    return reverse("workstreams:action-item-status", args=[item.pk]), {"status": "done"}, "/dashboard/"


def _deliverable_follow():
    deliverable = DeliverableFactory()
    url = reverse("consultations:deliverable-follow", args=[deliverable.pk])
    return url, {}, reverse("consultations:library")


VIEWS_WITH_NEXT = {
    "step-transition": _step_transition,
    "action-item-status": _action_item_status,
    "deliverable-follow": _deliverable_follow,
}


@pytest.fixture
def staff_client(client):
    client.force_login(BodyMembershipFactory(implementation_team=True).user)
    return client


@pytest.mark.parametrize("target", ELSEWHERE)
@pytest.mark.parametrize("view", sorted(VIEWS_WITH_NEXT))
def test_a_next_pointing_off_the_site_is_replaced_by_the_views_own_page(staff_client, view, target):
    url, data, fallback = VIEWS_WITH_NEXT[view]()
    response = staff_client.post(url, {**data, "next": target})
    assert response.status_code == 302
    assert response["Location"] == fallback


@pytest.mark.parametrize("view", sorted(VIEWS_WITH_NEXT))
def test_a_next_on_the_site_is_followed(staff_client, view):
    url, data, _ = VIEWS_WITH_NEXT[view]()
    response = staff_client.post(url, {**data, "next": "/glossary/?q=der"})
    assert response.status_code == 302
    assert response["Location"] == "/glossary/?q=der"


def test_an_http_next_is_refused_on_an_https_request(staff_client):
    url, data, fallback = _deliverable_follow()
    response = staff_client.post(url, {**data, "next": "http://testserver/glossary/"}, secure=True)
    assert response["Location"] == fallback


def test_every_view_reads_next_through_the_one_helper():
    """A view reading `next` itself would skip the host check: only `initiative/redirects.py` may."""
    root = pathlib.Path(__file__).resolve().parents[2]
    readers = sorted(
        str(path.relative_to(root))
        for app in ("initiative", "workstreams", "consultations", "webinars")
        for path in (root / app).rglob("*.py")
        if 'get("next"' in path.read_text() or "get('next'" in path.read_text()
    )
    assert readers == ["initiative/redirects.py"]
