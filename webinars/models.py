"""Public webinars and their registrations.

A webinar has a capacity; a registration holds a seat (`confirmed`) or a place on the waitlist
(`waitlisted`), or was `cancelled`. Seats are only ever assigned by `webinars.services` while the
webinar row is locked, so the number of confirmed registrations never exceeds the capacity.
The registrant proves their address by the emailed link (`email_confirmed_at`); only a confirmed seat
with a confirmed address sees the join link and gets the calendar invite.
"""

import secrets
import uuid
import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiative.models import Language, StakeholderType


def _timezone_choices():
    common = [
        "America/New_York",
        "America/Chicago",
        "America/Denver",
        "America/Phoenix",
        "America/Los_Angeles",
        "America/Anchorage",
        "Pacific/Honolulu",
        "UTC",
    ]
    return [(name, name.replace("_", " ")) for name in common]


def _new_uid() -> str:
    return f"webinar-{uuid.uuid4()}@der-initiative"


def _new_nonce() -> str:
    return secrets.token_urlsafe(12)


class WebinarQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        now = now or timezone.now()
        return self.filter(status=Webinar.Status.SCHEDULED, ends_at__gt=now).order_by("starts_at")

    def past(self, now=None):
        now = now or timezone.now()
        return self.filter(status=Webinar.Status.SCHEDULED, ends_at__lte=now).order_by("-starts_at")

    def with_seat_counts(self):
        return self.annotate(
            confirmed_count=models.Count("registrations", filter=Q(registrations__status="confirmed")),
            waitlist_count=models.Count("registrations", filter=Q(registrations__status="waitlisted")),
        )


class Webinar(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown"))
    deliverable = models.ForeignKey(
        "workstreams.Deliverable",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="webinars",
        verbose_name=_("deliverable"),
        help_text=_("The draft final deliverable this webinar presents, if any."),
    )
    consultation = models.ForeignKey(
        "consultations.Review",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="webinars",
        limit_choices_to={"kind": "public_consultation"},
        verbose_name=_("public consultation"),
        help_text=_("The public consultation this webinar presents, if any."),
    )
    starts_at = models.DateTimeField(_("starts at"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        choices=_timezone_choices(),
        default="America/New_York",
        help_text=_("The time zone the start time is given in and shown in."),
    )
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    # Stored (not computed) so lists can filter upcoming/past in the database.
    ends_at = models.DateTimeField(editable=False)
    capacity = models.PositiveIntegerField(_("capacity"))
    join_url = models.URLField(_("join link"), help_text=_("Shown only to confirmed registrants."))
    registration_closes_at = models.DateTimeField(
        _("registration deadline"), null=True, blank=True, help_text=_("Defaults to the start time.")
    )
    recording_url = models.URLField(_("recording link"), blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    cancellation_reason = models.TextField(blank=True)
    # iCalendar identity: UID never changes; SEQUENCE goes up with every change attendees must see.
    ics_uid = models.CharField(max_length=120, unique=True, default=_new_uid, editable=False)
    ics_sequence = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = WebinarQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="webinar_capacity_positive"),
            models.CheckConstraint(condition=Q(duration_minutes__gte=1), name="webinar_duration_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("webinars:webinar-detail", kwargs={"slug": self.slug})

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def local_start(self):
        return self.starts_at.astimezone(self.tzinfo)

    @property
    def local_end(self):
        return self.ends_at.astimezone(self.tzinfo)

    @property
    def deadline(self):
        return self.registration_closes_at or self.starts_at

    @property
    def remaining_seats(self) -> int:
        """Free seats; needs the `with_seat_counts()` annotation (never a query of its own)."""
        return max(0, self.capacity - self.confirmed_count)

    def compute_ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    def is_past(self, now=None) -> bool:
        return self.ends_at <= (now or timezone.now())

    def registration_open(self, now=None) -> bool:
        return not self.is_cancelled and (now or timezone.now()) < self.deadline


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(status=Registration.Status.CANCELLED)

    def waitlist(self):
        """The waitlist in promotion order: first come, first served."""
        return self.filter(status=Registration.Status.WAITLISTED).order_by("waitlisted_at", "pk")

    def invited(self):
        """Registrants who hold a seat and have confirmed their address: they get the join link."""
        return self.filter(status=Registration.Status.CONFIRMED, email_confirmed_at__isnull=False)


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Seat confirmed")
        WAITLISTED = "waitlisted", _("On the waitlist")
        CANCELLED = "cancelled", _("Cancelled")

    webinar = models.ForeignKey(Webinar, on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email address"))
    organization = models.CharField(_("organization"), max_length=200, blank=True)
    stakeholder_type = models.CharField(_("stakeholder type"), max_length=32, choices=StakeholderType.choices)
    consented_at = models.DateTimeField()
    # The language the registrant signed up in: their emails and calendar invite are in it.
    language = models.CharField(max_length=8, choices=Language.choices, default=Language.ENGLISH)
    status = models.CharField(max_length=16, choices=Status.choices)
    created_at = models.DateTimeField(default=timezone.now)
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    seated_at = models.DateTimeField(null=True, blank=True, help_text=_("When the seat was assigned."))
    promoted_at = models.DateTimeField(null=True, blank=True)
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(null=True, blank=True)
    # Part of the signed link; rotating it invalidates every link sent before.
    link_nonce = models.CharField(max_length=32, default=_new_nonce, editable=False)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint("webinar", Lower("email"), name="registration_one_per_email"),
        ]
        indexes = [
            models.Index(fields=["webinar", "status", "waitlisted_at"], name="registration_webinar_status"),
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.webinar}"

    @property
    def is_invited(self) -> bool:
        return self.status == self.Status.CONFIRMED and self.email_confirmed_at is not None


class Notice(models.Model):
    """One email of a kind sent to one registration: the unique row is what makes each reminder (and
    each change notice) go out once however often the sweep or a task runs. `ref` says which occurrence
    (the start time for reminders, the iCalendar sequence for changes, the sign-up attempt).

    The row is a claim committed *before* the email is sent (`claimed_at`), marked `sent_at` after; no
    database transaction stays open during the SMTP conversation. A claim whose send failed is deleted
    (the retry sends); one left unsent by a worker that died mid-send is taken over once it is stale."""

    class Kind(models.TextChoices):
        SIGNUP = "signup", _("Sign-up confirmation link")
        INVITE = "invite", _("Seat and invite")
        WITHDRAWN = "withdrawn", _("Registration cancelled")
        DAY_BEFORE = "day_before", _("Reminder a day before")
        HOUR_BEFORE = "hour_before", _("Reminder an hour before")
        CHANGED = "changed", _("Webinar moved")
        CANCELLED = "cancelled", _("Webinar cancelled")
        RECORDING = "recording", _("Recording available")

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    ref = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "kind", "ref"], name="notice_once_per_occurrence"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.registration_id}"
