"""Celery tasks of the webinars app: ids-only arguments, each email guarded so a redelivered task or a
second sweep sends nothing twice (a `Notice` row unique per registration, kind and occurrence, created
in the same transaction that sends)."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from initiative import emails
from initiative.celery import ReliableTask

from . import ics, services
from .models import Notice, Registration, Webinar

# Late ack, retries with backoff, a TaskFailure row when a task gives up (initiative.celery).
TASK_OPTIONS = {"base": ReliableTask}
RECORDING_WINDOW = timedelta(days=30)


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
        **_links(registration),
        **extra,
    }


def _send_once(registration: Registration, kind: str, ref: str, **send_kwargs) -> bool:
    """Send one email unless this (registration, kind, ref) was sent already. The row and the send share
    a transaction: a failed send leaves no row, so the retry sends."""
    with transaction.atomic():
        _, created = Notice.objects.get_or_create(registration=registration, kind=kind, ref=ref)
        if not created:
            return False
        emails.send(to=[registration.email], **send_kwargs)
    return True


@shared_task(name="webinars.send_registration_email", **TASK_OPTIONS)
def send_registration_email(registration_id: int) -> bool:
    """The sign-up email: where you stand and the link to confirm. Sent again on purpose when the same
    address signs up a second time, so it has no once-only guard."""
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
    emails.send(
        template="webinar_registration",
        to=[registration.email],
        context=_context(registration, position=position),
    )
    return True


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


@shared_task(name="webinars.send_webinar_changed", **TASK_OPTIONS)
def send_webinar_changed(webinar_id: int, sequence: int) -> int:
    """Tell every active registrant the new time; seat holders get the updated invite (same UID, higher
    SEQUENCE). A stale task (the webinar moved again since) sends nothing: the newer one will."""
    webinar = Webinar.objects.filter(
        pk=webinar_id, ics_sequence=sequence, status=Webinar.Status.SCHEDULED
    ).first()
    if webinar is None:
        return 0
    sent = 0
    for registration in webinar.registrations.active().select_related("webinar").iterator(chunk_size=200):
        attachments = []
        if registration.is_invited:
            attachments.append(ics.attachment(webinar=webinar, registration=registration, method=ics.REQUEST))
        sent += _send_once(
            registration,
            Notice.Kind.CHANGED,
            str(sequence),
            template="webinar_changed",
            context=_context(registration),
            attachments=attachments,
        )
    return sent


@shared_task(name="webinars.send_webinar_cancelled", **TASK_OPTIONS)
def send_webinar_cancelled(webinar_id: int) -> int:
    webinar = Webinar.objects.filter(pk=webinar_id, status=Webinar.Status.CANCELLED).first()
    if webinar is None:
        return 0
    sent = 0
    for registration in webinar.registrations.active().select_related("webinar").iterator(chunk_size=200):
        attachments = []
        if registration.is_invited:
            attachments.append(ics.attachment(webinar=webinar, registration=registration, method=ics.CANCEL))
        sent += _send_once(
            registration,
            Notice.Kind.CANCELLED,
            "",
            template="webinar_cancelled",
            context=_context(registration),
            attachments=attachments,
        )
    return sent


def _due(kind: str, webinars, ref_of) -> int:
    sent = 0
    for webinar in webinars:
        ref = ref_of(webinar)
        already = Notice.objects.filter(registration=OuterRef("pk"), kind=kind, ref=ref)
        registrations = (
            webinar.registrations.invited().exclude(Exists(already)).select_related("webinar")
            if kind != Notice.Kind.RECORDING
            else webinar.registrations.filter(status=Registration.Status.CONFIRMED)
            .exclude(Exists(already))
            .select_related("webinar")
        )
        template = {
            "day_before": "webinar_reminder",
            "hour_before": "webinar_reminder",
            "recording": "webinar_recording",
        }[kind]
        for registration in registrations.iterator(chunk_size=200):
            sent += _send_once(
                registration, kind, ref, template=template, context=_context(registration, kind=kind)
            )
    return sent


def reminders_send_due(*, now=None) -> int:
    """Reminders a day and an hour before, and the recording once a webinar has ended: everything due
    and not yet sent. Safe to run any number of times, by any number of beat ticks at once."""
    now = now or timezone.now()
    scheduled = Webinar.objects.filter(status=Webinar.Status.SCHEDULED)
    sent = _due(
        Notice.Kind.DAY_BEFORE,
        scheduled.filter(starts_at__gt=now + timedelta(hours=1), starts_at__lte=now + timedelta(hours=24)),
        lambda w: w.starts_at.isoformat(),
    )
    sent += _due(
        Notice.Kind.HOUR_BEFORE,
        scheduled.filter(starts_at__gt=now, starts_at__lte=now + timedelta(hours=1)),
        lambda w: w.starts_at.isoformat(),
    )
    sent += _due(
        Notice.Kind.RECORDING,
        scheduled.filter(ends_at__lte=now, ends_at__gt=now - RECORDING_WINDOW).exclude(recording_url=""),
        lambda w: w.recording_url[:64],
    )
    return sent


@shared_task(name="webinars.sweep", base=ReliableTask)
def sweep() -> dict:
    """The periodic sweep (beat, every few minutes): release seats of unconfirmed addresses, then send
    what is due. Both steps select by state, so overlapping or repeated runs change and send nothing twice."""
    released = services.registrations_release_unconfirmed()
    return {"released": released, "sent": reminders_send_due()}
