"""Reads of the deliverable tracker, the representation page and the dashboards."""

import datetime

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from initiative.models import Initiative
from initiative.spreadsheets import Column

from ..models import (
    OPEN_ACTION_STATUSES,
    ActionItem,
    Ballot,
    Checkpoint,
    Deliverable,
    Enrollment,
    EnrollmentRole,
    LifecycleStep,
    PrioritizationRound,
    ReviewStage,
    RoundStatus,
    StepStatus,
    WorkingSession,
    Workstream,
)
from .lifecycle import deep_dive_agenda
from .sessions import action_item_list, drop_offs
from .workstreams import workstream_participation

DONE_STAGES = (ReviewStage.APPROVED, ReviewStage.PUBLISHED)
TRACK_COLORS = {1: "#1a4480", 2: "#00687d", 3: "#5e2ca5"}


# The tracker --------------------------------------------------------------------------------------------


def deliverable_tracker() -> QuerySet[Deliverable]:
    """Every deliverable with its workstream and owner joined: one query per page, whatever the count."""
    return (
        Deliverable.objects.select_related("workstream", "workstream__track", "owner", "owner__organization")
        .prefetch_related(
            Prefetch("checkpoints", queryset=Checkpoint.objects.select_related("workstream").order_by("pk"))
        )
        .order_by(F("due_date").asc(nulls_last=True), "workstream__code", "order")
    )


def with_lateness(deliverables, today: datetime.date | None = None):
    """Set `days_late` (0 when on time or done) on each deliverable of an evaluated page."""
    today = today or timezone.localdate()
    for d in deliverables:
        late = d.due_date is not None and d.due_date < today and d.stage not in DONE_STAGES
        d.days_late = (today - d.due_date).days if late else 0
    return deliverables


TRACKER_COLUMNS = [
    Column("workstream", 12),
    Column("deliverable", 48),
    Column("kind", 16),
    Column("key", 6),
    Column("owner", 24),
    Column("owner_email", 30),
    Column("due_date", 12),
    Column("stage", 20),
    Column("days_late", 10),
]


def tracker_rows(deliverables, *, today: datetime.date | None = None):
    """One typed row per deliverable (lateness computed a chunk at a time), for the shared spreadsheet
    writer: the tracker's CSV and XLSX are these rows."""
    today = today or timezone.localdate()
    batch = []
    for d in deliverables:
        batch.append(d)
        if len(batch) == 500:
            yield from _tracker_batch(batch, today)
            batch = []
    yield from _tracker_batch(batch, today)


def _tracker_batch(batch, today):
    for d in with_lateness(batch, today):
        yield [
            d.workstream.code,
            d.title,
            d.get_kind_display(),
            d.is_key,
            d.owner.display_name if d.owner else "",
            d.owner.email if d.owner else "",
            d.due_date,
            d.get_stage_display(),
            d.days_late,
        ]


def months_between(start: datetime.date, day: datetime.date) -> float:
    return (day.year - start.year) * 12 + (day.month - start.month) + (day.day - 1) / 31


def tracker_timeline(*, today: datetime.date | None = None) -> dict:
    """Geometry of the timeline (the report's Figure 1) for a server-drawn SVG: one band a workstream
    over the initiative's months, a diamond per deliverable at its due date, a line at today."""
    today = today or timezone.localdate()
    initiative = Initiative.objects.only("start_date").first()
    start = initiative.start_date if initiative else datetime.date(today.year, 1, 1)
    workstreams = list(
        Workstream.objects.select_related("track")
        .prefetch_related(Prefetch("deliverables", queryset=Deliverable.objects.order_by("due_date")))
        .order_by("track__number", "code")
    )
    months = max([ws.end_month for ws in workstreams] + [36])
    months = (months + 11) // 12 * 12
    label_w, month_w, row_h, top = 230, 16, 34, 30
    rows = []
    for i, ws in enumerate(workstreams):
        y = top + i * row_h
        marks = []
        for d in ws.deliverables.all():
            if d.due_date is None:
                continue
            m = months_between(start, d.due_date)
            late = d.due_date < today and d.stage not in DONE_STAGES
            marks.append(
                {
                    "d": d,
                    "x": label_w + m * month_w,
                    "y": y + row_h / 2,
                    "late": late,
                    "done": d.stage in DONE_STAGES,
                }
            )
        rows.append(
            {
                "workstream": ws,
                "y": y,
                "text_y": y + row_h / 2 + 5,
                "bar_y": y + 6,
                "bar_h": row_h - 12,
                "x": label_w + ws.start_month * month_w,
                "w": max(month_w, (ws.end_month - ws.start_month) * month_w),
                "track": ws.track.number,
                "fill": TRACK_COLORS.get(ws.track.number, "#565c65"),
                "marks": marks,
            }
        )
    today_m = months_between(start, today)
    return {
        "width": label_w + months * month_w + 10,
        "height": top + len(rows) * row_h + 10,
        "years": [
            {
                "x": label_w + y * 12 * month_w,
                "label_x": label_w + y * 12 * month_w + 6 * month_w,
                "label": f"Year {y + 1}",
            }
            for y in range(months // 12)
        ],
        "rows": rows,
        "start": start,
        "months": months,
        "today_x": label_w + today_m * month_w if 0 <= today_m <= months else None,
        "grid_bottom": top + len(rows) * row_h,
    }


# Representation -----------------------------------------------------------------------------------------


def representation(workstream: Workstream) -> dict:
    """Participation by stakeholder type with bar widths for the chart (percent of the largest), and
    continuity: active members, feedback providers and drop-offs by type, and the participants."""
    data = workstream_participation(workstream)
    top = max([r["count"] for r in data["rows"]] + [1])
    dropped = {e.pk: e for e in drop_offs(workstream_ids=[workstream.pk])}
    by_type: dict[str, dict] = {}
    for e in data["enrollments"]:
        e.dropped = dropped.get(e.pk)
        kind = e.organization.type if e.organization_id else e.user.effective_stakeholder_type
        counts = by_type.setdefault(kind, {"active": 0, "feedback": 0, "dropped": 0})
        counts["active" if e.role == EnrollmentRole.ACTIVE_MEMBER else "feedback"] += 1
        counts["dropped"] += int(e.dropped is not None)
    for r in data["rows"]:
        r["percent"] = round(100 * r["count"] / top)
        r.update(by_type.get(r["type"], {"active": 0, "feedback": 0, "dropped": 0}))
    data["drop_offs"] = list(dropped.values())
    return data


# Dashboards ---------------------------------------------------------------------------------------------


def staff_dashboard(*, user, now: datetime.datetime | None = None) -> dict:
    """Everything on the staff dashboard in a fixed number of queries."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    week_start = now - datetime.timedelta(days=now.weekday())
    week_start = week_start.replace(hour=0, minute=0, second=0, microsecond=0)
    workstreams = (
        Workstream.objects.select_related("track")
        .prefetch_related("steps")
        .annotate(
            participant_count=Count("enrollments", filter=Q(enrollments__status="active"), distinct=True)
        )
        .order_by("track__number", "code")
    )
    mine = list(workstreams.filter(lead=user))
    leads_none = not mine
    if leads_none:  # staff who lead no workstream see them all
        mine = list(workstreams)
    return {
        "my_workstreams": mine,
        "leads_none": leads_none,
        "steps_in_progress": list(
            LifecycleStep.objects.filter(status=StepStatus.IN_PROGRESS)
            .select_related("workstream")
            .order_by("workstream__code")
        ),
        "sessions_this_week": list(
            WorkingSession.objects.filter(
                starts_at__gte=week_start, starts_at__lt=week_start + datetime.timedelta(days=7)
            )
            .exclude(status=WorkingSession.Status.CANCELLED)
            .select_related("workstream")
            .order_by("starts_at")
        ),
        "late_actions": list(
            action_item_list()
            .filter(status__in=OPEN_ACTION_STATUSES, due_date__lt=today)
            .order_by("due_date")[:50]
        ),
        "late_deliverables": with_lateness(
            list(deliverable_tracker().filter(due_date__lt=today).exclude(stage__in=DONE_STAGES)[:50]), today
        ),
        "open_rounds": list(
            PrioritizationRound.objects.filter(status=RoundStatus.OPEN)
            .select_related("workstream")
            .annotate(ballot_count=Count("ballots"))
        ),
        "drop_offs": drop_offs(now=now),
    }


def participant_dashboard(*, user, now: datetime.datetime | None = None) -> dict:
    now = now or timezone.now()
    enrollments = list(
        Enrollment.objects.active()
        .filter(user=user)
        .select_related("workstream", "workstream__track")
        .prefetch_related("workstream__steps")
    )
    # rounds and sessions are asked of active members only; feedback providers comment on drafts
    ws_ids = [e.workstream_id for e in enrollments if e.role == EnrollmentRole.ACTIVE_MEMBER]
    return {
        "enrollments": enrollments,
        "open_rounds": list(
            PrioritizationRound.objects.filter(
                workstream_id__in=ws_ids, status=RoundStatus.OPEN, closes_at__gt=now
            )
            .select_related("workstream")
            .annotate(voted=Exists(Ballot.objects.filter(round=OuterRef("pk"), voter=user)))
            .order_by("closes_at")
        ),
        "upcoming_sessions": list(
            WorkingSession.objects.filter(
                workstream_id__in=ws_ids,
                starts_at__gte=now - datetime.timedelta(hours=3),
                status=WorkingSession.Status.SCHEDULED,
            )
            .select_related("workstream")
            .order_by("starts_at")[:20]
        ),
        "my_actions": list(action_item_list().filter(owner=user).order_by(_open_first(), "due_date")[:50]),
    }


def _open_first():
    return Case(
        When(status__in=OPEN_ACTION_STATUSES, then=Value(0)), default=Value(1), output_field=IntegerField()
    )


def workstream_work(workstream: Workstream) -> dict:
    """What the workstream page shows of the work under way: upcoming sessions, the open round, the
    deep-dive agenda and the open action items count."""
    now = timezone.now()
    return {
        "upcoming_sessions": list(
            WorkingSession.objects.filter(workstream=workstream, starts_at__gte=now)
            .exclude(status=WorkingSession.Status.CANCELLED)
            .order_by("starts_at")[:5]
        ),
        "open_round": PrioritizationRound.objects.filter(
            workstream=workstream, status=RoundStatus.OPEN
        ).first(),
        "agenda": deep_dive_agenda(workstream),
        "open_actions": ActionItem.objects.filter(
            workstream=workstream, status__in=OPEN_ACTION_STATUSES
        ).count(),
    }


def deliverable_list() -> QuerySet[Deliverable]:
    """Every deliverable as the workstream pages list it (title, kind, due date, stage), with its
    workstream joined: one query per page."""
    return Deliverable.objects.select_related("workstream").order_by(
        F("due_date").asc(nulls_last=True), "workstream__code", "order", "pk"
    )
