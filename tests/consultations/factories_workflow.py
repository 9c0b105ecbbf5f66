"""Helpers for the review-workflow tests: deliverables driven to a stage through the real services."""

import datetime

from django.utils import timezone

from consultations.models import Review
from consultations.services import approvals as approval_services
from consultations.services import workflow as wf
from tests.consultations.factories import make_version
from tests.factories import BodyMembershipFactory, DeliverableFactory

BODY = (
    "# Scope\n\nThe utility shares hosting capacity data monthly.\n\n"
    "## Costs\n\nThe vendor quoted ACME-SECRET-PRICE for the pilot.\n\nA final paragraph about planning.\n"
)

PATH = {  # how to reach each stage from drafting: (transition name, needs committee vote)
    "drafting": [],
    "member_review": ["open_member_review"],
    "public_consultation": ["open_member_review", "open_public_consultation"],
    "revising": ["open_member_review", "open_public_consultation", "start_revising"],
    "submitted": ["open_member_review", "open_public_consultation", "start_revising", "submit"],
    "approved": ["open_member_review", "open_public_consultation", "start_revising", "submit", "@approve"],
    "changes_requested": [
        "open_member_review",
        "open_public_consultation",
        "start_revising",
        "submit",
        "@request_changes",
    ],
    "published": [
        "open_member_review",
        "open_public_consultation",
        "start_revising",
        "submit",
        "@approve",
        "publish",
    ],
}


def committee(n=3):
    return [BodyMembershipFactory(steering_committee=True).user for _ in range(n)]


def staff_user():
    return BodyMembershipFactory(implementation_team=True).user


def inputs_for(name, now):
    if name in {"open_member_review", "open_public_consultation", "rereview"}:
        return {"opens_at": now, "closes_at": now + datetime.timedelta(days=14)}
    if name == "submit":
        return {"deadline": now + datetime.timedelta(days=7)}
    return {}


def held_webinar(deliverable):
    """A webinar on the deliverable that is over: what a key deliverable's submission needs."""
    from tests.webinars.factories import WebinarFactory

    start = timezone.now() - datetime.timedelta(days=2)
    return WebinarFactory(deliverable=deliverable, starts_at=start)


def drive(deliverable, stage, *, staff=None, members=None, body=BODY):
    """Move `deliverable` (with a version) from drafting to `stage` through the services. Review windows
    that must have ended are ended by closing them; the vote is cast and closed by the chair path."""
    staff = staff or staff_user()
    if not deliverable.versions.exists():
        make_version(deliverable=deliverable, body=body, actor=staff)
    for step in PATH[stage]:
        now = timezone.now()
        if step.startswith("@"):
            approval = deliverable.approvals.get(decided_at__isnull=True)
            members = members or list(committee(3))
            choice = "approve" if step == "@approve" else "request_changes"
            for m in members:
                approval_services.approval_vote_cast(
                    actor=m, approval=approval, choice=choice, reason="Because."
                )
            approval_services.approval_close(actor=None, approval=approval, now=approval.deadline)
        else:
            if step == "submit":
                # the key deliverable's consultation must have ended
                Review.objects.filter(version__deliverable=deliverable, closed_at__isnull=True).update(
                    closed_at=now
                )
            if step == "submit" and members is None:
                members = committee(3)
            if step == "submit" and deliverable.is_key:
                held_webinar(deliverable)
            wf.deliverable_transition(
                actor=staff, deliverable=deliverable, name=step, **inputs_for(step, now)
            )
    deliverable.refresh_from_db()
    assert deliverable.stage == stage, (deliverable.stage, stage)
    return deliverable


def deliverable_at(stage, **kwargs):
    is_key = kwargs.pop("is_key", True)
    return drive(DeliverableFactory(is_key=is_key), stage, **kwargs)
