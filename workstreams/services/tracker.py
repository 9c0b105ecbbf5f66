"""Deliverables as staff track them: owner and due date (the review stage is written by
`consultations`), and the weekly digest to each owner of what is due soon or late."""

import datetime

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from initiative import audit, outbox, policy
from initiative.models import User

from ..models import OPEN_ACTION_STATUSES, ActionItem, Deliverable, DigestDelivery, DigestOptOut, ReviewStage

DONE_STAGES = (ReviewStage.APPROVED, ReviewStage.PUBLISHED)
DIGEST_HORIZON_DAYS = 14
UNSUBSCRIBE_SALT = "workstreams.digest-unsubscribe"


def deliverable_update(
    *, actor, deliverable: Deliverable, owner, due_date: datetime.date | None
) -> Deliverable:
    """Staff set a deliverable's owner and due date. Never touches `stage`."""
    policy.require(actor, "workstreams.manage_deliverables", deliverable.workstream)
    fields = ["owner", "due_date"]
    with transaction.atomic():
        d = (
            Deliverable.objects.select_for_update(no_key=True)
            .select_related("workstream")
            .get(pk=deliverable.pk)
        )
        before = audit.snapshot(d, fields)
        d.owner, d.due_date = owner, due_date
        d.save(update_fields=fields)
        audit.record(
            actor=actor, action="deliverable.update", obj=d, before=before, after=audit.snapshot(d, fields)
        )
    return d


def week_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def digest_content(*, user, today: datetime.date) -> dict:
    horizon = today + datetime.timedelta(days=DIGEST_HORIZON_DAYS)
    deliverables = list(
        Deliverable.objects.filter(owner=user, due_date__lte=horizon)
        .exclude(stage__in=DONE_STAGES)
        .select_related("workstream")
        .order_by("due_date")
    )
    items = list(
        ActionItem.objects.filter(owner=user, status__in=OPEN_ACTION_STATUSES, due_date__lte=horizon)
        .select_related("workstream")
        .order_by("due_date")
    )
    return {
        "late_deliverables": [d for d in deliverables if d.due_date < today],
        "soon_deliverables": [d for d in deliverables if d.due_date >= today],
        "late_items": [i for i in items if i.due_date < today],
        "soon_items": [i for i in items if i.due_date >= today],
    }


def unsubscribe_token(user) -> str:
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)


def digest_unsubscribe(*, token: str) -> User | None:
    try:
        user_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    user = User.objects.filter(pk=user_id).first()
    if user is not None:
        with transaction.atomic():
            _opt, created = DigestOptOut.objects.get_or_create(user=user)
            if created:
                audit.record(actor=user, action="digest.unsubscribe", obj=user)
    return user


def _digest_message(shared: dict, row_context: dict) -> dict | None:
    """One owner's digest, built when it is sent; nothing when they opted out or nothing is due."""
    user = User.objects.filter(pk=row_context.get("user_id"), is_active=True).first()
    if user is None or DigestOptOut.objects.filter(user=user).exists():
        return None
    today = timezone.localdate()
    content = digest_content(user=user, today=today)
    if not any(content.values()):
        return None
    return {
        "context": {
            **content,
            "user": user,
            "today": today,
            "late_count": len(content["late_deliverables"]) + len(content["late_items"]),
            "soon_count": len(content["soon_deliverables"]) + len(content["soon_items"]),
            # the outbox adds the List-Unsubscribe headers for it
            "unsubscribe_path": reverse(
                "workstreams:digest-unsubscribe", kwargs={"token": unsubscribe_token(user)}
            ),
            "tracker_path": reverse("workstreams:tracker"),
        }
    }


def _digest_week(week: str) -> dict:
    return {}


# its unsubscribe link opens a confirmation page (no one-click POST)
DIGEST = outbox.register(
    "workstreams.digest", shared=_digest_week, personal=_digest_message, one_click_unsubscribe=False
).name


def digest_send(*, user_id: int, today: datetime.date | None = None) -> bool:
    """Send this week's digest to one owner, once: the DigestDelivery row (unique per user and week) is
    inserted in the transaction that plans the owner's outbox row, and the outbox sends it (or its sweep,
    if this run dies). Nothing is sent when nothing is due soon or late."""
    today = today or timezone.localdate()
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or DigestOptOut.objects.filter(user=user).exists():
        return False
    if not any(digest_content(user=user, today=today).values()):
        return False
    week = week_of(today)
    try:
        with transaction.atomic():
            DigestDelivery.objects.create(user=user, week=week)
            event = outbox.plan(
                kind=DIGEST,
                ref=week.isoformat(),
                template="deliverable_digest",
                recipients={user.email: {"user_id": user.pk}},
            )
    except IntegrityError:
        return False  # already sent this week
    outbox.deliver(event)
    return True


def digest_recipients(*, today: datetime.date | None = None) -> list[int]:
    """Owners with a deliverable or an open action item due within the horizon (or late) who have not
    had this week's digest."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=DIGEST_HORIZON_DAYS)
    has_work = Q(deliverables__due_date__lte=horizon) & ~Q(deliverables__stage__in=DONE_STAGES) | Q(
        action_items__due_date__lte=horizon, action_items__status__in=OPEN_ACTION_STATUSES
    )
    return list(
        User.objects.filter(has_work, is_active=True)
        .exclude(pk__in=DigestDelivery.objects.filter(week=week_of(today)).values("user_id"))
        .exclude(pk__in=DigestOptOut.objects.values("user_id"))
        .distinct()
        .values_list("pk", flat=True)
    )


# Cross-workstream checkpoints ---------------------------------------------------------------------------


class CheckpointError(Exception):
    """A refused checkpoint (its own workstream, asked already, deliverable done)."""


def checkpoint_ask(*, actor, deliverable: Deliverable, workstream, note: str = "", now=None):
    """Ask `workstream` to review `deliverable`: its members see and comment on the draft during member
    review. One checkpoint per (deliverable, workstream); not the deliverable's own workstream."""
    from ..models import Checkpoint

    policy.require(actor, "workstreams.ask_checkpoint", deliverable)
    now = now or timezone.now()
    if workstream.pk == deliverable.workstream_id:
        raise CheckpointError("A deliverable's own workstream reviews it already.")
    if deliverable.stage in DONE_STAGES:
        raise CheckpointError("This deliverable is already approved.")
    with transaction.atomic():
        # lock: the deliverable, so two staff asking the same workstream make one checkpoint
        Deliverable.objects.select_for_update(no_key=True).get(pk=deliverable.pk)
        if Checkpoint.objects.filter(deliverable=deliverable, workstream=workstream).exists():
            raise CheckpointError("That workstream has been asked already.")
        checkpoint = Checkpoint.objects.create(
            deliverable=deliverable, workstream=workstream, note=note.strip(), asked_by=actor, asked_at=now
        )
        audit.record(
            actor=actor,
            action="checkpoint.ask",
            obj=deliverable,
            after={"workstream": workstream.code, "note": checkpoint.note},
        )
    return checkpoint


def checkpoints_answered(*, deliverable_id: int, workstream_ids, now=None) -> int:
    """A member of an asked workstream commented on the deliverable: its checkpoint is answered (from
    asked, or from no response when a later review brings the answer). One conditional UPDATE."""
    from ..models import Checkpoint, CheckpointStatus

    if not workstream_ids:
        return 0
    return Checkpoint.objects.filter(
        deliverable_id=deliverable_id,
        workstream_id__in=list(workstream_ids),
        status__in=[CheckpointStatus.ASKED, CheckpointStatus.NO_RESPONSE],
    ).update(status=CheckpointStatus.ANSWERED, answered_at=now or timezone.now())


def checkpoints_unanswered(*, deliverable_id: int) -> int:
    """A member review of the deliverable closed: checkpoints still only asked had no response."""
    from ..models import Checkpoint, CheckpointStatus

    return Checkpoint.objects.filter(deliverable_id=deliverable_id, status=CheckpointStatus.ASKED).update(
        status=CheckpointStatus.NO_RESPONSE
    )
