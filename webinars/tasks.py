"""Celery tasks of the webinars app: ids-only arguments, each email guarded so a redelivered task or a
second sweep sends nothing twice. The fan-outs to every registrant (changed, cancelled) go through the
governance core's outbox (`initiative.outbox`: rows planned with the event, finished by its sweep); one
person's emails and the reminders are guarded by a `Notice` row unique per registration, kind and
occurrence, claimed and committed before the send and marked sent after it."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from initiative import emails, notifications, outbox
from initiative.celery import ReliableTask
from initiative.models import NotificationKind, User

from . import ics, services
from .models import Notice, Registration, Webinar

# Late ack, retries with backoff, a TaskFailure row when a task gives up (initiative.celery).
TASK_OPTIONS = {"base": ReliableTask}
RECORDING_WINDOW = timedelta(days=30)


def _stale_claim() -> timedelta:
    """An unsent claim older than this was left by a worker that died mid-send (an SMTP send times out
    far sooner): a redelivered task or the next sweep takes it over. The outbox's lease."""
    return timedelta(seconds=settings.NOTIFICATION_CLAIM_LEASE_SECONDS)


def _links(registration: Registration) -> dict:
    token = services.registration_token(registration)
    return {
        "manage_path": reverse("webinars:registration-manage", kwargs={"token": token}),
        "cancel_path": reverse("webinars:registration-cancel", kwargs={"token": token}),
    }


def _context(registration: Registration, **extra) -> dict:
    return {
        "registration": registration,
        "webinar": registration.webinar,
        "confirm_within_hours": settings.WEBINAR_CONFIRM_WITHIN_HOURS,
        "language": registration.language,  # the one they signed up in
        **_links(registration),
        **extra,
    }


def _send_once(registration: Registration, kind: str, ref: str, **send_kwargs) -> bool:
    """Send one email unless this (registration, kind, ref) was sent or is being sent already.

    The `Notice` row is claimed in its own short transaction and committed before the SMTP conversation,
    so no transaction (nor the unique-index lock a concurrent sweep would wait on) stays open during the
    send, and a database error after the hand-off cannot roll the record back and cause a resend. A send
    that raises deletes its claim, so the task's retry sends; a claim left unsent by a dead worker is taken
    over by the redelivered task once older than the lease (at-least-once, never silently lost)."""
    now = timezone.now()
    notice, created = Notice.objects.get_or_create(
        registration=registration, kind=kind, ref=ref, defaults={"claimed_at": now, "sent_at": None}
    )
    if not created:
        taken_over = Notice.objects.filter(
            pk=notice.pk, sent_at__isnull=True, claimed_at__lte=now - _stale_claim()
        ).update(claimed_at=now)
        if not taken_over:
            return False
    try:
        emails.send(to=[registration.email], language=registration.language, **send_kwargs)
    except BaseException:
        Notice.objects.filter(pk=notice.pk, sent_at__isnull=True).delete()
        raise
    Notice.objects.filter(pk=notice.pk).update(sent_at=timezone.now())
    return True


@shared_task(name="webinars.send_registration_email", **TASK_OPTIONS)
def send_registration_email(registration_id: int, attempt: str = "") -> bool:
    """The sign-up email: where you stand and the link to confirm. Once per sign-up *attempt*: the
    service gives every attempt its own `attempt` id, so a second sign-up with the same address sends it
    again on purpose, while a redelivered task (same id) sends nothing."""
    registration = Registration.objects.select_related("webinar").filter(pk=registration_id).first()
    if registration is None or registration.status == Registration.Status.CANCELLED:
        return False
    position = None
    if registration.status == Registration.Status.WAITLISTED:
        position = (
            Registration.objects.filter(webinar_id=registration.webinar_id)
            .waitlist()
            .filter(waitlisted_at__lte=registration.waitlisted_at)
            .count()
        )
    return _send_once(
        registration,
        Notice.Kind.SIGNUP,
        attempt,
        template="webinar_registration",
        context=_context(registration, position=position),
    )


@shared_task(name="webinars.send_invite", **TASK_OPTIONS)
def send_invite(registration_id: int) -> bool:
    """A seat is yours: for a confirmed address, the invite (.ics REQUEST) and the join link; for an
    address not yet confirmed (a promotion), a request to confirm it first."""
    registration = Registration.objects.select_related("webinar").filter(pk=registration_id).first()
    if (
        registration is None
        or registration.status != Registration.Status.CONFIRMED
        or registration.webinar.is_cancelled
    ):
        return False
    webinar = registration.webinar
    promoted = registration.promoted_at is not None
    state = "c" if registration.is_invited else "u"
    ref = f"{registration.seated_at.timestamp():.0f}:{webinar.ics_sequence}:{state}"
    if registration.is_invited:
        return _send_once(
            registration,
            Notice.Kind.INVITE,
            ref,
            template="webinar_invite",
            context=_context(registration, promoted=promoted),
            attachments=[ics.attachment(webinar=webinar, registration=registration, method=ics.REQUEST)],
        )
    return _send_once(
        registration, Notice.Kind.INVITE, ref, template="webinar_promoted", context=_context(registration)
    )


@shared_task(name="webinars.send_registration_cancelled", **TASK_OPTIONS)
def send_registration_cancelled(registration_id: int) -> bool:
    registration = Registration.objects.select_related("webinar").filter(pk=registration_id).first()
    if registration is None or registration.status != Registration.Status.CANCELLED:
        return False
    had_invite = registration.notices.filter(kind=Notice.Kind.INVITE).exists()
    attachments = []
    if had_invite and registration.email_confirmed_at:
        attachments.append(
            ics.attachment(webinar=registration.webinar, registration=registration, method=ics.CANCEL)
        )
    return _send_once(
        registration,
        Notice.Kind.WITHDRAWN,
        f"{registration.cancelled_at.timestamp():.0f}",
        template="webinar_registration_cancelled",
        context=_context(registration),
        attachments=attachments,
    )


@shared_task(name="webinars.send_seat_released", **TASK_OPTIONS)
def send_seat_released(registration_id: int) -> bool:
    registration = Registration.objects.select_related("webinar").filter(pk=registration_id).first()
    if registration is None or registration.status != Registration.Status.CANCELLED:
        return False
    return _send_once(
        registration,
        Notice.Kind.WITHDRAWN,
        f"{registration.cancelled_at.timestamp():.0f}",
        template="webinar_seat_released",
        context=_context(registration),
    )


def _webinar_personal(method: str):
    """Each registrant's own links, and the invite (REQUEST or CANCEL) for a seat holder; a registration
    cancelled since the event was planned gets nothing."""

    def personal(shared: dict, row_context: dict) -> dict | None:
        registration = (
            Registration.objects.active()
            .select_related("webinar")
            .filter(pk=row_context.get("registration_id"), webinar_id=shared["webinar"].pk)
            .first()
        )
        if registration is None:
            return None
        attachments = []
        if registration.is_invited:
            attachments.append(
                ics.attachment(webinar=shared["webinar"], registration=registration, method=method)
            )
        return {"context": _context(registration), "attachments": attachments}

    return personal


def _changed_shared(ref: str) -> dict | None:
    """A stale change (the webinar moved again, or was cancelled, since) sends nothing: the newer one will."""
    webinar_id, sequence = (int(part) for part in ref.split(":"))
    webinar = Webinar.objects.filter(
        pk=webinar_id, ics_sequence=sequence, status=Webinar.Status.SCHEDULED
    ).first()
    return None if webinar is None else {"webinar": webinar}


def _cancelled_shared(ref: str) -> dict | None:
    webinar = Webinar.objects.filter(pk=int(ref), status=Webinar.Status.CANCELLED).first()
    return None if webinar is None else {"webinar": webinar}


CHANGED = outbox.register("webinars.changed", shared=_changed_shared, personal=_webinar_personal(ics.REQUEST))
CANCELLED = outbox.register(
    "webinars.cancelled", shared=_cancelled_shared, personal=_webinar_personal(ics.CANCEL)
)


def _registrants(webinar: Webinar) -> dict[str, dict]:
    return {
        email: {"registration_id": pk}
        for pk, email in webinar.registrations.active().order_by("pk").values_list("pk", "email")
    }


def _webinar_notify(*, webinar: Webinar, key: str, title, covered_by: str) -> None:
    """The notification of a change: to registrants who have an account and to followers of the
    deliverable it presents; registrants have the email above as its email."""
    registrants = {e.lower() for e in webinar.registrations.active().values_list("email", flat=True)}
    user_ids = list(
        User.objects.annotate(address=Lower("email"))
        .filter(is_active=True, address__in=registrants)
        .values_list("pk", flat=True)
    )
    notifications.event_raise(
        key=key,
        kind=NotificationKind.WEBINAR_CHANGED,
        title=title,
        url=webinar.get_absolute_url(),
        recipients=user_ids,
        targets=[f"consultations.deliverable:{webinar.deliverable_id}"] if webinar.deliverable_id else [],
        covered_by=covered_by,
    )


def webinar_changed_plan(*, webinar: Webinar) -> str:
    """One outbox row per active registrant for the webinar's current time (call it in the transaction
    that moves it), and the notification. Idempotent."""
    event = outbox.plan(
        kind=CHANGED.name,
        ref=f"{webinar.pk}:{webinar.ics_sequence}",
        template="webinar_changed",
        recipients=_registrants(webinar),
    )
    _webinar_notify(
        webinar=webinar,
        key=f"webinars.changed:{webinar.pk}:{webinar.ics_sequence}",
        title=lambda: _("Webinar moved: “%(title)s”") % {"title": webinar.title},
        covered_by=event,
    )
    return event


def webinar_cancelled_plan(*, webinar: Webinar) -> str:
    """One outbox row per active registrant of a cancelled webinar (call it in the transaction that
    cancels it), and the notification. Idempotent."""
    event = outbox.plan(
        kind=CANCELLED.name, ref=webinar.pk, template="webinar_cancelled", recipients=_registrants(webinar)
    )
    _webinar_notify(
        webinar=webinar,
        key=f"webinars.cancelled:{webinar.pk}",
        title=lambda: _("Webinar cancelled: “%(title)s”") % {"title": webinar.title},
        covered_by=event,
    )
    return event


@shared_task(name="webinars.send_webinar_changed", **TASK_OPTIONS)
def send_webinar_changed(webinar_id: int, sequence: int) -> int:
    """Tell every active registrant the new time; seat holders get the updated invite (same UID, higher
    SEQUENCE). The rows were planned with the change; the outbox sweep finishes them if this task dies."""
    webinar = Webinar.objects.filter(
        pk=webinar_id, ics_sequence=sequence, status=Webinar.Status.SCHEDULED
    ).first()
    if webinar is None:
        return 0
    return outbox.deliver(webinar_changed_plan(webinar=webinar)).sent


@shared_task(name="webinars.send_webinar_cancelled", **TASK_OPTIONS)
def send_webinar_cancelled(webinar_id: int) -> int:
    webinar = Webinar.objects.filter(pk=webinar_id, status=Webinar.Status.CANCELLED).first()
    if webinar is None:
        return 0
    return outbox.deliver(webinar_cancelled_plan(webinar=webinar)).sent


REMINDER_TEMPLATES = {
    Notice.Kind.DAY_BEFORE: "webinar_reminder",
    Notice.Kind.HOUR_BEFORE: "webinar_reminder",
    Notice.Kind.RECORDING: "webinar_recording",
}


def _reminder_ref(webinar: Webinar, kind: str) -> str:
    """What a reminder is about: the start it announces, or the recording it links to."""
    if kind == Notice.Kind.RECORDING:
        return webinar.recording_url[:64]
    return webinar.starts_at.isoformat()


def _reminder_shared(ref: str) -> dict | None:
    """A reminder for a start or a recording that has changed since, or a cancelled webinar: nothing."""
    webinar_id, kind, about = ref.split(":", 2)
    webinar = Webinar.objects.filter(pk=int(webinar_id), status=Webinar.Status.SCHEDULED).first()
    if webinar is None or _reminder_ref(webinar, kind) != about:
        return None
    return {"webinar": webinar, "kind": kind}


def _reminder_personal(shared: dict, row_context: dict) -> dict | None:
    registration = (
        Registration.objects.invited()
        .select_related("webinar")
        .filter(pk=row_context.get("registration_id"), webinar_id=shared["webinar"].pk)
        .first()
    )
    if registration is None:
        return None
    return {"context": _context(registration, kind=shared["kind"])}


REMINDER = outbox.register("webinars.reminder", shared=_reminder_shared, personal=_reminder_personal)


def _due(kind: str, webinars) -> int:
    sent = 0
    for webinar in webinars:
        about = _reminder_ref(webinar, kind)
        # sent before reminders went through the outbox
        legacy = Notice.objects.filter(
            registration=OuterRef("pk"), kind=kind, ref=about, sent_at__isnull=False
        )
        # Only seat holders with a confirmed address: nobody else could have joined, and an address
        # nobody confirmed gets no more mail (the recording is on the public page anyway).
        registrations = webinar.registrations.invited().exclude(Exists(legacy)).order_by("pk")
        event = outbox.plan(
            kind=REMINDER.name,
            ref=f"{webinar.pk}:{kind}:{about}",
            template=REMINDER_TEMPLATES[kind],
            recipients={
                email: {"registration_id": pk} for pk, email in registrations.values_list("pk", "email")
            },
        )
        sent += outbox.deliver(event).sent
    return sent


def reminders_send_due(*, now=None) -> int:
    """Reminders a day and an hour before, and the recording once a webinar has ended: everything due
    and not yet sent. Safe to run any number of times, by any number of beat ticks at once."""
    now = now or timezone.now()
    scheduled = Webinar.objects.filter(status=Webinar.Status.SCHEDULED)
    sent = _due(
        Notice.Kind.DAY_BEFORE,
        scheduled.filter(starts_at__gt=now + timedelta(hours=1), starts_at__lte=now + timedelta(hours=24)),
    )
    sent += _due(
        Notice.Kind.HOUR_BEFORE,
        scheduled.filter(starts_at__gt=now, starts_at__lte=now + timedelta(hours=1)),
    )
    sent += _due(
        Notice.Kind.RECORDING,
        scheduled.filter(ends_at__lte=now, ends_at__gt=now - RECORDING_WINDOW).exclude(recording_url=""),
    )
    return sent


@shared_task(name="webinars.sweep", base=ReliableTask)
def sweep() -> dict:
    """The periodic sweep (beat, every few minutes): release seats of unconfirmed addresses, then send
    what is due. Both steps select by state, so overlapping or repeated runs change and send nothing twice."""
    released = services.registrations_release_unconfirmed()
    return {"released": released, "sent": reminders_send_due()}
