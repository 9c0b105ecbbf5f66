"""Steering-committee approval: one vote on one exact draft version, with a quorum, a majority rule and
a deadline; each member's vote (changeable until the vote closes) and the decision are kept."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiative.voting import Decision, Majority

__all__ = ["Approval", "Decision", "Majority", "Vote"]


class ApprovalQuerySet(models.QuerySet):
    def open(self):
        return self.filter(decided_at__isnull=True)

    def decided(self):
        return self.filter(decided_at__isnull=False)


class Approval(models.Model):
    """A steering-committee vote on `version`. `quorum` and `eligible` are fixed when it is submitted."""

    deliverable = models.ForeignKey(
        "workstreams.Deliverable", on_delete=models.PROTECT, related_name="approvals"
    )
    version = models.ForeignKey(
        "consultations.DraftVersion", on_delete=models.PROTECT, related_name="approvals"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True, help_text=_("What staff tell the committee about this version"))
    deadline = models.DateTimeField()
    eligible = models.PositiveSmallIntegerField(help_text=_("Sitting committee members when submitted"))
    quorum = models.PositiveSmallIntegerField(
        help_text=_("Votes (abstentions included) needed for a decision")
    )
    majority = models.CharField(max_length=16, choices=Majority.choices, default=Majority.SIMPLE)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty when closed at the deadline"),
    )
    decision = models.CharField(max_length=24, choices=Decision.choices, blank=True)
    approve_count = models.PositiveSmallIntegerField(default=0)
    changes_count = models.PositiveSmallIntegerField(default=0)
    abstain_count = models.PositiveSmallIntegerField(default=0)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    objects = ApprovalQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["deliverable"],
                condition=Q(decided_at__isnull=True),
                name="approval_one_open_per_deliverable",
            ),
            models.CheckConstraint(
                condition=Q(deadline__gt=models.F("submitted_at")), name="approval_deadline_after"
            ),
            models.CheckConstraint(condition=Q(quorum__gte=1), name="approval_quorum_positive"),
        ]

    def __str__(self) -> str:
        return f"Approval of {self.version}"

    @property
    def is_open(self) -> bool:
        return self.decided_at is None

    def accepts_votes(self, when=None) -> bool:
        return self.decided_at is None and (when or timezone.now()) < self.deadline

    @property
    def votes_cast(self) -> int:
        return self.approve_count + self.changes_count + self.abstain_count


class Vote(models.Model):
    class Choice(models.TextChoices):
        APPROVE = "approve", _("Approve")
        REQUEST_CHANGES = "request_changes", _("Request changes")
        ABSTAIN = "abstain", _("Abstain")

    approval = models.ForeignKey(Approval, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="approval_votes"
    )
    choice = models.CharField(max_length=24, choices=Choice.choices)
    reason = models.TextField()
    cast_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["cast_at"]
        constraints = [models.UniqueConstraint(fields=["approval", "member"], name="vote_one_per_member")]

    def __str__(self) -> str:
        return f"{self.member}: {self.choice}"
