"""Tracks, workstreams and what they are made of; participants' enrollment in them.

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
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="led_workstreams"
    )

    class Meta:
        ordering = ["track__number", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(end_month__gte=models.F("start_month")), name="workstream_span"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        if self.code.startswith("T"):
            return f"Track {self.code[1:]}: {self.name}"
        return f"Workstream {self.code}: {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("workstreams:workstream-detail", kwargs={"slug": self.slug})


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


class StepStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETE = "complete", _("Complete")


class LifecycleStep(models.Model):
    """One of the five steps every workstream runs, from stock-taking to deep-dive recommendations.

    Names come from `content/lifecycle.yaml`, with a workstream's own names (Workstream A's A.1–A.3)
    from its entry in `content/workstreams.yaml`.
    """

    workstream = models.ForeignKey(Workstream, on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=StepStatus.choices, default=StepStatus.NOT_STARTED)
    planned_start = models.DateField(null=True, blank=True)
    planned_end = models.DateField(null=True, blank=True)
    started_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    section = models.TextField(blank=True, help_text=_("Markdown: this step's section of the report"))

    class Meta:
        ordering = ["workstream", "number"]
        constraints = [
            models.UniqueConstraint(fields=["workstream", "number"], name="step_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=5), name="step_number_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.workstream.code}.{self.number} {self.name}"


class DeliverableKind(models.TextChoices):
    REPORT = "report", _("Report")
    GUIDELINES = "guidelines", _("Guidelines")
    PRO_FORMA = "pro_forma", _("Pro forma text")
    FRAMEWORK = "framework", _("Framework")
    MATRIX = "matrix", _("Matrix")
    SUMMARY = "summary", _("Summary")
    OTHER = "other", _("Other")


class ReviewStage(models.TextChoices):
    """The review workflow every deliverable goes through (see docs/ARCHITECTURE.md)."""

    DRAFTING = "drafting", _("Drafting")
    MEMBER_REVIEW = "member_review", _("Member review")
    PUBLIC_CONSULTATION = "public_consultation", _("Public consultation")
    REVISING = "revising", _("Revising")
    SUBMITTED = "submitted", _("Submitted to the steering committee")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")


class Deliverable(models.Model):
    """A planned work product of a workstream. Its text and review live in `consultations`."""

    workstream = models.ForeignKey(Workstream, on_delete=models.PROTECT, related_name="deliverables")
    slug = models.SlugField(max_length=120)
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=16, choices=DeliverableKind.choices, default=DeliverableKind.REPORT)
    description = models.TextField(blank=True)
    is_key = models.BooleanField(
        _("key 'draft final' deliverable"), default=False,
        help_text=_("Key deliverables go through a public consultation, usually with a webinar."),
    )
    due_month = models.PositiveSmallIntegerField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliverables"
    )
    stage = models.CharField(max_length=32, choices=ReviewStage.choices, default=ReviewStage.DRAFTING)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["workstream", "order", "title"]
        constraints = [
            models.UniqueConstraint(fields=["workstream", "slug"], name="deliverable_unique_slug"),
        ]

    def __str__(self) -> str:
        return self.title


class Topic(models.Model):
    """A candidate topic for the workstream's deep dives (step 4 ranks them)."""

    class Source(models.TextChoices):
        REPORT = "report", _("From the report")
        STAFF = "staff", _("Added by staff")

    workstream = models.ForeignKey(Workstream, on_delete=models.CASCADE, related_name="topics")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.STAFF)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["workstream", "id"]
        constraints = [models.UniqueConstraint(fields=["workstream", "title"], name="topic_unique_title")]

    def __str__(self) -> str:
        return self.title


class GlossaryTerm(models.Model):
    """The common vocabulary Workstream A exists to agree on; the report's abbreviations come first."""

    class Kind(models.TextChoices):
        ABBREVIATION = "abbreviation", _("Abbreviation")
        TERM = "term", _("Term")

    term = models.CharField(max_length=120, unique=True)
    definition = models.TextField()
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.TERM)

    class Meta:
        ordering = ["term"]

    def __str__(self) -> str:
        return self.term


# Enrollment -------------------------------------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


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
    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
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
            models.CheckConstraint(condition=Q(expires_at__gt=models.F("created_at")), name="invitation_expiry"),
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
        "initiative.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="enrollments"
    )
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="enrollment"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
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
