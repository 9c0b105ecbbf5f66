"""Demo drafts, reviews and comments for `make run` (idempotent: a deliverable that already has a draft
is left alone).

- Workstream B's options template: version 1 in member review, with a few member comments.
- Workstream B's coordinated planning report: version 1 went through a member review, version 2 is in
  an open public consultation with a few hundred comments (a form-letter campaign among them, replies,
  a flagged and a hidden comment).
- Workstream C's data access report: a closed public consultation with every comment given a
  disposition, and version 2 that addressed the accepted ones.
"""

import datetime
import random

from django.db.models import Q
from django.utils import timezone

from initiative.models import Organization, StakeholderType, User
from workstreams.models import Deliverable, Enrollment

from ..models import Campaign, Comment, Disposition, DraftVersion, Flag, Review
from ..services.comments import body_digest
from ..services.drafts import draft_version_create

PLANNING_V1 = """# Coordinated planning report

Distribution and transmission planning are often not well coordinated in terms of inputs,
assumptions, timing and results. As DER adoption grows, this gap makes both plans less accurate.

This report proposes processes and methods that utilities, ISOs/RTOs and regulators can adopt to
coordinate planning across the transmission–distribution interface.

## The problem

Transmission planners use load forecasts that rarely reflect the DER adoption assumed by distribution
planners. Distribution planners in turn seldom see the transmission constraints that shape where DERs
deliver the most value.

Infrastructure planning by states and municipalities (electric vehicles, building electrification) is
often not coordinated with utility planning at all.

Integrated resource plans are produced on a different cycle than distribution plans, so the two
documents describe different futures.

## Inputs and assumptions

Planners should share a common set of DER adoption forecasts, produced once per cycle and used by
every plan in the jurisdiction.

Forecasts should be disaggregated to the substation level, with the method and the data published.

Load shapes for electric vehicles and heat pumps should be agreed between the distribution utility and
the ISO/RTO before either plan is run.

## Timing

Distribution plans should be completed early enough for their results to feed the transmission
planning cycle of the same year.

Where statutory calendars make that impossible, utilities should exchange preliminary results at agreed
milestones.

## Results and hosting capacity

Hosting capacity maps should be published and updated at least annually, with the assumptions behind
them.

Results of distribution plans that change transmission needs should be reported to the ISO/RTO in a
standard template.

## Stakeholder engagement

Each plan should be open to stakeholder comment before it is final, with a written response to every
comment.

## Next steps

Workstream B will test these proposals with two volunteer jurisdictions before the draft final report.
"""

PLANNING_V2 = (
    PLANNING_V1.replace(
        "Hosting capacity maps should be published and updated at least annually",
        "Hosting capacity maps should be published and updated at least quarterly",
    )
    .replace(
        "Where statutory calendars make that impossible, utilities should exchange preliminary results "
        "at agreed\nmilestones.",
        "Where statutory calendars make that impossible, utilities and ISOs/RTOs should exchange "
        "preliminary\nresults at milestones agreed in a written coordination plan.",
    )
    .replace(
        "## Next steps",
        "## Equity\n\nPlanning should report how DER benefits and grid investments are distributed across "
        "communities, including underserved ones.\n\n## Next steps",
    )
)

TEMPLATE_V1 = """# Coordinated planning template: menu of options

This template lists options a jurisdiction can choose from to coordinate its planning processes.

## Option 1: shared forecasts

One DER adoption forecast is produced per cycle and used by every planner.

## Option 2: aligned calendars

Distribution plans finish in time to feed the transmission plan of the same year.

## Option 3: joint studies

The utility and the ISO/RTO run joint studies for areas with high DER adoption.
"""

DATA_V1 = """# Data access and transparency

Utilities, DER aggregators and ISOs/RTOs need access to data to plan and operate a high-DER system.

## Principles

Data needed for planning should be available to all parties on equal terms.

Customer data must be protected; aggregated data should be the default for sharing.

## Mechanics

Data should be shared through standard templates and communication protocols.

Utilities should publish an inventory of the data they hold and the terms for access.
"""

DATA_V2 = DATA_V1.replace(
    "Utilities should publish an inventory of the data they hold and the terms for access.",
    "Utilities should publish an inventory of the data they hold, the terms for access, and a contact "
    "for requests, updated each year.",
).replace(
    "Customer data must be protected; aggregated data should be the default for sharing.",
    "Customer data must be protected; aggregated data meeting the 15/15 rule should be the default "
    "for sharing.",
)

REMARKS = [
    "This paragraph should say who pays for the additional analysis.",
    "We support this, but the timeline is unrealistic for small cooperatives.",
    "Please define 'coordination' more precisely; it means different things to planners and operators.",
    "The ISO/RTO perspective is missing here.",
    "Substation-level forecasts are not available in many jurisdictions today.",
    "Consider referencing existing state proceedings that already require this.",
    "Quarterly updates would be far more useful to developers than annual ones.",
    "The report should acknowledge data privacy constraints.",
    "Municipal utilities have very limited planning staff; a simpler path is needed.",
    "Agree. This matches our experience in the Midwest.",
    "A standard template would save everyone time; please attach a draft.",
    "How will disagreements between the utility and the ISO be resolved?",
    "Heat pump load shapes vary strongly by climate zone; one shape will not fit all.",
    "This should also cover non-wires alternatives.",
    "The equity implications of these choices deserve their own section.",
]

FORM_LETTER = (
    "As a customer who wants to install rooftop solar, I urge the initiative to require utilities to "
    "publish hosting capacity maps that are updated at least monthly, with the data behind them, so that "
    "customers and installers can plan projects without months of delay."
)

RESPONSES = {
    Disposition.ACCEPTED: "Accepted: version 2 makes this change.",
    Disposition.PARTLY_ACCEPTED: "Partly accepted: we clarified the text but kept the overall approach.",
    Disposition.NOT_ACCEPTED: "Not accepted: the workstream considered this and kept the original wording.",
    Disposition.NOTED: "Noted: this is outside the scope of this deliverable and is passed to Track 3.",
}


def _commenters(n: int) -> list[User]:
    orgs = list(Organization.objects.all())
    types = [t for t, _ in StakeholderType.choices]
    users = []
    for i in range(n):
        user, created = User.objects.get_or_create(
            email=f"commenter-{i:03d}@demo.example.org",
            defaults={
                "full_name": f"Demo commenter {i:03d}",
                "stakeholder_type": types[i % len(types)],
                "organization": orgs[i % len(orgs)] if orgs and i % 4 == 0 else None,
            },
        )
        if created:
            from allauth.account.models import EmailAddress

            EmailAddress.objects.get_or_create(
                user=user, email=user.email, defaults={"verified": True, "primary": True}
            )
        users.append(user)
    return users


def _comment(review, key, author, body, when, **extra) -> Comment:
    org = author.organization if extra.pop("on_behalf", False) and author.organization_id else None
    stype = org.type if org else (author.stakeholder_type or StakeholderType.OTHER)
    return Comment(
        review=review,
        version=review.version,
        paragraph_key=key,
        author=author,
        organization=org,
        stakeholder_type=stype,
        body=body,
        body_digest=body_digest(body),
        created_at=when,
        staff_notified_at=when,
        **extra,
    )


def _spread(review, authors, n, rng, start, span_hours) -> list[Comment]:
    keys = [""] + list(review.version.paragraphs.values_list("key", flat=True))
    rows = []
    for i in range(n):
        when = start + datetime.timedelta(minutes=rng.randint(0, span_hours * 60))
        rows.append(
            _comment(
                review,
                rng.choice(keys),
                authors[i % len(authors)],
                rng.choice(REMARKS),
                when,
                on_behalf=i % 3 == 0,
            )
        )
    return Comment.objects.bulk_create(rows)


def _campaign(review, authors, n, when) -> None:
    rows = Comment.objects.bulk_create(
        _comment(
            review,
            "",
            a,
            FORM_LETTER if i % 2 else FORM_LETTER.replace("monthly", "every month") + " Thank you.",
            when + datetime.timedelta(minutes=i),
        )
        for i, a in enumerate(authors[:n])
    )
    campaign = Campaign.objects.create(review=review, representative=rows[0])
    Comment.objects.filter(pk__in=[c.pk for c in rows]).update(campaign=campaign)


def load() -> list[tuple[str, str]]:
    staff = User.objects.filter(email="staff@demo.example.org").first()
    if staff is None:
        return []
    rng = random.Random(42)  # noqa: S311 (demo data, not security)
    now = timezone.now()
    public = _commenters(80)
    deliverables = {
        d.slug: d
        for d in Deliverable.objects.filter(
            slug__in=[
                "coordinated-planning-options-template",
                "coordinated-planning-report",
                "data-access-final-report",
            ]
        )
    }

    # 1. Member review in progress --------------------------------------------------------------------
    template = deliverables.get("coordinated-planning-options-template")
    if template and not DraftVersion.objects.filter(deliverable=template).exists():
        v1 = draft_version_create(
            actor=staff, deliverable=template, body=TEMPLATE_V1, change_note="First draft"
        )
        review = Review.objects.create(
            version=v1,
            kind=Review.Kind.MEMBER_REVIEW,
            opens_at=now - datetime.timedelta(days=3),
            closes_at=now + datetime.timedelta(days=11),
            opened_by=staff,
        )
        members = list(
            User.objects.filter(
                enrollments__workstream=template.workstream, enrollments__status=Enrollment.Status.ACTIVE
            )
        )
        if members:
            _spread(review, members, 8, rng, now - datetime.timedelta(days=3), 60)
        Deliverable.objects.filter(pk=template.pk, stage="drafting").update(stage="member_review")

    # 2. Open public consultation with a few hundred comments -----------------------------------------------
    report = deliverables.get("coordinated-planning-report")
    if report and not DraftVersion.objects.filter(deliverable=report).exists():
        v1 = draft_version_create(
            actor=staff, deliverable=report, body=PLANNING_V1, change_note="First draft"
        )
        member = Review.objects.create(
            version=v1,
            kind=Review.Kind.MEMBER_REVIEW,
            opens_at=now - datetime.timedelta(days=40),
            closes_at=now - datetime.timedelta(days=26),
            closed_at=now - datetime.timedelta(days=26),
            opened_by=staff,
        )
        members = list(
            User.objects.filter(
                enrollments__workstream=report.workstream, enrollments__status=Enrollment.Status.ACTIVE
            )
        )
        if members:
            for c in _spread(member, members, 12, rng, now - datetime.timedelta(days=40), 24 * 10):
                Comment.objects.filter(pk=c.pk).update(
                    disposition=Disposition.PARTLY_ACCEPTED, response=RESPONSES[Disposition.PARTLY_ACCEPTED]
                )
        v2 = draft_version_create(
            actor=staff,
            deliverable=report,
            body=PLANNING_V2,
            change_note="Revised after the member review: quarterly maps, coordination plan, equity.",
        )
        consultation = Review.objects.create(
            version=v2,
            kind=Review.Kind.PUBLIC_CONSULTATION,
            opens_at=now - datetime.timedelta(days=10),
            closes_at=now + datetime.timedelta(days=20),
            opened_by=staff,
        )
        comments = _spread(consultation, public, 260, rng, now - datetime.timedelta(days=10), 24 * 9)
        _campaign(consultation, public[20:], 45, now - datetime.timedelta(days=5))
        for parent in comments[:25]:
            Comment.objects.create(
                review=consultation,
                version=v2,
                paragraph_key=parent.paragraph_key,
                parent=parent,
                author=rng.choice(public),
                stakeholder_type=StakeholderType.OTHER,
                body="I agree with this point.",
                body_digest=body_digest("I agree with this point."),
                staff_notified_at=now,
            )
        rude = _comment(
            consultation,
            "",
            public[5],
            "This whole report is written by idiots.",
            now - datetime.timedelta(days=2),
        )
        rude.save()
        Flag.objects.get_or_create(comment=rude, flagged_by=public[6], defaults={"reason": "Insulting"})
        hidden = _comment(
            consultation,
            "",
            public[7],
            "Buy cheap solar panels at example.com!!!",
            now - datetime.timedelta(days=4),
            hidden_at=now - datetime.timedelta(days=3),
            hidden_by=staff,
            hidden_reason="Advertising",
            hidden_notified_at=now - datetime.timedelta(days=3),
        )
        hidden.save()
        Deliverable.objects.filter(pk=report.pk, stage__in=["drafting", "member_review"]).update(
            stage="public_consultation"
        )

    # 3. Closed consultation with dispositions -----------------------------------------------------------
    data = deliverables.get("data-access-final-report")
    if data and not DraftVersion.objects.filter(deliverable=data).exists():
        v1 = draft_version_create(
            actor=staff, deliverable=data, body=DATA_V1, change_note="Draft final report"
        )
        closed = Review.objects.create(
            version=v1,
            kind=Review.Kind.PUBLIC_CONSULTATION,
            opens_at=now - datetime.timedelta(days=60),
            closes_at=now - datetime.timedelta(days=30),
            closed_at=now - datetime.timedelta(days=30),
            opened_by=staff,
        )
        comments = _spread(closed, public, 90, rng, now - datetime.timedelta(days=60), 24 * 29)
        v2 = draft_version_create(
            actor=staff,
            deliverable=data,
            body=DATA_V2,
            change_note="Addresses the accepted comments of the public consultation.",
        )
        choices = list(Disposition)
        for i, c in enumerate(comments):
            disposition = choices[i % len(choices)]
            Comment.objects.filter(pk=c.pk).update(
                disposition=disposition,
                response=RESPONSES[disposition],
                disposed_by=staff,
                disposed_at=now,
                addressed_in=v2
                if disposition in (Disposition.ACCEPTED, Disposition.PARTLY_ACCEPTED)
                else None,
            )
        Deliverable.objects.filter(Q(pk=data.pk), ~Q(stage="published")).update(stage="revising")

    # One deliverable at each review stage, one published with redactions
    from ..demo.workflow import load as load_workflow

    return load_workflow()
