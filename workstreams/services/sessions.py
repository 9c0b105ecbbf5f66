"""Working sessions and Track 3 workshops, their attendance and minutes, and the action items they
raise. Only staff schedule sessions and record what happened; an action item's owner (or staff) moves
its status."""

import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from initiative import audit, notifications, outbox, policy
from initiative.models import NotificationKind

from ..models import (
    OPEN_ACTION_STATUSES,
    ActionItem,
    ActionItemReminder,
    ActionItemStatus,
    IssueArea,
    Topic,
    WorkingSession,
    Workstream,
)

SESSION_FIELDS = [
    "kind",
    "title",
    "agenda",
    "starts_at",
    "duration_minutes",
    "time_zone",
    "meeting_url",
    "topic",
    "status",
]


class SessionError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def session_schedule(
    *,
    actor,
    workstream: Workstream,
    title: str,
    starts_at: datetime.datetime,
    time_zone: str,
    kind: str = "working_session",
    agenda: str = "",
    duration_minutes: int = 90,
    meeting_url: str = "",
    topic: Topic | None = None,
    issue_areas: list[IssueArea] | None = None,
) -> WorkingSession:
    """Schedule a session. `starts_at` must be aware; `time_zone` is the IANA name it was set in."""
    policy.require(actor, "workstreams.manage_workstream", workstream)
    if timezone.is_naive(starts_at):
        raise SessionError(_("The start time needs a time zone."))
    if topic is not None and topic.workstream_id != workstream.pk:
        raise SessionError(_("The topic belongs to another workstream."))
    with transaction.atomic():
        session = WorkingSession.objects.create(
            workstream=workstream,
            kind=kind,
            title=title.strip(),
            agenda=agenda.strip(),
            starts_at=starts_at,
            duration_minutes=duration_minutes,
            time_zone=time_zone,
            meeting_url=meeting_url,
            topic=topic,
            created_by=actor,
        )
        if issue_areas:
            session.issue_areas.set(issue_areas)
        audit.record(
            actor=actor, action="session.schedule", obj=session, after=audit.snapshot(session, SESSION_FIELDS)
        )
        # the session's page is public (its link and minutes are for members): the workstream's and the
        # Track 3 issue areas' followers hear of it
        notifications.event_raise(
            key=f"workstreams.session_scheduled:{session.pk}",
            kind=NotificationKind.SESSION_SCHEDULED,
            title=lambda: (
                _("%(title)s, %(when)s (%(ws)s)")
                % {
                    "title": session.title,
                    "when": timezone.localtime(starts_at).strftime("%b %-d, %Y"),
                    "ws": workstream.code,
                }
            ),
            url=session.get_absolute_url(),
            targets=[f"workstreams.workstream:{workstream.pk}"]
            + [f"workstreams.issue_area:{area.pk}" for area in issue_areas or []],
            actor=actor,
        )
    return session


def session_update(
    *, actor, session: WorkingSession, issue_areas: list[IssueArea] | None = None, **changes
) -> WorkingSession:
    policy.require(actor, "workstreams.manage_workstream", session.workstream)
    fields = [f for f in SESSION_FIELDS if f in changes]
    with transaction.atomic():
        session = (
            WorkingSession.objects.select_for_update(no_key=True)
            .select_related("workstream")
            .get(pk=session.pk)
        )
        before = audit.snapshot(session, fields)
        for f in fields:
            setattr(session, f, changes[f])
        if session.starts_at and timezone.is_naive(session.starts_at):
            raise SessionError(_("The start time needs a time zone."))
        session.save(update_fields=[("topic" if f == "topic" else f) for f in fields])
        if issue_areas is not None:
            session.issue_areas.set(issue_areas)
        audit.record(
            actor=actor,
            action="session.update",
            obj=session,
            before=before,
            after=audit.snapshot(session, fields),
        )
    return session


def session_record(
    *, actor, session: WorkingSession, minutes: str, attendee_ids: list[int]
) -> WorkingSession:
    """Record who attended and the minutes; marks a scheduled session as held."""
    policy.require(actor, "workstreams.manage_workstream", session.workstream)
    with transaction.atomic():
        session = (
            WorkingSession.objects.select_for_update(no_key=True)
            .select_related("workstream")
            .get(pk=session.pk)
        )
        before = {
            "minutes": session.minutes,
            "attendees": sorted(session.attendees.values_list("pk", flat=True)),
            "status": session.status,
        }
        session.minutes = minutes.strip()
        session.minutes_recorded_at = timezone.now()
        fields = ["minutes", "minutes_recorded_at"]
        if session.status == WorkingSession.Status.SCHEDULED:
            session.status = WorkingSession.Status.HELD
            fields.append("status")
        session.save(update_fields=fields)
        session.attendees.set(attendee_ids)
        audit.record(
            actor=actor,
            action="session.record",
            obj=session,
            before=before,
            after={"minutes": session.minutes, "attendees": sorted(attendee_ids), "status": session.status},
        )
    return session


# Action items ----------------------------------------------------------------------------------------


def action_item_create(
    *,
    actor,
    workstream: Workstream,
    description: str,
    owner,
    due_date: datetime.date,
    owner_organization=None,
    session: WorkingSession | None = None,
    issue_area: IssueArea | None = None,
) -> ActionItem:
    policy.require(actor, "workstreams.manage_workstream", workstream)
    if session is not None and session.workstream_id != workstream.pk:
        raise SessionError(_("The session belongs to another workstream."))
    with transaction.atomic():
        item = ActionItem.objects.create(
            workstream=workstream,
            description=description.strip(),
            owner=owner,
            owner_organization=owner_organization or owner.organization,
            due_date=due_date,
            session=session,
            issue_area=issue_area,
            created_by=actor,
        )
        audit.record(
            actor=actor,
            action="action_item.create",
            obj=item,
            after=audit.snapshot(
                item, ["description", "owner", "owner_organization", "due_date", "session", "issue_area"]
            ),
        )
        if owner.pk != getattr(actor, "pk", None):
            notifications.event_raise(
                key=f"workstreams.action_item_assigned:{item.pk}",
                kind=NotificationKind.ACTION_ITEM,
                title=lambda: (
                    _("Action item for you in %(ws)s: %(what)s")
                    % {"ws": workstream.name, "what": Truncator(item.description).chars(120)}
                ),
                body=lambda: _("Due %(date)s.") % {"date": due_date.isoformat()},
                url=reverse("workstreams:my-dashboard"),
                recipients=[owner.pk],
                actor=actor,
            )
    return item


def action_item_set_status(*, actor, item: ActionItem, status: str) -> ActionItem:
    policy.require(actor, "workstreams.update_action_item", item)
    if status not in ActionItemStatus.values:
        raise SessionError(_("Unknown status."))
    with transaction.atomic():
        item = ActionItem.objects.select_for_update(no_key=True).get(pk=item.pk)
        if item.status == status:
            return item
        before = item.status
        item.status = status
        item.completed_at = timezone.now() if status == ActionItemStatus.DONE else None
        item.save(update_fields=["status", "completed_at"])
        audit.record(
            actor=actor,
            action="action_item.status",
            obj=item,
            before={"status": before},
            after={"status": status},
        )
    return item


def action_item_set_due(*, actor, item: ActionItem, due_date: datetime.date) -> ActionItem:
    policy.require(actor, "workstreams.manage_workstream", item.workstream)
    with transaction.atomic():
        item = ActionItem.objects.select_for_update(no_key=True).get(pk=item.pk)
        before = item.due_date
        item.due_date = due_date
        item.save(update_fields=["due_date"])
        audit.record(
            actor=actor,
            action="action_item.reschedule",
            obj=item,
            before={"due_date": before.isoformat()},
            after={"due_date": due_date.isoformat()},
        )
    return item


# Reminders (the periodic sweep) ---------------------------------------------------------------------

DUE_SOON_DAYS = 3
OVERDUE_AFTER_DAYS = 1


def _reminder_context(ref: str) -> dict | None:
    """The reminder's item, still open and still due on the date it was planned for."""
    item_id, _kind, due_date = ref.split(":")
    item = (
        ActionItem.objects.select_related("owner", "workstream", "session", "issue_area")
        .filter(pk=int(item_id), status__in=OPEN_ACTION_STATUSES, due_date=due_date)
        .first()
    )
    if item is None:
        return None
    return {"item": item, "workstream": item.workstream, "days_late": item.days_late}


REMINDER = outbox.register("workstreams.action_item_reminder", shared=_reminder_context).name


def action_item_remind(*, item_id: int, kind: str) -> bool:
    """Send one reminder for one item, once: the reminder row (unique per item, kind and due date) is
    inserted in the transaction that plans the owner's outbox row, so a rerun or a redelivered task finds
    it and plans nothing, and the outbox sends it (or its sweep, if this run dies)."""
    with transaction.atomic():
        item = (
            ActionItem.objects.select_for_update(no_key=True, of=("self",))  # lock: one sender per item
            .select_related("owner")
            .filter(pk=item_id, status__in=OPEN_ACTION_STATUSES)
            .first()
        )
        if item is None:
            return False
        _reminder, created = ActionItemReminder.objects.get_or_create(
            action_item=item, kind=kind, due_date=item.due_date
        )
        if not created:
            return False
        event = outbox.plan(
            kind=REMINDER,
            ref=f"{item.pk}:{kind}:{item.due_date.isoformat()}",
            template=f"action_item_{kind}",
            recipients={item.owner.email: {}},
        )
        notifications.event_raise(  # the reminder above is its email
            key=f"workstreams.action_item_{kind}:{item.pk}:{item.due_date.isoformat()}",
            kind=NotificationKind.ACTION_ITEM,
            title=lambda: (
                (
                    _("Action item overdue: %(what)s")
                    if kind == "overdue"
                    else _("Action item due soon: %(what)s")
                )
                % {"what": Truncator(item.description).chars(120)}
            ),
            body=lambda: _("Due %(date)s.") % {"date": item.due_date.isoformat()},
            url=reverse("workstreams:my-dashboard"),
            recipients=[item.owner_id],
            covered_by=event,
        )
    outbox.deliver(event)
    return True


def action_items_due_for_reminder(*, today: datetime.date | None = None) -> list[tuple[int, str]]:
    """(item id, kind) of every reminder due and not yet sent: due soon (within DUE_SOON_DAYS) and
    overdue (OVERDUE_AFTER_DAYS past the due date)."""
    today = today or timezone.localdate()
    open_items = ActionItem.objects.filter(status__in=OPEN_ACTION_STATUSES)

    def sent(kind):
        return Exists(
            ActionItemReminder.objects.filter(
                action_item=OuterRef("pk"), kind=kind, due_date=OuterRef("due_date")
            )
        )

    due_soon = open_items.filter(
        due_date__gte=today, due_date__lte=today + datetime.timedelta(days=DUE_SOON_DAYS)
    ).filter(~sent("due_soon"))
    overdue = open_items.filter(due_date__lte=today - datetime.timedelta(days=OVERDUE_AFTER_DAYS)).filter(
        ~sent("overdue")
    )
    return [(pk, "due_soon") for pk in due_soon.values_list("pk", flat=True)] + [
        (pk, "overdue") for pk in overdue.values_list("pk", flat=True)
    ]
