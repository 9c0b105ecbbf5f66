"""Webinars through the API: the list as the page lists them, and your registration, whose join link
appears only once you hold a seat and have confirmed your address, as on the registrant's own page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from initiative.services import api_token_create
from tests.factories import UserFactory
from tests.webinars.factories import RegistrationFactory, WebinarFactory
from webinars import services
from webinars.models import Registration

pytestmark = pytest.mark.django_db


def test_the_list_shows_scheduled_webinars_upcoming_or_past_with_seats_left(client):
    now = timezone.now()
    soon = WebinarFactory(starts_at=now + datetime.timedelta(days=3), capacity=2)
    RegistrationFactory(webinar=soon)
    past = WebinarFactory(starts_at=now - datetime.timedelta(days=3))
    WebinarFactory(status="cancelled")
    slugs = lambda **q: [w["slug"] for w in client.get(reverse("api:webinar-list"), q).json()["results"]]  # noqa: E731
    assert slugs() == [past.slug, soon.slug]
    assert slugs(when="upcoming") == [soon.slug] and slugs(when="past") == [past.slug]
    assert client.get(reverse("api:webinar-list"), {"when": "someday"}).status_code == 400
    detail = client.get(reverse("api:webinar-detail", args=[soon.slug])).json()
    assert detail["remaining_seats"] == 1 and "join_url" not in detail


def test_the_join_link_comes_with_a_confirmed_seat_and_a_full_webinar_waitlists(client):
    webinar = WebinarFactory(capacity=1)
    user = UserFactory(verified=True)
    auth = {
        "HTTP_AUTHORIZATION": "Bearer "
        + api_token_create(actor=user, name="w", scope="write", lifetime_days=30)[1]
    }
    url = reverse("api:webinar-registration", args=[webinar.slug])
    made = client.post(url, {"consent": True}, content_type="application/json", **auth).json()
    assert made["status"] == "confirmed" and made["join_url"] is None
    services.registration_confirm_email(registration=Registration.objects.get(email=user.email))
    assert client.get(url, **auth).json()["join_url"] == webinar.join_url
    late = UserFactory(verified=True)
    late_auth = {
        "HTTP_AUTHORIZATION": "Bearer "
        + api_token_create(actor=late, name="w", scope="write", lifetime_days=30)[1]
    }
    waiting = client.post(url, {"consent": True}, content_type="application/json", **late_auth).json()
    assert waiting["status"] == "waitlisted" and waiting["waitlist_position"] == 1
    client.delete(url, **auth)  # the seat goes to the first on the waitlist
    assert client.get(url, **late_auth).json()["status"] == "confirmed"
