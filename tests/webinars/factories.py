"""Factories for webinars and registrations."""

import datetime

import factory
from django.utils import timezone

from initiative.models import StakeholderType
from webinars.models import Registration, Webinar


class WebinarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Webinar

    slug = factory.Sequence(lambda n: f"webinar-{n}")
    title = factory.Sequence(lambda n: f"Draft final report briefing {n}")
    description = "A walk through the draft final report, with questions."
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    time_zone = "America/New_York"
    duration_minutes = 60
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(minutes=o.duration_minutes))
    capacity = 3
    join_url = "https://meet.example.org/der-webinar"


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A registration as the service would leave it; `status` decides seated_at/waitlisted_at."""

    class Meta:
        model = Registration

    webinar = factory.SubFactory(WebinarFactory)
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"registrant{n}@example.org")
    organization = "Bayview Electric"
    stakeholder_type = StakeholderType.IOU
    consented_at = factory.LazyFunction(timezone.now)
    created_at = factory.LazyFunction(timezone.now)
    status = Registration.Status.CONFIRMED
    seated_at = factory.LazyAttribute(lambda o: o.created_at if o.status == "confirmed" else None)
    waitlisted_at = factory.LazyAttribute(lambda o: o.created_at if o.status == "waitlisted" else None)
    email_confirmed_at = factory.LazyFunction(timezone.now)
