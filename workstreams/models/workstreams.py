"""Tracks, workstreams and what they are made of; participants' enrollment in them (invitations).

Tracks and workstreams are rows, not subclasses: what differs between Workstream A and the Track 3
dialogue is data loaded from `workstreams/content/`.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiative.models import StakeholderType


class Track(models.Model):
    number = models.PositiveSmallIntegerField(unique=True)
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    title = models.CharField(max_length=200)
    objective = models.TextField(help_text=_("Markdown"))
    description = models.TextField(blank=True, help_text=_("Markdown"))

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workstreams:track-detail", kwargs={"slug": self.slug})


class Workstream(models.Model):
    """A workstream (A–E) or the Track 3 dialogue."""

    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="workstreams")
    code = models.CharField(max_length=8, unique=True)
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    challenge = models.TextField(help_text=_("Markdown"))
    objective = models.TextField(help_text=_("Markdown"))
    approach = models.TextField(blank=True, help_text=_("Markdown"))
    emerging_issues = models.TextField(blank=True, help_text=_("Markdown"))
    planned_outputs = models.JSONField(default=list, blank=True)
    sub_workstreams = models.JSONField(default=list, blank=True)
    start_month = models.PositiveSmallIntegerField(help_text=_("Months after the initiative starts"))
    end_month = models.PositiveSmallIntegerField()
    cross_cutting = models.BooleanField(
        default=False,
        help_text=_(
            "A theme the other workstreams check their work with (the report: Workstream C, with regular "
            "coordination checkpoints): suggested first when a deliverable asks for a checkpoint"
        ),
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_workstreams",
    )

    class Meta:
        ordering = ["track__number", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_month__gte=models.F("start_month")), name="workstream_span"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workstreams:workstream-detail", kwargs={"slug": self.slug})

    @property
    def title(self) -> str:
        if self.code.startswith("T"):
            return f"Track {self.code[1:]}: {self.name}"
        return f"Workstream {self.code}: {self.name}"


class WorkstreamStakeholder(models.Model):
    """A kind of stakeholder the report says the workstream should engage."""

    workstream = models.ForeignKey(Workstream, on_delete=models.CASCADE, related_name="stakeholders")
    type = models.CharField(max_length=32, choices=StakeholderType.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["workstream", "type"]
        constraints = [
            models.UniqueConstraint(fields=["workstream", "type"], name="workstream_stakeholder_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.workstream.code}: {self.get_type_display()}"


class IllustrativeQuestion(models.Model):
    workstream = models.ForeignKey(Workstream, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["workstream", "number"]
        constraints = [
            models.UniqueConstraint(fields=["workstream", "number"], name="question_unique_number"),
        ]

    def __str__(self) -> str:
        return self.text[:80]


# Enrollment -------------------------------------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class EnrollmentRole(models.TextChoices):
    """How a participant takes part (the report: "from directly participating in tracks and workstream
    discussions, to providing feedback")."""

    ACTIVE_MEMBER = "active_member", _("Active member (working sessions, ballots and member reviews)")
    FEEDBACK_PROVIDER = "feedback_provider", _("Feedback provider (comments on drafts and final products)")


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Invitation.Status.PENDING, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """An emailed, single-use invitation to take part in a workstream. Only a hash of the token is kept."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    workstream = models.ForeignKey(Workstream, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    organization = models.ForeignKey(
        "initiative.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(blank=True)
    role = models.CharField(
        max_length=20, choices=EnrollmentRole.choices, default=EnrollmentRole.ACTIVE_MEMBER
    )
    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")), name="invitation_expiry"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.workstream.code}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class EnrollmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Enrollment.Status.ACTIVE)


class Enrollment(models.Model):
    """A participant's commitment to take part in a workstream throughout. Withdrawal keeps the row."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    workstream = models.ForeignKey(Workstream, on_delete=models.PROTECT, related_name="enrollments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enrollments")
    organization = models.ForeignKey(
        "initiative.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enrollments",
    )
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="enrollment"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    role = models.CharField(
        max_length=20, choices=EnrollmentRole.choices, default=EnrollmentRole.ACTIVE_MEMBER
    )
    commitment = models.TextField(help_text=_("The commitment text the participant accepted"))
    committed_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        ordering = ["workstream", "-committed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["workstream", "user"], condition=Q(status="active"), name="enrollment_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.workstream.code}"
