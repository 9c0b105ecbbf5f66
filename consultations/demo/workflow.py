"""Demo of the review workflow for `make run`: one deliverable at each stage, moved there through the
real services (so each has its history, review windows and votes), and one published with redactions.
Idempotent: a deliverable that already has a draft version is left alone."""

import datetime

from django.utils import timezone

from initiative.models import User
from workstreams.models import Deliverable

from ..models import DraftVersion, Publication, Review
from ..services import approvals as approval_services
from ..services import publication as publication_services
from ..services import workflow as wf
from ..services.drafts import draft_version_create

COMMITTEE = [
    "chair@demo.example.org",
    "committee@demo.example.org",
    "committee2@demo.example.org",
    "committee3@demo.example.org",
]


def _body(title: str, extra: str = "") -> str:
    return f"""# {title}

This draft is a work product of the national initiative on DER integration. It records what the
participants of the workstream found when they took stock of current practices and assessed needs and
gaps.

## Findings

Practices differ widely between jurisdictions, and the differences are rarely documented in a way
that others can learn from.

Participants agreed that a common vocabulary and shared templates would shorten proceedings and lower
costs for utilities, regulators and DER providers alike.

{extra}

## Recommendations

The workstream recommends least-regrets steps that hold under every operating model it considered, and
flags the choices that depend on a jurisdiction's target model.
"""


PUBLISHED_EXTRA = (
    "In the pilot, the utility's substation gateway at address 10.20.30.40 accepted unauthenticated "
    "commands until the firmware was updated.\n\n"
    "One participating customer, Jane Example of Springfield, reported two inverter trips during the pilot."
)

# stage → (deliverable slug, path of transitions; "@approve"/"@changes"/"@vote" are committee actions)
PLAN = [
    ("drafting", "a3-function-actor-mapping", []),
    ("member_review", "a2-actors-and-architectures", ["open_member_review"]),
    ("public_consultation", "dual-participation-options", ["open_member_review", "open_public_consultation"]),
    (
        "revising",
        "da-rt-coordination-frameworks",
        ["open_member_review", "open_public_consultation", "start_revising"],
    ),
    (
        "submitted",
        "pro-forma-interconnection-rules",
        ["open_member_review", "open_public_consultation", "start_revising", "submit", "@vote"],
    ),
    (
        "changes_requested",
        "data-sharing-mechanics",
        ["open_member_review", "open_public_consultation", "start_revising", "submit", "@changes"],
    ),
    (
        "approved",
        "pro-forma-aggregation-review-rules",
        ["open_member_review", "open_public_consultation", "start_revising", "submit", "@approve"],
    ),
    (
        "published",
        "ieee-1547-2018-guidelines",
        [
            "open_member_review",
            "open_public_consultation",
            "start_revising",
            "submit",
            "@approve",
            "@redact",
            "publish",
        ],
    ),
]


def _vote(approval, members, choices):
    for member, choice in zip(members, choices, strict=False):
        approval_services.approval_vote_cast(
            actor=member,
            approval=approval,
            choice=choice,
            reason={
                "approve": "Ready to publish.",
                "request_changes": "The cost section needs the consultation's data.",
                "abstain": "My organization took part in the pilot.",
            }[choice],
        )


def load() -> list[tuple[str, str]]:
    from ..services.outreach import default_stakeholder_types

    staff = User.objects.filter(email="staff@demo.example.org").first()
    members = list(User.objects.filter(email__in=COMMITTEE).order_by("email"))
    chair = User.objects.filter(email="chair@demo.example.org").first()
    if staff is None or chair is None or len(members) < 3:
        return []
    for stage, slug, path in PLAN:
        deliverable = Deliverable.objects.filter(slug=slug).first()
        if deliverable is None or DraftVersion.objects.filter(deliverable=deliverable).exists():
            continue
        extra = PUBLISHED_EXTRA if stage == "published" else ""
        draft_version_create(
            actor=staff,
            deliverable=deliverable,
            body=_body(deliverable.title, extra),
            change_note="Draft for review",
        )
        for step in path:
            now = timezone.now()
            approval = deliverable.approvals.filter(decided_at__isnull=True).first()
            if step == "@vote":
                _vote(approval, members, ["approve", "abstain"])
            elif step == "@changes":
                _vote(approval, members, ["request_changes", "request_changes", "approve"])
                approval_services.approval_close(actor=chair, approval=approval)
            elif step == "@approve":
                _vote(approval, members, ["approve", "approve", "approve", "abstain"])
                approval_services.approval_close(actor=chair, approval=approval)
            elif step == "@redact":
                version = deliverable.approvals.get(decision="approved").version
                para = next(p for p in version.paragraphs.all() if "10.20.30.40" in p.text)
                publication_services.redaction_create(
                    actor=staff,
                    version=version,
                    paragraph_key=para.key,
                    text="10.20.30.40",
                    reason="security",
                    note="Network address of a live substation gateway",
                )
                para = next(p for p in version.paragraphs.all() if "Jane Example" in p.text)
                publication_services.redaction_create(
                    actor=staff,
                    version=version,
                    paragraph_key=para.key,
                    text="Jane Example of Springfield",
                    reason="privacy",
                    note="A named customer",
                )
            else:
                if step == "submit":
                    # the consultation has ended (closed by "start_revising"); a week to vote
                    inputs = {
                        "deadline": now + datetime.timedelta(days=7),
                        "note": "Revised after the public consultation.",
                    }
                    if wf.workflow.unmet(deliverable, wf.workflow.BY_NAME["submit"]):
                        inputs["waive"] = [wf.workflow.HELD_WEBINAR]
                        inputs["waiver_reason"] = (
                            "Demo data: the briefing webinar was held before the platform."
                        )
                elif step.startswith("open_"):
                    inputs = {"opens_at": now, "closes_at": now + datetime.timedelta(days=21)}
                    if step == "open_public_consultation" and stage == "public_consultation":
                        # targeted outreach: the workstream's stakeholder types from the report
                        inputs["invite_types"] = default_stakeholder_types(deliverable.workstream)
                else:
                    inputs = {}
                wf.deliverable_transition(
                    actor=staff, deliverable=deliverable, name=step, reason="Demo data", **inputs
                )
        if stage == "published":
            publication = Publication.objects.get(deliverable=deliverable)
            publication_services.publication_render(publication_id=publication.pk)
        deliverable.refresh_from_db()
        assert deliverable.stage == stage, (slug, deliverable.stage, stage)
    Review.objects.filter(opened_notified_at__isnull=True, closed_at__isnull=False).update(
        opened_notified_at=timezone.now()
    )  # windows the demo closed at once: no stale announcements
    _endorsements(staff)
    return []


DEMO_POSITIONS = [  # organization name prefix → (position, statement, withhold the statement)
    ("Bayview", "endorse", "", False),
    (
        "VoltShare",
        "reservations",
        "The real-time framework should name the telemetry latency it assumes.",
        False,
    ),
    ("Fair Power", "cannot_endorse", "Customer data sharing needs consent rules first.", True),
]


def _endorsements(staff) -> None:
    """An endorsement window on the deliverable being revised, with positions from its representatives."""
    from ..models import EndorsementWindow
    from ..selectors.endorsements import participating_organizations
    from ..services import endorsements as endorsement_services

    deliverable = Deliverable.objects.filter(slug="da-rt-coordination-frameworks", stage="revising").first()
    version = deliverable and deliverable.versions.order_by("-number").first()
    if version is None or EndorsementWindow.objects.filter(version=version).exists():
        return
    now = timezone.now()
    window = endorsement_services.endorsement_window_open(
        actor=staff, version=version, closes_at=now + datetime.timedelta(days=10), now=now
    )
    orgs = list(participating_organizations(deliverable).filter(representative__isnull=False))
    for prefix, position, statement, withhold in DEMO_POSITIONS:
        org = next((o for o in orgs if o.name.startswith(prefix)), None)
        if org is not None:
            endorsement_services.endorsement_record(
                actor=org.representative,
                window=window,
                organization=org,
                position=position,
                statement=statement,
                withhold_statement=withhold,
                now=now,
            )
