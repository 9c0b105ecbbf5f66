"""Prioritization rounds (step 4) and the participants' ballots."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiative.models import StakeholderType

from .lifecycle import Topic
from .workstreams import Workstream

# Prioritization (step 4) ------------------------------------------------------------------------------


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


# State and federal regulators: the electorate a round may be limited to or weighted towards ("Ideally,
# federal and state regulators would play a leading role in setting Track 3 priorities").
REGULATOR_TYPES = frozenset({StakeholderType.STATE_REGULATOR, StakeholderType.FEDERAL_AGENCY})


class Electorate(models.TextChoices):
    ALL = "all", _("Every participant of the workstream, one vote each")
    REGULATORS_ONLY = "regulators_only", _("State and federal regulators only")
    REGULATORS_WEIGHTED = "regulators_weighted", _("Every participant, regulators' ballots weighted")


class PrioritizationRound(models.Model):
    """A round in which a workstream's enrolled participants rank its candidate topics (step 4).

    The topics are fixed when the round opens. The result (Borda count) is computed and stored once,
    when the round closes; until then ballots may be replaced."""

    class Method(models.TextChoices):
        BORDA = "borda", _("Borda count")

    workstream = models.ForeignKey(Workstream, on_delete=models.CASCADE, related_name="rounds")
    title = models.CharField(max_length=200)
    topics = models.ManyToManyField(Topic, related_name="rounds")
    method = models.CharField(max_length=16, choices=Method.choices, default=Method.BORDA)
    status = models.CharField(max_length=16, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    electorate = models.CharField(max_length=24, choices=Electorate.choices, default=Electorate.ALL)
    regulator_weight = models.PositiveSmallIntegerField(
        default=1,
        help_text=_("How many ordinary ballots a regulator's ballot counts as (weighted rounds)"),
    )
    opens_at = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="round_closes_after_open"
            ),
            models.UniqueConstraint(fields=["workstream"], condition=Q(status="open"), name="round_one_open"),
            models.CheckConstraint(condition=Q(regulator_weight__gte=1), name="round_regulator_weight_min"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workstreams:round-detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN and self.opens_at <= timezone.now() < self.closes_at

    def weight_of(self, stakeholder_type: str) -> int:
        """A ballot's weight in this round (0: not in the electorate)."""
        regulator = stakeholder_type in REGULATOR_TYPES
        if self.electorate == Electorate.REGULATORS_ONLY:
            return 1 if regulator else 0
        if self.electorate == Electorate.REGULATORS_WEIGHTED and regulator:
            return self.regulator_weight
        return 1


class Ballot(models.Model):
    """One participant's ranking in a round: `ranking` lists the round's topic ids, first choice first.
    One per participant per round; replaced in place until the deadline."""

    round = models.ForeignKey(PrioritizationRound, on_delete=models.CASCADE, related_name="ballots")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ballots")
    stakeholder_type = models.CharField(max_length=32, choices=StakeholderType.choices)
    ranking = models.JSONField(default=list)
    submitted_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["round", "submitted_at"]
        constraints = [models.UniqueConstraint(fields=["round", "voter"], name="ballot_one_per_voter")]

    def __str__(self) -> str:
        return f"{self.voter} in {self.round}"
