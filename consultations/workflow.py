"""The review workflow of a deliverable: the transition table, the single source of truth.

The transition service (`consultations.services.workflow.deliverable_transition`) refuses anything not
in TRANSITIONS; pages and the API ask `available(deliverable, user)` which buttons to show. A transition
marked `system` is taken only by the workflow itself (the vote's outcome, the sweep), never from a
button: no person can "approve" a deliverable except through the committee's vote.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from initiative import policy
from workstreams.models import ReviewStage

S = ReviewStage


@dataclass(frozen=True)
class Requirement:
    """Something a transition needs beyond the stage, checked by a predicate another app may provide.

    The predicate (`deliverable, now -> bool`) is registered with `register_check`; with none registered
    the requirement counts as unmet (fail closed). Staff may waive an unmet requirement with a reason,
    which the transition's history row keeps.
    """

    name: str
    message: str  # why the move is refused while unmet
    waiver_label: str
    key_only: bool = True  # applies to key "draft final" deliverables only


HELD_WEBINAR = "held_webinar"

REQUIREMENTS: dict[str, Requirement] = {
    HELD_WEBINAR: Requirement(
        HELD_WEBINAR,
        message=_(
            "A key “draft final” deliverable goes to the steering committee only after a webinar linked to "
            "it has been held, or with the webinar requirement waived (with a reason)."
        ),
        waiver_label=_("Waive the webinar requirement"),
    ),
}

# name -> predicate(deliverable, now) -> bool, registered by the app that knows (webinars registers
# HELD_WEBINAR in its AppConfig.ready: this app must not import it).
_CHECKS: dict[str, Callable] = {}


def register_check(name: str, predicate: Callable) -> None:
    if name not in REQUIREMENTS:
        raise KeyError(name)
    _CHECKS[name] = predicate


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
    requires: tuple[str, ...] = field(default_factory=tuple)  # names in REQUIREMENTS
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
        needs=("opens_at", "closes_at", "outreach"),
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
    Transition(
        "submit",
        S.REVISING,
        S.SUBMITTED,
        _("Submit to the steering committee"),
        needs=("deadline",),
        requires=(HELD_WEBINAR,),
    ),
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


class RequirementNotMet(IllegalTransition):
    """The move is in the table but a requirement of it is unmet and was not waived."""

    def __init__(self, *, current: str, requested: str, requirements: list[Requirement]):
        self.requirements = requirements
        super().__init__(
            current=current,
            requested=requested,
            message=" ".join(str(r.message) for r in requirements),
        )


def unmet(deliverable, transition: Transition, *, now=None) -> list[Requirement]:
    """The requirements of `transition` this deliverable does not meet now."""
    from django.utils import timezone

    now = now or timezone.now()
    out = []
    for name in transition.requires:
        req = REQUIREMENTS[name]
        if req.key_only and not deliverable.is_key:
            continue
        check = _CHECKS.get(name)
        if check is None or not check(deliverable, now):
            out.append(req)
    return out


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
