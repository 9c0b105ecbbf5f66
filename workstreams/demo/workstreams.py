"""Demo data for `make run`: enrollments (the demo participant and organizations in several
workstreams, a workstream lead), and the workstreams at work: steps at different points, an open and a
closed prioritization round, sessions with minutes and attendance, action items (some late), and
deliverables with owners (some late). Idempotent: rows are found by natural keys or titles."""

import datetime

from django.utils import timezone

from initiative import notifications
from initiative.demo import demo_user
from initiative.models import Organization, User

from ..models import Enrollment, EnrollmentRole, Workstream
from ..services.workstreams import COMMITMENT_TEXT
from ..tasks.workstreams import workstream_target

# workstream code → organizations (by name prefix) whose demo representatives take part
ENROLLMENTS = {
    "A": ["Bayview", "Great Lakes", "Commonwealth", "Northfield"],
    "B": ["Bayview", "Prairie", "Ridgeline", "Sunbelt"],
    "C": ["Bayview", "VoltShare", "Fair Power"],
    "D": ["Great Lakes", "VoltShare", "GridWorks"],
    "E": ["Ridgeline", "VoltShare", "Commonwealth"],
    "T3": ["Commonwealth", "Fair Power", "Northfield"],
}

# Who takes part by commenting on drafts rather than in working sessions (the report's "providing
# feedback"): shown on the representation page and the participant's dashboard.
FEEDBACK_PROVIDERS = {("E", "Commonwealth"): EnrollmentRole.FEEDBACK_PROVIDER}


def _representative(org: Organization) -> User:
    """The demo participant for Bayview; a generated representative for the others. Each is designated
    as their organization's representative (who records its endorsement positions)."""
    if org.name.startswith("Bayview"):
        user = demo_user("participant@demo.example.org")
    else:
        email = f"rep-{org.slug[:40]}@demo.example.org"
        user, _ = User.objects.get_or_create(
            email=email,
            defaults={
                "full_name": f"Representative of {org.name.removesuffix(' (demo)')}",
                "organization": org,
            },
        )
    if org.representative_id is None and user.organization_id == org.pk:
        Organization.objects.filter(pk=org.pk, representative__isnull=True).update(representative=user)
        org.representative_id = user.pk
    return user


def load() -> list[tuple[str, str]]:
    for code, prefixes in ENROLLMENTS.items():
        workstream = Workstream.objects.filter(code=code).first()
        if workstream is None:
            continue
        for prefix in prefixes:
            org = Organization.objects.get(name__startswith=prefix)
            user = _representative(org)
            Enrollment.objects.get_or_create(
                workstream=workstream,
                user=user,
                status=Enrollment.Status.ACTIVE,
                defaults={
                    "organization": org,
                    "commitment": str(COMMITMENT_TEXT),
                    "committed_at": timezone.now(),
                    "role": FEEDBACK_PROVIDERS.get((code, prefix), EnrollmentRole.ACTIVE_MEMBER),
                },
            )
    # participants follow their workstreams, as enrolling does; the public demo account follows one
    for enrollment in Enrollment.objects.active().select_related("user"):
        notifications.subscription_create(
            user=enrollment.user, target=workstream_target(enrollment.workstream_id)
        )
    public = User.objects.filter(email="public@demo.example.org").first()
    first = Workstream.objects.order_by("pk").first()
    if public is not None and first is not None:
        notifications.subscription_create(user=public, target=workstream_target(first.pk))
    lead = demo_user("lead@demo.example.org")
    Workstream.objects.filter(code="B", lead__isnull=True).update(lead=lead)
    Workstream.objects.filter(code="D", lead__isnull=True).update(lead=lead)
    load_work()
    from .framework import load as load_framework_demo  # Track 1 framework

    load_framework_demo()
    from .dialogue import load as load_dialogue_demo  # Track 3 issue areas as living documents

    load_dialogue_demo()
    return []


# The workstreams at work -----------------------------------------------------------------------------

# workstream code → (steps complete, step in progress or None)
PROGRESS = {"A": (2, 3), "B": (3, 4), "C": (0, 1), "D": (4, 5), "E": (0, None), "T3": (1, 2)}

SECTION = (
    "### Summary\n\nThe participants reviewed current practice across {n} organizations. Key findings:\n\n"
    "- Practices differ widely between jurisdictions.\n- Several utilities already pilot the approach.\n\n"
    "_Drafted by the implementation team from the working sessions._"
)


def load_work() -> None:
    from initiative.models import Organization as Org

    from ..models import (
        ActionItem,
        ActionItemStatus,
        Ballot,
        Deliverable,
        IssueArea,
        LifecycleStep,
        PrioritizationRound,
        RoundStatus,
        SessionKind,
        StepStatus,
        Topic,
        WorkingSession,
    )
    from ..services.prioritization import round_compute

    today = timezone.localdate()
    now = timezone.now()
    staff = demo_user("staff@demo.example.org")
    lead = demo_user("lead@demo.example.org")
    participant = demo_user("participant@demo.example.org")
    workstreams = {ws.code: ws for ws in Workstream.objects.all()}

    for code, (done, current) in PROGRESS.items():
        ws = workstreams.get(code)
        if ws is None:
            continue
        for step in LifecycleStep.objects.filter(workstream=ws, status=StepStatus.NOT_STARTED):
            start = today - datetime.timedelta(days=60 * (done - step.number + 2))
            if step.number <= done:
                step.status, step.started_on = StepStatus.COMPLETE, start
                step.completed_on = start + datetime.timedelta(days=55)
                step.section = SECTION.format(n=3 + step.number)
            elif step.number == current:
                step.status, step.started_on = StepStatus.IN_PROGRESS, today - datetime.timedelta(days=20)
            step.planned_start = step.planned_start or today + datetime.timedelta(
                days=60 * (step.number - done - 1)
            )
            step.planned_end = step.planned_end or step.planned_start + datetime.timedelta(days=59)
            step.save()

    # Deliverables: owners, and a few late ones.
    late = {
        "a1-essential-functions": (-60, "drafting"),  # late: no draft yet, so no review either
        "a2-actors-and-architectures": (-12, "drafting"),
        "track-3-topic-priorities": (-3, "drafting"),
        "a3-function-actor-mapping": (10, "drafting"),
        "da-rt-coordination-frameworks": (25, "drafting"),
    }
    for i, d in enumerate(Deliverable.objects.filter(owner__isnull=True).order_by("pk")):
        d.owner = lead if i % 2 else staff
        fields = ["owner"]
        if d.slug in late:
            offset, stage = late[d.slug]
            d.due_date, d.stage = today + datetime.timedelta(days=offset), stage
            fields += ["due_date", "stage"]
        d.save(update_fields=fields)

    # Workstream B: an open round over its candidate topics, with two ballots.
    b = workstreams.get("B")
    if b is not None and not PrioritizationRound.objects.filter(workstream=b).exists():
        topics = list(Topic.objects.filter(workstream=b, is_active=True))
        rnd = PrioritizationRound.objects.create(
            workstream=b,
            title="Which planning topics first?",
            opens_at=now - datetime.timedelta(days=3),
            closes_at=now + datetime.timedelta(days=5),
            created_by=staff,
        )
        rnd.topics.set(topics)
        ids = sorted(t.pk for t in topics)
        voters = [u for u in _members(b) if u != participant][:2]
        for k, voter in enumerate(voters):
            Ballot.objects.create(
                round=rnd,
                voter=voter,
                stakeholder_type=voter.effective_stakeholder_type,
                ranking=ids[k:] + ids[:k],
            )

    # Workstream D: a closed round whose result is the deep-dive agenda.
    d_ws = workstreams.get("D")
    if d_ws is not None and not PrioritizationRound.objects.filter(workstream=d_ws).exists():
        topics = list(Topic.objects.filter(workstream=d_ws, is_active=True))
        if len(topics) < 3:
            Topic.objects.get_or_create(
                workstream=d_ws,
                title="Telemetry requirements for aggregations",
                defaults={"source": Topic.Source.STAFF},
            )
            topics = list(Topic.objects.filter(workstream=d_ws, is_active=True))
        rnd = PrioritizationRound.objects.create(
            workstream=d_ws,
            title="Deep-dive priorities",
            opens_at=now - datetime.timedelta(days=40),
            closes_at=now - datetime.timedelta(days=26),
            created_by=lead,
        )
        rnd.topics.set(topics)
        ids = sorted(t.pk for t in topics)
        for k, voter in enumerate(_members(d_ws)):
            Ballot.objects.create(
                round=rnd,
                voter=voter,
                stakeholder_type=voter.effective_stakeholder_type,
                ranking=ids if k % 2 == 0 else ids[::-1],
            )
        rnd.result = round_compute(rnd)
        rnd.status, rnd.closed_at = RoundStatus.CLOSED, rnd.closes_at
        rnd.save()

    # Sessions with minutes, attendance and action items.
    areas = list(IssueArea.objects.all()[:3])
    plan = [
        ("A", "Essential functions: review of the draft list", -21, SessionKind.WORKING_SESSION, True),
        ("A", "Actors and system architecture kickoff", 2, SessionKind.WORKING_SESSION, False),
        ("B", "Needs and gaps in planning coordination", -10, SessionKind.WORKING_SESSION, True),
        ("B", "Survey of emerging planning methods", 1, SessionKind.WORKING_SESSION, False),
        ("D", "Deep dive: ranked topic 1", 4, SessionKind.DEEP_DIVE, False),
        ("T3", "Workshop: distribution and transmission planning", -14, SessionKind.WORKSHOP, True),
        ("T3", "Workshop: data-sharing and communications", 9, SessionKind.WORKSHOP, False),
    ]
    for code, title, days, kind, held in plan:
        ws = workstreams.get(code)
        if ws is None or WorkingSession.objects.filter(workstream=ws, title=title).exists():
            continue
        tz = "America/Chicago" if code in ("B", "D") else "America/New_York"
        import zoneinfo

        starts = datetime.datetime.combine(
            today + datetime.timedelta(days=days), datetime.time(13, 0), tzinfo=zoneinfo.ZoneInfo(tz)
        )
        session = WorkingSession.objects.create(
            workstream=ws,
            kind=kind,
            title=title,
            starts_at=starts,
            time_zone=tz,
            created_by=staff,
            agenda="1. Welcome and goals\n2. Discussion of the draft\n3. Next steps and action items",
            meeting_url="https://meet.example.org/der-" + code.lower(),
            topic=Topic.objects.filter(workstream=ws).first() if kind == SessionKind.DEEP_DIVE else None,
        )
        if kind == SessionKind.WORKSHOP:
            session.issue_areas.set(areas[:2] if days < 0 else areas[2:3])
        if held:
            members = _members(ws)
            session.status = WorkingSession.Status.HELD
            session.minutes = (
                "**Present:** see attendance.\n\n- Agreed the scope of the step.\n"
                "- Two organizations will share their current practice documents."
            )
            session.minutes_recorded_at = starts + datetime.timedelta(hours=2)
            session.save()
            session.attendees.set(members)
            owners = members[:2] or [staff]
            for j, owner in enumerate(owners):
                ActionItem.objects.create(
                    workstream=ws,
                    session=session,
                    owner=owner,
                    owner_organization=owner.organization or Org.objects.first(),
                    description=f"Share current practice documents ({title.split(':')[0]}), part {j + 1}",
                    due_date=today + datetime.timedelta(days=(-5 if j == 0 else 2)),
                    issue_area=session.issue_areas.first(),
                    created_by=staff,
                )
    if not ActionItem.objects.filter(owner=participant).exists():
        a = workstreams.get("A")
        if a is not None:
            ActionItem.objects.create(
                workstream=a,
                owner=participant,
                owner_organization=participant.organization,
                created_by=staff,
                description="Circulate Bayview's DER hosting-capacity study to the workstream",
                due_date=today - datetime.timedelta(days=4),
                status=ActionItemStatus.IN_PROGRESS,
            )
            ActionItem.objects.create(
                workstream=a,
                owner=participant,
                owner_organization=participant.organization,
                created_by=staff,
                description="Comment on the draft list of essential functions",
                due_date=today + datetime.timedelta(days=6),
            )


def _members(ws: Workstream) -> list[User]:
    return list(
        User.objects.filter(enrollments__workstream=ws, enrollments__status=Enrollment.Status.ACTIVE)
        .select_related("organization")
        .order_by("pk")
    )
