"""Error pages in the site's layout that say why and where to go next: 403 (with the reason the page
gave), 404, 429 and 500 (which renders without touching the database); /favicon.ico exists."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.models import Review
from tests.consultations.factories import ReviewFactory, make_version
from tests.factories import DeliverableFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def production(settings):
    settings.DEBUG = False


def test_a_visitor_sent_to_a_member_review_draft_is_told_why_and_when_it_opens(client, production):
    version = make_version()
    ReviewFactory(version=version, kind=Review.Kind.MEMBER_REVIEW)
    opens = timezone.now() + datetime.timedelta(days=30)
    ReviewFactory(
        version=version,
        kind=Review.Kind.PUBLIC_CONSULTATION,
        opens_at=opens,
        closes_at=opens + datetime.timedelta(days=30),
    )
    url = reverse("consultations:draft-detail", args=[version.deliverable_id, 1])
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>This page is not open to you</h1>" in html and 'class="usa-header' in html  # the layout
    workstream = version.deliverable.workstream.title
    assert f"This draft is in member review, open to the participants of {workstream}." in html
    when = f"{timezone.localtime(opens):%B %-d, %Y}"
    assert f"It becomes public when the public consultation opens on {when}." in html
    assert f'href="/accounts/login/?next={url}"' in html  # where to go next
    assert "Consultations</a>" in html


def test_a_refusal_without_a_written_reason_still_explains(client, production, public_user):
    client.force_login(public_user)
    html = client.get(reverse("consultations:moderation-queue")).content.decode()
    assert "This page is not open to you" in html and "consultations.moderate_comments" not in html
    assert "Your account does not give access to this page" in html and "Your dashboard" in html


def test_a_missing_page_and_a_draft_not_written_yet(client, production):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page not found</h1>" in html and "There is nothing at this address" in html
    assert 'class="usa-header' in html and "Where to go next" in html
    deliverable = DeliverableFactory()
    response = client.get(reverse("consultations:draft-latest", args=[deliverable.pk]))
    assert response.status_code == 404
    assert "No version of this draft has been written yet." in response.content.decode()


def test_too_many_attempts_answer_429_in_the_layout(client, production, settings, private_cache):
    settings.ACCOUNT_RATE_LIMITS = {"signup": "1/m/ip"}
    data = {"email": "a@example.org", "password1": "x", "password2": "y", "full_name": "A"}
    client.post(reverse("account_signup"), data)
    response = client.post(reverse("account_signup"), data)
    assert response.status_code == 429
    html = response.content.decode()
    assert "<h1>Too many attempts</h1>" in html and "Wait a few minutes" in html
    assert 'class="usa-header' in html


def test_a_server_error_page_in_the_layout_without_touching_the_database(
    client, production, monkeypatch, django_assert_num_queries
):
    from initiative import selectors

    def broken():
        raise RuntimeError("the database is down")

    monkeypatch.setattr(selectors, "initiative_get", broken)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html and 'class="usa-header' in html
    assert "Where to go next" in html

    from django.test import RequestFactory

    from initiative.views import server_error

    with django_assert_num_queries(0):
        assert server_error(RequestFactory().get("/")).status_code == 500


def test_favicon_is_served_and_linked(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].startswith("/static/") and "favicon" in response["Location"]
    assert '<link rel="icon" href="/static/' in client.get("/").content.decode()
