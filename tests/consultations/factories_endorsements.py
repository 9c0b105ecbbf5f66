"""Helpers for the endorsement tests: a deliverable with a version, participating organizations with
designated representatives, and an open window through the real service."""

import datetime

from django.utils import timezone

from consultations.services import endorsements as services
from tests.consultations.factories import make_version
from tests.factories import DeliverableFactory, EnrollmentFactory, OrganizationFactory, UserFactory


def participating_org(workstream, *, type="iou", representative=True, name=None):
    """An organization enrolled in `workstream`, with a designated representative (its own person)."""
    org = OrganizationFactory(type=type, **({"name": name} if name else {}))
    EnrollmentFactory(workstream=workstream, organization=org)
    if representative:
        org.representative = UserFactory(verified=True, organization=org)
        org.save(update_fields=["representative"])
    return org


def open_window(*, staff, deliverable=None, days=7, version=None):
    deliverable = deliverable or DeliverableFactory(is_key=True, stage="revising")
    version = version or make_version(deliverable=deliverable, actor=staff)
    return services.endorsement_window_open(
        actor=staff, version=version, closes_at=timezone.now() + datetime.timedelta(days=days)
    )
