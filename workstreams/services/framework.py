"""Writes on the Track 1 framework: staff edit the actor × function matrix cell by cell, and link
least-regrets candidates to Track 2 topics. Each checks the policy, locks, changes, and writes the audit
log in one transaction. Nothing is sent, so there are no effects to enqueue."""

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from initiative import audit, policy

from ..models import (
    Actor,
    CellOrigin,
    FunctionTopicLink,
    GridFunction,
    MatrixCell,
    MatrixRole,
    OperatingModel,
    Topic,
)
from ..selectors import framework as selectors

CELL_FIELDS = ["role", "note", "source", "origin", "revision", "edited_by", "edited_at"]


class FrameworkError(Exception):
    """A refused framework edit; `code` is one of the class attributes."""

    STALE = "stale"
    NOT_CANDIDATE = "not_candidate"
    NOT_TRACK2 = "not_track2"
    TOO_FEW_MODELS = "too_few_models"

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def matrix_cell_set(
    *,
    actor,
    model: OperatingModel,
    function: GridFunction,
    party: Actor,
    role: str,
    note: str = "",
    source: str = "",
    seen_revision: int | None = None,
) -> MatrixCell:
    """Set what `party` does for `function` in `model`. The cell becomes staff-edited, so the loader
    leaves it alone from now on. `seen_revision` is the revision the editor's form showed (0 for an empty
    cell); if someone saved the cell since, the edit is refused rather than silently overwriting theirs."""
    policy.require(actor, "workstreams.edit_framework", model)
    if role not in MatrixRole.values:
        raise ValueError(role)
    with transaction.atomic():
        # Lock the model row: it serializes edits of this model's matrix, so two editors of an empty cell
        # cannot both insert it, and the revision check below sees the last committed edit.
        OperatingModel.objects.select_for_update(no_key=True).get(pk=model.pk)
        cell = MatrixCell.objects.filter(model=model, function=function, actor=party).first()
        current = cell.revision if cell else 0
        if seen_revision is not None and seen_revision != current:
            raise FrameworkError(
                FrameworkError.STALE,
                _("Someone else changed this cell while you were editing it. Here is their version."),
            )
        now = timezone.now()
        if cell is None:
            before = None
            cell = MatrixCell.objects.create(
                model=model,
                function=function,
                actor=party,
                role=role,
                note=note.strip(),
                source=source.strip(),
                origin=CellOrigin.STAFF,
                revision=1,
                edited_by=actor,
                edited_at=now,
            )
        else:
            before = audit.snapshot(cell, ["role", "note", "source", "origin", "revision"])
            cell.role, cell.note, cell.source = role, note.strip(), source.strip()
            cell.origin = CellOrigin.STAFF
            cell.revision = current + 1
            cell.edited_by, cell.edited_at = actor, now
            cell.save(update_fields=CELL_FIELDS)
        audit.record(
            actor=actor,
            action="matrix_cell.set",
            obj=cell,
            before=before,
            after=audit.snapshot(cell, ["role", "note", "source", "origin", "revision"])
            | {"model": model.slug, "function": function.slug, "actor": party.slug},
        )
    return cell


def function_topic_link(
    *, actor, function: GridFunction, topic: Topic, models: Sequence[OperatingModel]
) -> FunctionTopicLink:
    """Link a function that is a least-regrets candidate across `models` (two or more) to a Track 2
    topic. Linking again is a no-op that returns the existing link."""
    policy.require(actor, "workstreams.link_least_regrets", function)
    models = sorted(models, key=lambda m: m.position)
    if len(models) < 2:
        raise FrameworkError(FrameworkError.TOO_FEW_MODELS, _("Compare at least two models."))
    if topic.workstream.track.number != selectors.TRACK2_NUMBER:
        raise FrameworkError(FrameworkError.NOT_TRACK2, _("Choose a topic of a Track 2 workstream."))
    with transaction.atomic():
        # Lock the function: its candidacy is checked and its link created as one step.
        GridFunction.objects.select_for_update(no_key=True).get(pk=function.pk)
        if not selectors.is_candidate(function=function, models=models):
            raise FrameworkError(
                FrameworkError.NOT_CANDIDATE,
                _("This function is not assigned the same way in every compared model."),
            )
        link, created = FunctionTopicLink.objects.get_or_create(
            function=function,
            topic=topic,
            defaults={"compared_models": [m.slug for m in models], "created_by": actor},
        )
        if created:
            audit.record(
                actor=actor,
                action="least_regrets.link",
                obj=link,
                after={"function": function.slug, "topic": topic.pk, "models": link.compared_models},
            )
    return link


def function_topic_unlink(*, actor, link: FunctionTopicLink) -> None:
    policy.require(actor, "workstreams.link_least_regrets", link.function)
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="least_regrets.unlink",
            obj=link,
            before={"function": link.function.slug, "topic": link.topic_id, "models": link.compared_models},
        )
        link.delete()


# Self-assessments ---------------------------------------------------------------------------------------

ASSESSMENT_FIELDS = ["title", "jurisdiction", "answers", "sharing", "revision", "updated_at", "organization"]


def _clean_assessment(*, title: str, jurisdiction: str, answers: dict, sharing: str) -> tuple[str, str, dict]:
    from initiative.jurisdictions import NAMES

    from ..models import FramingOption, Sharing

    title = (title or "").strip()[:200]
    if not title:
        raise FrameworkError("title", _("Give the assessment a title."))
    if sharing not in Sharing.values:
        raise ValueError(sharing)
    if jurisdiction and jurisdiction not in NAMES:
        raise FrameworkError("jurisdiction", _("Not a known state or ISO/RTO region."))
    valid = set(FramingOption.objects.values_list("question__slug", "slug"))
    kept = {q: a for q, a in (answers or {}).items() if a == "unsure" or (q, a) in valid}
    return title, jurisdiction, kept


def assessment_save(*, actor, title: str, answers: dict, sharing: str, jurisdiction: str = ""):
    """Save a regulator's or utility's answers to the framing questions to its account."""
    from ..models import SelfAssessment

    policy.require(actor, "workstreams.save_assessment")
    title, jurisdiction, answers = _clean_assessment(
        title=title, jurisdiction=jurisdiction, answers=answers, sharing=sharing
    )
    with transaction.atomic():
        assessment = SelfAssessment.objects.create(
            owner=actor,
            organization_id=actor.organization_id,
            title=title,
            jurisdiction=jurisdiction,
            answers=answers,
            sharing=sharing,
        )
        audit.record(
            actor=actor,
            action="self_assessment.create",
            obj=assessment,
            after={"sharing": sharing, "jurisdiction": jurisdiction, "answers": len(answers)},
        )
    return assessment


def assessment_update(*, actor, assessment, title: str, answers: dict, sharing: str, jurisdiction: str = ""):
    """Revisit an assessment: new answers, title or sharing level; only its owner may. The revision
    counts the updates; the organization is the owner's current one (sharing follows the owner)."""
    from ..models import SelfAssessment

    policy.require(actor, "workstreams.change_assessment", assessment)
    title, jurisdiction, answers = _clean_assessment(
        title=title, jurisdiction=jurisdiction, answers=answers, sharing=sharing
    )
    with transaction.atomic():
        # Lock the row: two tabs saving at once count two revisions, one after the other.
        locked = SelfAssessment.objects.select_for_update(no_key=True).get(pk=assessment.pk)
        before = audit.snapshot(locked, ["title", "jurisdiction", "sharing", "revision"])
        locked.title, locked.jurisdiction, locked.answers, locked.sharing = (
            title,
            jurisdiction,
            answers,
            sharing,
        )
        locked.organization_id = actor.organization_id
        locked.revision += 1
        locked.updated_at = timezone.now()
        locked.save(update_fields=ASSESSMENT_FIELDS)
        audit.record(
            actor=actor,
            action="self_assessment.update",
            obj=locked,
            before=before,
            after=audit.snapshot(locked, ["title", "jurisdiction", "sharing", "revision"]),
        )
    return locked
