"""Factories for drafts and reviews. Versions go through the service so they are split into
paragraphs exactly as in production."""

import datetime

import factory
from django.utils import timezone

from consultations.models import Review
from consultations.services.drafts import draft_version_create
from tests.factories import BodyMembershipFactory, DeliverableFactory


def make_version(*, deliverable=None, body="# Intro\n\nFirst paragraph.\n\nSecond paragraph.\n", actor=None, **kwargs):
    deliverable = deliverable or DeliverableFactory()
    actor = actor or BodyMembershipFactory(implementation_team=True).user
    return draft_version_create(actor=actor, deliverable=deliverable, body=body, **kwargs)


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    version = factory.LazyFunction(make_version)
    kind = Review.Kind.PUBLIC_CONSULTATION
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
