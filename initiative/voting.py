"""The steering committee's vote: the arithmetic of quorum and majority, shared by every vote the
committee holds — on a deliverable's version (`consultations` approvals) and on a governance document's
version (the charter, the work plan). One rule, one implementation."""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Majority(models.TextChoices):
    SIMPLE = "simple", _("Simple majority")
    TWO_THIRDS = "two_thirds", _("Two-thirds majority")


class Decision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    NO_QUORUM = "no_quorum", _("No quorum")


class VoteChoice(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REQUEST_CHANGES = "request_changes", _("Request changes")
    ABSTAIN = "abstain", _("Abstain")


def quorum_for(eligible: int, fraction: float | None = None) -> int:
    """More than `fraction` of the sitting members must vote (abstentions count toward quorum)."""
    fraction = settings.APPROVAL_QUORUM_FRACTION if fraction is None else fraction
    return max(1, min(eligible, int(eligible * fraction) + 1)) if eligible else 1


@dataclass(frozen=True)
class Tally:
    approve: int
    changes: int
    abstain: int
    quorum: int
    majority: str

    @property
    def cast(self) -> int:
        return self.approve + self.changes + self.abstain

    @property
    def has_quorum(self) -> bool:
        return self.cast >= self.quorum

    @property
    def decision(self) -> str:
        """No quorum when fewer than `quorum` votes (abstentions included) were cast. Otherwise approved
        when approvals are more than half (simple) or at least two thirds (two-thirds) of the votes that
        are not abstentions; a tie, or nothing but abstentions, is not an approval."""
        if not self.has_quorum:
            return Decision.NO_QUORUM
        decisive = self.approve + self.changes
        if decisive == 0:
            return Decision.CHANGES_REQUESTED
        if self.majority == Majority.TWO_THIRDS:
            approved = 3 * self.approve >= 2 * decisive
        else:
            approved = 2 * self.approve > decisive
        return Decision.APPROVED if approved else Decision.CHANGES_REQUESTED


def record_vote(vote_model, *, approval, member, choice: str, reason: str, now, action: str):
    """Cast `member`'s vote on a locked `approval`, or change it, with the audit entry
    (`<action>.vote_cast` / `<action>.vote_change`). The caller holds the approval's row lock and has
    checked the vote is open, so the one vote per member and its history are the same for every vote."""
    from initiative import audit

    vote = vote_model.objects.filter(approval=approval, member=member).first()
    if vote is None:
        vote = vote_model.objects.create(
            approval=approval, member=member, choice=choice, reason=reason, cast_at=now
        )
        audit.record(
            actor=member,
            action=f"{action}.vote_cast",
            obj=approval,
            after={"choice": choice, "reason": reason},
        )
        return vote
    before = {"choice": vote.choice, "reason": vote.reason}
    vote.choice, vote.reason, vote.changed_at = choice, reason, now
    vote.save(update_fields=["choice", "reason", "changed_at"])
    audit.record(
        actor=member,
        action=f"{action}.vote_change",
        obj=approval,
        before=before,
        after={"choice": choice, "reason": reason},
    )
    return vote
