"""A workstream's five lifecycle steps and the topics it works on."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .workstreams import Workstream


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


class Topic(models.Model):
    """A candidate topic for the workstream's deep dives (step 4 ranks them)."""

    class Source(models.TextChoices):
        REPORT = "report", _("From the report")
        STAFF = "staff", _("Added by staff")
        PARTICIPANT = "participant", _("Proposed by a participant")

    workstream = models.ForeignKey(Workstream, on_delete=models.CASCADE, related_name="topics")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.STAFF)
    is_active = models.BooleanField(default=True)
    issue_area = models.ForeignKey(
        "workstreams.IssueArea",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="topics",
        help_text=_("For Track 3: the issue area this candidate topic is (none for a new area)"),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["workstream", "id"]
        constraints = [models.UniqueConstraint(fields=["workstream", "title"], name="topic_unique_title")]

    def __str__(self) -> str:
        return self.title
