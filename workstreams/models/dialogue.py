"""The Track 3 dialogue's living documents: for each issue area, four sections (longer-term vision, key
challenges, potential solutions, nearer-term priorities) kept as numbered versions, the solutions tied
to the Track 1 models they suit, members' comments, and the periodic re-evaluations of the vision."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .framework import OperatingModel
from .sessions import IssueArea


class SectionKind(models.TextChoices):
    """The four parts the report asks of every issue area, in the order the report names them."""

    VISION = "vision", _("Longer-term vision")
    CHALLENGES = "challenges", _("Key challenges")
    SOLUTIONS = "solutions", _("Potential solutions")
    PRIORITIES = "priorities", _("Nearer-term priorities")


SECTION_ORDER = list(SectionKind.values)


class AreaSection(models.Model):
    """One section of an issue area's document. `body` is the current Markdown; `version` is the
    number of its latest `SectionVersion` (0 before the first). For the solutions section, `body` is
    the introduction and the solutions are `Solution` rows; a version keeps the two together."""

    area = models.ForeignKey(IssueArea, on_delete=models.CASCADE, related_name="sections")
    kind = models.CharField(max_length=16, choices=SectionKind.choices)
    body = models.TextField(blank=True, help_text=_("Markdown"))
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["area", "kind"]
        constraints = [models.UniqueConstraint(fields=["area", "kind"], name="area_section_once")]

    def __str__(self) -> str:
        return f"{self.area}: {self.get_kind_display()}"

    @property
    def position(self) -> int:
        return SECTION_ORDER.index(self.kind)


class SectionVersion(models.Model):
    """An immutable snapshot of a section's full text (for solutions: the introduction and every
    solution with the models it suits), numbered 1, 2, … per section."""

    section = models.ForeignKey(AreaSection, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    note = models.CharField(max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["section", "-number"]
        constraints = [models.UniqueConstraint(fields=["section", "number"], name="section_version_number")]

    def __str__(self) -> str:
        return f"{self.section} v{self.number}"


class Solution(models.Model):
    """A potential solution to an area's challenges, optionally tied to the Track 1 operating models it
    suits ("ISO-DSO operational coordination needs will be very different under the more decentralized
    versus more centralized DSO models")."""

    area = models.ForeignKey(IssueArea, on_delete=models.CASCADE, related_name="solutions")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True, help_text=_("Markdown"))
    operating_models = models.ManyToManyField(OperatingModel, blank=True, related_name="track3_solutions")
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["area", "order", "id"]

    def __str__(self) -> str:
        return self.title


class SectionComment(models.Model):
    """A member's comment on a section, on the version they read."""

    section = models.ForeignKey(AreaSection, on_delete=models.CASCADE, related_name="comments")
    version_number = models.PositiveIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["section", "created_at", "id"]

    def __str__(self) -> str:
        return f"comment {self.pk} on {self.section}"


class Reevaluation(models.Model):
    """A re-evaluation of an area's vision, opened when its `reevaluate_on` date comes (once per date:
    the unique constraint is what makes the periodic task idempotent) and completed by staff, which
    records the vision version it settled on."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    area = models.ForeignKey(IssueArea, on_delete=models.CASCADE, related_name="reevaluations")
    due_on = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    vision_version = models.ForeignKey(
        SectionVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["area", "-due_on"]
        constraints = [
            models.UniqueConstraint(fields=["area", "due_on"], name="reevaluation_once_per_date"),
            models.UniqueConstraint(
                fields=["area"], condition=Q(status="open"), name="reevaluation_one_open"
            ),
        ]

    def __str__(self) -> str:
        return f"re-evaluation of {self.area} due {self.due_on}"
