"""Writes on webinars and registrations.

Every seat change happens with the webinar row locked (`select_for_update(no_key=True)` on the webinar,
always taken before any registration row), so sign-ups, cancellations and capacity changes for one
webinar are serialized and the count of confirmed registrations can never pass the capacity, however
many requests arrive at once. Emails go out from Celery tasks enqueued on commit.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from initiative import audit, policy
from initiative.models import Language
from initiative.translation import in_default_language

from .models import Registration, Webinar

TOKEN_SALT = "webinars.registration"
SCHEDULE_FIELDS = ("starts_at", "duration_minutes", "time_zone")
EDITABLE_FIELDS = (
    "title",
    "description",
    "title_es",
    "description_es",
    "deliverable",
    "consultation",
    "starts_at",
    "time_zone",
    "duration_minutes",
    "capacity",
    "join_url",
    "registration_closes_at",
    "recording_url",
)


class WebinarError(Exception):
    """A refused webinar or registration change; `code` names why, `message` is for people."""

    CLOSED = "closed"
    CANCELLED = "cancelled"
    NO_CONSENT = "no_consent"
    CAPACITY_BELOW_SEATS = "capacity_below_seats"
    NOT_STARTED = "not_started"

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def _enqueue(task, *args) -> None:
    """`task.delay_on_commit(*args)` for effects of public requests, but robust: if the broker is down
    after the registration committed, the registrant gets their page (and the error is logged) rather
    than a 500 for a change that did happen. Staff actions use plain `delay_on_commit`, so they see it."""
    transaction.on_commit(partial(task.delay, *args), robust=True)


# Links ---------------------------------------------------------------------------------------------


def registration_token(registration: Registration) -> str:
    """The registrant's link token: signed (HMAC with SECRET_KEY) id and nonce, so it can be put in
    every later email without storing it, and cannot be forged or pointed at another registration."""
    return signing.Signer(salt=TOKEN_SALT).sign_object([registration.pk, registration.link_nonce])


def registration_get_by_token(token: str) -> Registration | None:
    try:
        pk, nonce = signing.Signer(salt=TOKEN_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    registration = Registration.objects.select_related("webinar").filter(pk=pk).first()
    if registration is None or not secrets.compare_digest(str(registration.link_nonce), str(nonce)):
        return None
    return registration


# Webinars --------------------------------------------------------------------------------------------


def _unique_slug(title: str) -> str:
    base = slugify(title)[:100] or "webinar"
    slug, n = base, 2
    while Webinar.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@in_default_language
def webinar_create(*, actor, **fields) -> Webinar:
    """`title`/`description` are the English text, whatever language the staff member browses in;
    `title_es`/`description_es` the Spanish, when staff enter it (see `translation.py`)."""
    policy.require(actor, "webinars.manage_webinar")
    webinar = Webinar(**{k: v for k, v in fields.items() if k in EDITABLE_FIELDS})
    webinar.ends_at = webinar.compute_ends_at()
    webinar.created_by = actor
    with transaction.atomic():
        webinar.slug = _unique_slug(webinar.title)
        webinar.save()
        audit.record(
            actor=actor,
            action="webinar.create",
            obj=webinar,
            after={
                "title": webinar.title,
                "starts_at": webinar.starts_at.isoformat(),
                "capacity": webinar.capacity,
            },
        )
    return webinar


@in_default_language
def webinar_update(*, actor, webinar: Webinar, **fields) -> Webinar:
    """Change a webinar. A new time bumps the invite's SEQUENCE and tells every registrant; a larger
    capacity promotes from the waitlist; a smaller one may not drop below the seats already given.
    A recording link is sent by the reminder sweep once the webinar has ended."""
    policy.require(actor, "webinars.manage_webinar", webinar)
    from .tasks import send_webinar_changed, webinar_changed_plan

    with transaction.atomic():
        webinar = Webinar.objects.select_for_update(no_key=True).get(pk=webinar.pk)  # lock: seats
        if webinar.is_cancelled:
            raise WebinarError(
                WebinarError.CANCELLED, _("This webinar was cancelled; it can no longer change.")
            )
        changed = [k for k in EDITABLE_FIELDS if k in fields and getattr(webinar, k) != fields[k]]
        if not changed:
            return webinar
        before = audit.snapshot(webinar, changed)
        for name in changed:
            setattr(webinar, name, fields[name])
        seats = webinar.registrations.filter(status=Registration.Status.CONFIRMED).count()
        if webinar.capacity < seats:
            raise WebinarError(
                WebinarError.CAPACITY_BELOW_SEATS,
                _("%(n)d seats are already confirmed; the capacity cannot be lower.") % {"n": seats},
            )
        update_fields = [*changed, "updated_at"]
        moved = any(name in SCHEDULE_FIELDS for name in changed)
        if moved:
            webinar.ends_at = webinar.compute_ends_at()
            webinar.ics_sequence += 1
            update_fields += ["ends_at", "ics_sequence"]
        webinar.updated_at = timezone.now()
        webinar.save(update_fields=update_fields)
        audit.record(
            actor=actor,
            action="webinar.update",
            obj=webinar,
            before=before,
            after=audit.snapshot(webinar, changed),
        )
        if moved:
            webinar_changed_plan(webinar=webinar)  # the rows exist exactly when the change does
            send_webinar_changed.delay_on_commit(webinar.pk, webinar.ics_sequence)
        if "capacity" in changed:
            _fill_seats(webinar)
    return webinar


def webinar_cancel(*, actor, webinar: Webinar, reason: str = "") -> Webinar:
    """Cancel a webinar and tell every registrant (a METHOD:CANCEL invite to those who had one)."""
    policy.require(actor, "webinars.manage_webinar", webinar)
    from .tasks import send_webinar_cancelled, webinar_cancelled_plan

    with transaction.atomic():
        webinar = Webinar.objects.select_for_update(no_key=True).get(pk=webinar.pk)
        if webinar.is_cancelled:
            return webinar
        webinar.status = Webinar.Status.CANCELLED
        webinar.cancellation_reason = reason.strip()
        webinar.ics_sequence += 1
        webinar.updated_at = timezone.now()
        webinar.save(update_fields=["status", "cancellation_reason", "ics_sequence", "updated_at"])
        audit.record(
            actor=actor,
            action="webinar.cancel",
            obj=webinar,
            before={"status": "scheduled"},
            after={"status": "cancelled"},
            reason=webinar.cancellation_reason,
        )
        webinar_cancelled_plan(webinar=webinar)  # the rows exist exactly when the cancellation does
        send_webinar_cancelled.delay_on_commit(webinar.pk)
    return webinar


# Registrations -------------------------------------------------------------------------------------


def _attempt_id() -> str:
    """Names one sign-up attempt: the sign-up email is sent once per attempt (see the task)."""
    return secrets.token_hex(8)


@dataclass
class SignupResult:
    registration: Registration
    created: bool


def registration_create(
    *,
    actor,
    webinar_id: int,
    name: str,
    email: str,
    organization: str,
    stakeholder_type: str,
    consent: bool,
    language: str = Language.ENGLISH,
) -> SignupResult:
    """Register someone for a webinar: a seat while seats remain, else the end of the waitlist.

    One registration per email per webinar (case-insensitive, also a database constraint): a second
    attempt changes nothing and re-sends the confirmation email (`created=False`). A cancelled
    registration comes back to life at the end of the queue. `language` is the one the person signed up
    in: every email and calendar invite for this registration is in it.
    """
    policy.require(actor, "webinars.register")
    if not consent:
        raise WebinarError(WebinarError.NO_CONSENT, _("Please agree to the privacy notice to register."))
    from .tasks import send_registration_email

    email = email.strip()
    with transaction.atomic():
        # lock: serializes every seat decision for this webinar (see module docstring)
        webinar = Webinar.objects.select_for_update(no_key=True).get(pk=webinar_id)
        now = timezone.now()  # read under the lock, so queue times follow the order seats were decided
        if webinar.is_cancelled:
            raise WebinarError(WebinarError.CANCELLED, _("This webinar was cancelled."))
        if not webinar.registration_open(now):
            raise WebinarError(WebinarError.CLOSED, _("Registration for this webinar has closed."))
        registration = webinar.registrations.filter(email__iexact=email).first()
        if registration is not None and registration.status != Registration.Status.CANCELLED:
            _enqueue(send_registration_email, registration.pk, _attempt_id())
            return SignupResult(registration, created=False)
        seats = webinar.registrations.filter(status=Registration.Status.CONFIRMED).count()
        seated = seats < webinar.capacity
        values = {
            "name": name.strip(),
            "organization": organization.strip(),
            "stakeholder_type": stakeholder_type,
            "language": language if language in Language.values else Language.ENGLISH,
            "consented_at": now,
            "created_at": now,
            "status": Registration.Status.CONFIRMED if seated else Registration.Status.WAITLISTED,
            "seated_at": now if seated else None,
            "waitlisted_at": None if seated else now,
            "promoted_at": None,
            "cancelled_at": None,
            "attended": None,
        }
        if registration is None:
            try:
                with transaction.atomic():
                    registration = Registration.objects.create(webinar=webinar, email=email, **values)
            except IntegrityError:
                # Only reachable if a row appeared without the lock (e.g. the admin): report as duplicate.
                registration = webinar.registrations.get(email__iexact=email)
                return SignupResult(registration, created=False)
        else:
            for key, value in values.items():
                setattr(registration, key, value)
            registration.save(update_fields=list(values))
        audit.record(
            actor=actor,
            action="webinar.register",
            obj=registration,
            after={"webinar": webinar.pk, "status": registration.status},
        )
        _enqueue(send_registration_email, registration.pk, _attempt_id())
    return SignupResult(registration, created=True)


def registration_confirm_email(*, registration: Registration) -> Registration:
    """The registrant followed their link and pressed confirm: their address is real. A seat holder
    then gets the invite with the join link."""
    from .tasks import send_invite

    with transaction.atomic():
        registration = Registration.objects.select_for_update(no_key=True).get(pk=registration.pk)
        if (
            registration.email_confirmed_at is not None
            or registration.status == Registration.Status.CANCELLED
        ):
            return registration
        registration.email_confirmed_at = timezone.now()
        registration.save(update_fields=["email_confirmed_at"])
        audit.record(actor=None, action="webinar.registration_confirm", obj=registration)
        if registration.status == Registration.Status.CONFIRMED:
            _enqueue(send_invite, registration.pk)
    return registration


def registration_cancel(*, actor, registration: Registration) -> Registration:
    """Cancel a registration (the registrant through their link). A freed seat goes to the first on the
    waitlist, who is told by email."""
    from .tasks import send_registration_cancelled

    with transaction.atomic():
        webinar = Webinar.objects.select_for_update(no_key=True).get(pk=registration.webinar_id)  # lock order
        registration = Registration.objects.select_for_update(no_key=True).get(pk=registration.pk)
        if registration.status == Registration.Status.CANCELLED:
            return registration
        was_seated = registration.status == Registration.Status.CONFIRMED
        before = registration.status
        registration.status = Registration.Status.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at"])
        audit.record(
            actor=actor,
            action="webinar.registration_cancel",
            obj=registration,
            before={"status": before},
            after={"status": "cancelled"},
        )
        _enqueue(send_registration_cancelled, registration.pk)
        if was_seated:
            _fill_seats(webinar)
    registration.webinar = webinar
    return registration


def registrations_release_unconfirmed(*, now=None) -> int:
    """Give back the seats of registrants who did not confirm their address within
    WEBINAR_CONFIRM_WITHIN_HOURS of getting the seat (so addresses nobody reads cannot hoard seats), and
    promote the waitlist into them. Only before the start; safe to run any number of times."""
    from .tasks import send_seat_released

    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.WEBINAR_CONFIRM_WITHIN_HOURS)
    stale = Registration.objects.filter(
        status=Registration.Status.CONFIRMED,
        email_confirmed_at__isnull=True,
        seated_at__lte=cutoff,
        webinar__status=Webinar.Status.SCHEDULED,
        webinar__starts_at__gt=now,
    )
    released = 0
    for webinar_id in set(stale.values_list("webinar_id", flat=True)):
        with transaction.atomic():
            webinar = Webinar.objects.select_for_update(no_key=True).get(pk=webinar_id)  # lock: seats
            for registration in stale.filter(webinar=webinar).select_for_update(no_key=True):
                registration.status = Registration.Status.CANCELLED
                registration.cancelled_at = now
                registration.save(update_fields=["status", "cancelled_at"])
                audit.record(
                    actor=None,
                    action="webinar.registration_release",
                    obj=registration,
                    before={"status": "confirmed"},
                    after={"status": "cancelled"},
                    reason="address not confirmed in time",
                )
                _enqueue(send_seat_released, registration.pk)
                released += 1
            _fill_seats(webinar)
    return released


def _fill_seats(webinar: Webinar) -> list[Registration]:
    """Promote from the waitlist, in order, while seats are free. Caller holds the webinar lock."""
    from .tasks import send_invite

    now = timezone.now()
    if webinar.is_cancelled or webinar.starts_at <= now:
        return []
    free = webinar.capacity - webinar.registrations.filter(status=Registration.Status.CONFIRMED).count()
    promoted = []
    if free > 0:
        for registration in webinar.registrations.waitlist().select_for_update(no_key=True)[:free]:
            registration.status = Registration.Status.CONFIRMED
            registration.seated_at = registration.promoted_at = now
            registration.save(update_fields=["status", "seated_at", "promoted_at"])
            audit.record(
                actor=None,
                action="webinar.registration_promote",
                obj=registration,
                before={"status": "waitlisted"},
                after={"status": "confirmed"},
            )
            _enqueue(send_invite, registration.pk)
            promoted.append(registration)
    return promoted


def attendance_mark(
    *, actor, webinar: Webinar, present_ids: set[int], shown_ids: set[int] | None = None
) -> int:
    """After the start, record who attended among the seat holders (only those in `shown_ids`, the
    page the staff member saw, when given): those in `present_ids` attended, the others did not.
    Returns how many were marked present."""
    policy.require(actor, "webinars.manage_webinar", webinar)
    if webinar.starts_at > timezone.now():
        raise WebinarError(
            WebinarError.NOT_STARTED, _("Attendance can be marked once the webinar has started.")
        )
    with transaction.atomic():
        seats = Registration.objects.filter(webinar=webinar, status=Registration.Status.CONFIRMED)
        if shown_ids is not None:
            seats = seats.filter(pk__in=shown_ids)
        present = seats.filter(pk__in=present_ids).update(attended=True)
        seats.exclude(pk__in=present_ids).update(attended=False)
        audit.record(actor=actor, action="webinar.attendance", obj=webinar, after={"present": present})
    return present
