"""The Track 1 framework (Workstream A's tools): grid functions in categories, actors, operating models on
the centralized–decentralized spectrum with Table 3's dimensions, the actor × function matrix per model,
the framing questions of Table 1 with their answer options, and the roadmap of Table 6.

Loaded from `content/track1.yaml` by `workstreams.loader`; rows are found by slug. Matrix cells carry
their `origin`: cells loaded from the report are brought back in line with the file on every load, cells
staff edited are never touched by the loader again.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FunctionCategory(models.Model):
    """A high-level category of step A.1 (planning, resource adequacy, interconnection …)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "function categories"

    def __str__(self) -> str:
        return self.name


class GridFunction(models.Model):
    """One of Table 2's fourteen functions. Its category is an editorial assignment (the report has none)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=300)
    category = models.ForeignKey(FunctionCategory, on_delete=models.PROTECT, related_name="functions")
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Actor(models.Model):
    """An actor of Table 2's columns (DSO, ISO/TSO, distribution utility, LSE, DER aggregator, customer)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    alternate_names = models.JSONField(default=list, blank=True)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def short_name(self) -> str:
        """The abbreviation in the name's parentheses ("DSO"), or the name itself ("Customer")."""
        if self.name.endswith(")") and "(" in self.name:
            return self.name.rsplit("(", 1)[1][:-1]
        return self.name


class ModelDimension(models.Model):
    """A row heading of Table 3 (distribution operations, interconnection, planning, commercial activity,
    TSO-DSO relationship). Values live on `OperatingModel.dimensions`, keyed by this slug."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class ModelStatus(models.TextChoices):
    """Where a model stands in Workstream A's narrowing: members propose, a ranking round narrows, staff
    adopt the four or five the workstream keeps; a merged or retired model stays readable with its
    history. The adopted set is what the comparison, least-regrets detection and the framing fit use."""

    PROPOSED = "proposed", _("Proposed")
    ADOPTED = "adopted", _("Adopted")
    MERGED = "merged", _("Merged into another model")
    RETIRED = "retired", _("Retired")


OPEN_MODEL_STATUSES = (ModelStatus.PROPOSED, ModelStatus.ADOPTED)


class OperatingModelQuerySet(models.QuerySet):
    def adopted(self):
        return self.filter(status=ModelStatus.ADOPTED)

    def open(self):
        return self.filter(status__in=OPEN_MODEL_STATUSES)


class OperatingModel(models.Model):
    """A model of distribution system and market operations. `position` places it on the spectrum from
    centralized (0, Total TSO) to decentralized (Total DSO); a proposal may share a position with another
    model (ties are ordered by name). `dimensions` maps a ModelDimension slug to Table 3's text for this
    model (empty for the two end points, which Table 3 does not describe).

    `topic` is the Workstream A topic that stands for the model in prioritization rounds (created the
    first time the model is put to a round), so ranking models reuses the rounds and ballots as they are."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField()
    end_point = models.BooleanField(default=False)
    description = models.TextField(blank=True)
    dimensions = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=ModelStatus.choices, default=ModelStatus.PROPOSED)
    status_reason = models.TextField(blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_from"
    )
    topic = models.OneToOneField(
        "workstreams.Topic", null=True, blank=True, on_delete=models.SET_NULL, related_name="operating_model"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    revision = models.PositiveIntegerField(default=1)

    objects = OperatingModelQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("workstreams:framework-model", kwargs={"slug": self.slug})

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_MODEL_STATUSES


class ModelComment(models.Model):
    """A Workstream A member's comment on a model. When staff merge a model into another, its comments
    move with it and `merged_from` keeps where they were written."""

    model = models.ForeignKey(OperatingModel, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    merged_from = models.ForeignKey(
        OperatingModel, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.author} on {self.model}"


class ModelVersion(models.Model):
    """A model's matrix frozen as a numbered version, citable from a deliverable's text at a stable URL.
    `cells` is the matrix as it was: [{function, function_name, actor, actor_name, role, note, source}]
    by slug, so the version reads the same whatever is renamed or edited later; `dimensions` likewise."""

    model = models.ForeignKey(OperatingModel, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField()
    dimensions = models.JSONField(default=dict, blank=True)
    cells = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    frozen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["model", "number"]
        constraints = [models.UniqueConstraint(fields=["model", "number"], name="model_version_unique")]

    def __str__(self) -> str:
        return f"{self.name} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse(
            "workstreams:framework-model-version", kwargs={"slug": self.model.slug, "n": self.number}
        )


class MatrixRole(models.TextChoices):
    RESPONSIBLE = "responsible", _("Responsible")
    PARTICIPATES = "participates", _("Participates")
    NONE = "none", _("No role")


class CellOrigin(models.TextChoices):
    REPORT = "report", _("From the report")
    STAFF = "staff", _("Edited by staff")


class MatrixCell(models.Model):
    """What one actor does for one function in one operating model. No row means the report (and staff)
    have not said; a row with role `none` says the actor has no part in it."""

    model = models.ForeignKey(OperatingModel, on_delete=models.CASCADE, related_name="cells")
    function = models.ForeignKey(GridFunction, on_delete=models.CASCADE, related_name="cells")
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="cells")
    role = models.CharField(max_length=16, choices=MatrixRole.choices, default=MatrixRole.RESPONSIBLE)
    note = models.TextField(blank=True, help_text=_("What the actor does here, quoting the source"))
    source = models.CharField(max_length=200, blank=True, help_text=_("Where this comes from"))
    origin = models.CharField(max_length=16, choices=CellOrigin.choices, default=CellOrigin.STAFF)
    revision = models.PositiveIntegerField(default=1)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["model__position", "function__order", "actor__order"]
        constraints = [
            models.UniqueConstraint(fields=["model", "function", "actor"], name="matrix_cell_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.model.name}: {self.function.name} / {self.actor.name}"


class FunctionTopicLink(models.Model):
    """A least-regrets candidate function linked by staff to a Track 2 workstream topic.
    `compared_models` records the model slugs across which the function was shared when linked."""

    function = models.ForeignKey(GridFunction, on_delete=models.CASCADE, related_name="topic_links")
    topic = models.ForeignKey("workstreams.Topic", on_delete=models.CASCADE, related_name="function_links")
    compared_models = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["function__order", "created_at"]
        constraints = [models.UniqueConstraint(fields=["function", "topic"], name="function_topic_unique")]

    def __str__(self) -> str:
        return f"{self.function} → {self.topic}"


class FramingGroup(models.Model):
    """A group of Table 1. `applies_if` ({"question": slug, "answer": option slug}) limits when its
    questions count toward the fit (the ISO questions only when the TSO is an ISO)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    applies_if = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class FramingQuestion(models.Model):
    """A row of Table 1 (some rows hold several related questions)."""

    slug = models.SlugField(unique=True)
    group = models.ForeignKey(FramingGroup, on_delete=models.PROTECT, related_name="questions")
    text = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.text[:80]


class FramingOption(models.Model):
    """An answer to a framing question and the operating models it favors (editorial, with the report's
    text it rests on in `basis`). The fit rule is data: see `framework_selectors.framing_fit`."""

    question = models.ForeignKey(FramingQuestion, on_delete=models.CASCADE, related_name="options")
    slug = models.SlugField()
    label = models.CharField(max_length=300)
    order = models.PositiveSmallIntegerField(default=0)
    favors = models.ManyToManyField(OperatingModel, blank=True, related_name="favored_by")
    basis = models.TextField(blank=True)

    class Meta:
        ordering = ["question__order", "order"]
        constraints = [models.UniqueConstraint(fields=["question", "slug"], name="framing_option_unique")]

    def __str__(self) -> str:
        return self.label


class RoadmapStage(models.TextChoices):
    """Table 6's columns, in order."""

    CURRENT = "current", _("Current model")
    INTERMEDIATE = "intermediate", _("Intermediate model")
    TARGET = "target", _("Target model")


ROADMAP_STAGE_ORDER = [RoadmapStage.CURRENT, RoadmapStage.INTERMEDIATE, RoadmapStage.TARGET]


class RoadmapFunction(models.Model):
    """A row of Table 6 (a DSO function that evolves). `stage_by_model` maps an operating model's slug to
    the stage it has reached on this row (editorial, from Table 3; see `stage_basis`)."""

    slug = models.SlugField(unique=True)
    dso_function = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    related_functions = models.ManyToManyField(GridFunction, blank=True, related_name="roadmap_rows")
    stage_by_model = models.JSONField(default=dict, blank=True)
    stage_basis = models.TextField(blank=True)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.dso_function


class RoadmapStep(models.Model):
    """One cell of Table 6: what a DSO function looks like at one stage."""

    row = models.ForeignKey(RoadmapFunction, on_delete=models.CASCADE, related_name="steps")
    stage = models.CharField(max_length=16, choices=RoadmapStage.choices)
    text = models.TextField()

    class Meta:
        ordering = ["row__order", "stage"]
        constraints = [models.UniqueConstraint(fields=["row", "stage"], name="roadmap_step_unique")]

    def __str__(self) -> str:
        return f"{self.row}: {self.get_stage_display()}"


class Sharing(models.TextChoices):
    PRIVATE = "private", _("Private: only me")
    ORGANIZATION = "organization", _("Shared within my organization")
    PUBLISHED = "published", _("Published (shown anonymously on the public map)")


class SelfAssessmentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(sharing=Sharing.PUBLISHED)

    def visible_to(self, user):
        """The owner's own, those shared within the reader's organization, and published ones."""
        if not (user and user.is_authenticated):
            return self.published()
        shown = models.Q(owner=user) | models.Q(sharing=Sharing.PUBLISHED)
        if user.organization_id:
            shown |= models.Q(sharing=Sharing.ORGANIZATION, organization_id=user.organization_id)
        return self.filter(shown)


class SelfAssessment(models.Model):
    """A regulator's or utility's answers to the framing questions, saved to its account.

    `answers` maps a FramingQuestion slug to a FramingOption slug (or "unsure"); the fit is computed when
    read, by the same rule as the framing page. `organization` is the owner's organization when saved:
    `organization` sharing is within it. Published assessments are shown on the public page by
    `jurisdiction` only, never with the owner's name or organization."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessments")
    organization = models.ForeignKey(
        "initiative.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=200)
    jurisdiction = models.CharField(max_length=16, blank=True, help_text=_("State or ISO/RTO code"))
    answers = models.JSONField(default=dict, blank=True)
    sharing = models.CharField(max_length=16, choices=Sharing.choices, default=Sharing.PRIVATE)
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = SelfAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["sharing", "jurisdiction"], name="self_assessment_sharing")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workstreams:assessment-detail", kwargs={"pk": self.pk})
