"""The review workflow of a deliverable: the transition table, the single source of truth.

The transition service (`consultations.services.workflow.deliverable_transition`) refuses anything not
in TRANSITIONS; pages and the API ask `available(deliverable, user)` which buttons to show. A transition
marked `system` is taken only by the workflow itself (the vote's outcome, the sweep), never from a
button: no person can "approve" a deliverable except through the committee's vote.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from initiative import policy
from workstreams.models import ReviewStage

S = ReviewStage


@dataclass(frozen=True)
class Transition:
    name: str
    source: S
    target: S
    label: str
    permission: str = "consultations.move_deliverable"
    system: bool = False  # only the workflow itself takes it (actor is None or acting through a service)
    needs: tuple[str, ...] = field(default_factory=tuple)  # inputs the page must ask for
    skips_consultation: bool = False  # refused for key "draft final" deliverables
    style: str = ""  # button style hint: "", "secondary", "outline"


TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        "open_member_review",
        S.DRAFTING,
        S.MEMBER_REVIEW,
        _("Open member review"),
        needs=("opens_at", "closes_at"),
    ),
    Transition(
        "open_public_consultation",
        S.MEMBER_REVIEW,
        S.PUBLIC_CONSULTATION,
        _("Open public consultation"),
        needs=("opens_at", "closes_at"),
    ),
    Transition(
        "skip_consultation",
        S.MEMBER_REVIEW,
        S.REVISING,
        _("Close member review and revise (no public consultation)"),
        skips_consultation=True,
        style="outline",
    ),
    Transition(
        "start_revising",
        S.PUBLIC_CONSULTATION,
        S.REVISING,
        _("Close consultation and revise"),
        style="outline",
    ),
    Transition(
        "rereview",
        S.REVISING,
        S.MEMBER_REVIEW,
        _("Open another member review"),
        needs=("opens_at", "closes_at"),
        style="outline",
    ),
    Transition("submit", S.REVISING, S.SUBMITTED, _("Submit to the steering committee"), needs=("deadline",)),
    Transition("approve", S.SUBMITTED, S.APPROVED, _("Approved by the committee"), system=True),
    Transition(
        "request_changes",
        S.SUBMITTED,
        S.CHANGES_REQUESTED,
        _("Changes requested by the committee"),
        system=True,
    ),
    Transition("no_quorum", S.SUBMITTED, S.REVISING, _("Vote closed without a quorum"), system=True),
    Transition("revise", S.CHANGES_REQUESTED, S.REVISING, _("Start revising")),
    Transition(
        "return_to_drafting", S.CHANGES_REQUESTED, S.DRAFTING, _("Return to drafting"), style="outline"
    ),
    Transition("withdraw_review", S.MEMBER_REVIEW, S.DRAFTING, _("Withdraw to drafting"), style="secondary"),
    Transition(
        "withdraw_consultation",
        S.PUBLIC_CONSULTATION,
        S.DRAFTING,
        _("Withdraw to drafting"),
        style="secondary",
    ),
    Transition("publish", S.APPROVED, S.PUBLISHED, _("Publish")),
    Transition(
        "start_correction", S.PUBLISHED, S.DRAFTING, _("Start a correction (new version)"), style="outline"
    ),
)

BY_NAME = {t.name: t for t in TRANSITIONS}

# When a review window of this kind ends (closed by the sweep), the deliverable moves on by this
# transition; `None` means it waits for staff (a key deliverable must open its public consultation).
ON_REVIEW_CLOSED = {
    S.MEMBER_REVIEW: "skip_consultation",
    S.PUBLIC_CONSULTATION: "start_revising",
}


class IllegalTransition(Exception):
    """The requested move is not in the table from the current stage (or not allowed for this
    deliverable). Carries both states so a page or the API can say exactly what went wrong."""

    def __init__(self, *, current: str, requested: str, message: str = ""):
        self.current = str(current)
        self.requested = str(requested)
        self.message = message or str(
            _("A deliverable in “%(current)s” cannot move to “%(requested)s”.")
            % {"current": label(current), "requested": label(requested)}
        )
        super().__init__(self.message)


def label(stage: str) -> str:
    try:
        return str(S(stage).label)
    except ValueError:
        return stage


def find(current: str, *, name: str | None = None, target: str | None = None) -> Transition:
    """The transition from `current` by `name` (or to `target`); IllegalTransition if none."""
    for t in TRANSITIONS:
        if t.source == current and (t.name == name if name else t.target == target):
            return t
    requested = BY_NAME[name].target if name in BY_NAME else (target or name or "?")
    raise IllegalTransition(current=current, requested=requested)


def check_allowed(deliverable, transition: Transition) -> None:
    """Guards that depend on the deliverable itself, beyond the table."""
    if transition.skips_consultation and deliverable.is_key:
        raise IllegalTransition(
            current=deliverable.stage,
            requested=transition.target,
            message=str(
                _("A key “draft final” deliverable must go through a public consultation before revising.")
            ),
        )


def outgoing(stage: str) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source == stage]


def available(deliverable, user) -> list[Transition]:
    """The transitions `user` may take now: the buttons a page shows."""
    out = []
    for t in outgoing(deliverable.stage):
        if t.system or (t.skips_consultation and deliverable.is_key):
            continue
        if policy.can(user, t.permission, deliverable):
            out.append(t)
    return out
