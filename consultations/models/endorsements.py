"""Endorsements: before a key deliverable goes to the steering committee, staff open a window on one
exact version, and each participating organization, through its designated representative, records its
position. One position per organization and window; it can be changed until the window closes."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiative.models import StakeholderType


class Position(models.TextChoices):
    ENDORSE = "endorse", _("Endorse")
    RESERVATIONS = "reservations", _("Endorse with reservations")
    CANNOT_ENDORSE = "cannot_endorse", _("Cannot endorse")
    ABSTAIN = "abstain", _("Abstain")


# Positions that must come with a statement; these are the dissent published with the product unless
# the organization asks for its statement to be withheld.
DISSENT = (Position.RESERVATIONS, Position.CANNOT_ENDORSE)


class EndorsementWindowQuerySet(models.QuerySet):
    def open_at(self, now=None):
        now = now or timezone.now()
        return self.filter(closed_at__isnull=True, opens_at__lte=now, closes_at__gt=now)


class EndorsementWindow(models.Model):
    """The period in which organizations record positions on one exact draft version."""

    version = models.OneToOneField(
        "consultations.DraftVersion", on_delete=models.PROTECT, related_name="endorsement_window"
    )
    deliverable = models.ForeignKey(
        "workstreams.Deliverable", on_delete=models.CASCADE, related_name="endorsement_windows"
    )
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    closed_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Set when staff close the window before its end")
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    notified_at = models.DateTimeField(null=True, blank=True, help_text=_("Representatives were told"))

    objects = EndorsementWindowQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="endorsement_window_closes_after_open"
            ),
        ]

    def __str__(self) -> str:
        return f"Endorsements on {self.version}"

    @property
    def effective_close(self):
        return self.closed_at or self.closes_at

    def is_open(self, now=None) -> bool:
        """By the clock, whatever any task has done: open from `opens_at` until the end or early close."""
        now = now or timezone.now()
        return self.opens_at <= now < self.effective_close

    def status(self, now=None) -> str:
        now = now or timezone.now()
        if now < self.opens_at:
            return "upcoming"
        return "open" if self.is_open(now) else "closed"


class Endorsement(models.Model):
    """One organization's position in one window (unique), recorded by its designated representative."""

    window = models.ForeignKey(EndorsementWindow, on_delete=models.CASCADE, related_name="positions")
    organization = models.ForeignKey(
        "initiative.Organization", on_delete=models.PROTECT, related_name="endorsements"
    )
    stakeholder_type = models.CharField(
        max_length=32, choices=StakeholderType.choices, help_text=_("The organization's type when recorded")
    )
    position = models.CharField(max_length=16, choices=Position.choices)
    statement = models.TextField(blank=True)
    withhold_statement = models.BooleanField(
        _("do not publish our statement"),
        default=False,
        help_text=_("Dissent is published with the product unless the organization asks otherwise."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["window", "organization"], name="endorsement_one_per_organization"
            ),
            models.CheckConstraint(
                condition=~Q(position__in=[p.value for p in DISSENT]) | ~Q(statement=""),
                name="endorsement_dissent_has_statement",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization}: {self.get_position_display()}"

    @property
    def is_dissent(self) -> bool:
        return self.position in DISSENT

    @property
    def is_published(self) -> bool:
        """Whether the statement (and who made it) appears on public pages."""
        return bool(self.statement) and not (self.is_dissent and self.withhold_statement)
