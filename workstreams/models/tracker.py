"""Deliverables and their review stages, and the weekly deliverable digest (deliveries, opt-outs)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .workstreams import Workstream


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
        _("key 'draft final' deliverable"),
        default=False,
        help_text=_("Key deliverables go through a public consultation, usually with a webinar."),
    )
    due_month = models.PositiveSmallIntegerField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliverables",
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


class DigestDelivery(models.Model):
    """The weekly deliverables digest sent to one owner for one week (unique: sent at most once)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week = models.DateField(help_text=_("Monday of the week"))
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "week"], name="digest_once_per_week")]

    def __str__(self) -> str:
        return f"digest to user {self.user_id} for week of {self.week}"


class DigestOptOut(models.Model):
    """An owner who unsubscribed from the weekly digest."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"user {self.user_id} unsubscribed from the digest"


class CheckpointStatus(models.TextChoices):
    ASKED = "asked", _("Asked")
    ANSWERED = "answered", _("Answered")
    NO_RESPONSE = "no_response", _("No response")


class Checkpoint(models.Model):
    """A deliverable asks another workstream to review it ("ensure coordination across workstreams to
    avoid gaps and overlaps"): the asked workstream's members see and comment on the draft during member
    review. Answered when one of them comments; no response when a member review closes without one.
    The status is kept by the consultations services that see those events."""

    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="checkpoints")
    workstream = models.ForeignKey(Workstream, on_delete=models.PROTECT, related_name="checkpoints_asked")
    status = models.CharField(max_length=16, choices=CheckpointStatus.choices, default=CheckpointStatus.ASKED)
    note = models.TextField(blank=True, help_text=_("What the asked workstream should look at"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    asked_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["workstream__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["deliverable", "workstream"], name="checkpoint_one_per_workstream"
            )
        ]

    def __str__(self) -> str:
        return f"{self.deliverable} → {self.workstream.code}: {self.get_status_display()}"
