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


# Models as a process: proposals, comments, merge and retire, the ranking round, adoption, versions -------

MODEL_FIELDS = ["name", "position", "description", "dimensions"]


def _model_snapshot(model: OperatingModel) -> dict:
    return audit.snapshot(model, ["name", "position", "description"]) | {"dimensions": dict(model.dimensions)}


MODEL_TOPIC_PREFIX = "Operating model: "
RESERVED_SLUGS = {"propose", "rounds"}  # path segments next to the models' slugs


def _clean_model(
    *, name: str, position: int, description: str, dimensions: dict
) -> tuple[str, int, str, dict]:
    from ..models import ModelDimension

    name = " ".join((name or "").split())[:200]
    if not name:
        raise FrameworkError("name", _("Give the model a name."))
    if not isinstance(position, int) or position < 0:
        raise FrameworkError("position", _("Choose a position on the spectrum."))
    known = set(ModelDimension.objects.values_list("slug", flat=True))
    kept = {k: v.strip() for k, v in (dimensions or {}).items() if k in known and (v or "").strip()}
    return name, position, (description or "").strip(), kept


def _unique_slug(name: str) -> str:
    from django.utils.text import slugify

    base = slugify(name)[:46].rstrip("-") or "model"  # room for a "-NN" suffix within 50
    if base in RESERVED_SLUGS:
        base += "-model"
    slug, n = base, 1
    while OperatingModel.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def model_propose(
    *, actor, name: str, position: int, description: str = "", dimensions: dict | None = None
) -> OperatingModel:
    """A Workstream A member (or staff) proposes an operating model with Table 3's dimensions and a
    position on the spectrum. It starts `proposed`, outside the adopted set, with an empty matrix."""
    from ..models import ModelStatus

    policy.require(actor, "workstreams.propose_model")
    name, position, description, dimensions = _clean_model(
        name=name, position=position, description=description, dimensions=dimensions or {}
    )
    with transaction.atomic():
        if OperatingModel.objects.filter(name__iexact=name).exists():
            raise FrameworkError("name", _("A model with this name exists already."))
        model = OperatingModel.objects.create(
            slug=_unique_slug(name),
            name=name,
            position=position,
            description=description,
            dimensions=dimensions,
            status=ModelStatus.PROPOSED,
            proposed_by=actor,
            proposed_at=timezone.now(),
        )
        audit.record(actor=actor, action="operating_model.propose", obj=model, after=_model_snapshot(model))
    return model


def model_revise(
    *,
    actor,
    model: OperatingModel,
    name: str,
    position: int,
    description: str,
    dimensions: dict,
    seen_revision: int | None = None,
) -> OperatingModel:
    """Reword a proposed model (members) or any open one (staff). Refused if someone saved it since
    the form was shown (`seen_revision`)."""
    policy.require(actor, "workstreams.revise_model", model)
    name, position, description, dimensions = _clean_model(
        name=name, position=position, description=description, dimensions=dimensions
    )
    with transaction.atomic():
        locked = OperatingModel.objects.select_for_update(no_key=True).get(pk=model.pk)  # lock: one reviser
        policy.require(actor, "workstreams.revise_model", locked)
        if seen_revision is not None and seen_revision != locked.revision:
            raise FrameworkError(
                FrameworkError.STALE, _("Someone else changed this model while you were editing it.")
            )
        if OperatingModel.objects.filter(name__iexact=name).exclude(pk=locked.pk).exists():
            raise FrameworkError("name", _("A model with this name exists already."))
        before = _model_snapshot(locked)
        locked.name, locked.position, locked.description, locked.dimensions = (
            name,
            position,
            description,
            dimensions,
        )
        locked.revision += 1
        locked.save(update_fields=[*MODEL_FIELDS, "revision"])
        audit.record(
            actor=actor,
            action="operating_model.revise",
            obj=locked,
            before=before,
            after=_model_snapshot(locked),
        )
    return locked


def model_comment(*, actor, model: OperatingModel, body: str):
    from ..models import ModelComment

    policy.require(actor, "workstreams.comment_on_model", model)
    body = (body or "").strip()
    if not body:
        raise FrameworkError("body", _("Write a comment first."))
    if not model.is_open:
        raise FrameworkError("closed", _("This model is no longer open for comments."))
    with transaction.atomic():
        comment = ModelComment.objects.create(model=model, author=actor, body=body)
        audit.record(actor=actor, action="operating_model.comment", obj=comment, after={"model": model.slug})
    return comment


def model_merge(*, actor, source: OperatingModel, target: OperatingModel, reason: str = "") -> OperatingModel:
    """Merge `source` into `target` (staff): the source's comments move to the target (each remembering
    where it was written), models merged into the source earlier now point to the target, and data
    exchanges that applied to the source apply to the target. The source stays readable — its page,
    matrix and frozen versions — marked merged, with a link to the target."""
    from ..models import DataExchange, ModelComment, ModelStatus

    policy.require(actor, "workstreams.manage_models", source)
    if source.pk == target.pk:
        raise FrameworkError("same", _("Choose another model to merge into."))
    with transaction.atomic():
        # lock: both models, in id order, so two merges of the same pair cannot deadlock or interleave
        locked = {
            m.pk: m
            for m in OperatingModel.objects.select_for_update(no_key=True)
            .filter(pk__in=[source.pk, target.pk])
            .order_by("pk")
        }
        src, dst = locked[source.pk], locked[target.pk]
        if not (src.is_open and dst.is_open):
            raise FrameworkError("closed", _("Only proposed or adopted models can be merged."))
        ModelComment.objects.filter(model=src, merged_from__isnull=True).update(merged_from=src)
        moved = ModelComment.objects.filter(model=src).update(model=dst)
        OperatingModel.objects.filter(merged_into=src).update(merged_into=dst)
        for exchange in DataExchange.objects.filter(applies_to=src):
            exchange.applies_to.add(dst)
        before = {"status": src.status}
        src.status, src.merged_into, src.status_reason = ModelStatus.MERGED, dst, reason.strip()
        src.save(update_fields=["status", "merged_into", "status_reason"])
        audit.record(
            actor=actor,
            action="operating_model.merge",
            obj=src,
            before=before,
            after={"status": src.status, "merged_into": dst.slug, "comments_moved": moved},
            reason=reason.strip(),
        )
    return src


def model_retire(*, actor, model: OperatingModel, reason: str = "") -> OperatingModel:
    from ..models import ModelStatus

    policy.require(actor, "workstreams.manage_models", model)
    with transaction.atomic():
        locked = OperatingModel.objects.select_for_update(no_key=True).get(pk=model.pk)  # lock: one change
        if not locked.is_open:
            raise FrameworkError("closed", _("This model is already merged or retired."))
        before = {"status": locked.status}
        locked.status, locked.status_reason = ModelStatus.RETIRED, reason.strip()
        locked.save(update_fields=["status", "status_reason"])
        audit.record(
            actor=actor,
            action="operating_model.retire",
            obj=locked,
            before=before,
            after={"status": locked.status},
            reason=reason.strip(),
        )
    return locked


def model_round_open(*, actor, title: str, closes_at, models: Sequence[OperatingModel]):
    """Open a prioritization round of the framework's workstream over these models: each model is
    stood for by a topic of that workstream (made the first time, kept out of its deep-dive topics), and
    the round and ballots are the ordinary ones, so members rank models as they rank topics."""
    from ..models import Topic, Workstream
    from . import prioritization

    policy.require(actor, "workstreams.manage_models")
    models = [m for m in models if m.is_open]
    if len(models) < 2:
        raise FrameworkError(FrameworkError.TOO_FEW_MODELS, _("Choose at least two open models to rank."))
    code = selectors.framework_home().get("workstream")
    workstream = Workstream.objects.filter(code=code).first()
    if workstream is None:
        raise FrameworkError("no_workstream", _("The framework's workstream is not loaded."))
    with transaction.atomic():
        topics = []
        for model in OperatingModel.objects.select_for_update(no_key=True).filter(
            pk__in=[m.pk for m in models]
        ):  # lock: each model gets one topic however many rounds open at once
            if model.topic_id is None:
                topic, _created = Topic.objects.get_or_create(
                    workstream=workstream,
                    title=(MODEL_TOPIC_PREFIX + model.name)[:300],
                    defaults={"description": model.description, "is_active": False},
                )
                model.topic = topic
                model.save(update_fields=["topic"])
            topics.append(model.topic)
        try:
            rnd = prioritization.round_open(
                actor=actor, workstream=workstream, title=title, closes_at=closes_at, topics=topics
            )
        except prioritization.RoundError as exc:
            raise FrameworkError("round", exc.message) from exc
    return rnd


def models_adopt(*, actor, models: Sequence[OperatingModel], round=None, reason: str = "") -> list:
    """Make `models` the adopted set (staff): they become `adopted`, every other adopted model goes back
    to `proposed`. With `round`, the choice must come from that closed ranking round. The comparison,
    least-regrets detection and the framing fit read the adopted set from then on."""
    from ..models import ModelStatus, RoundStatus

    policy.require(actor, "workstreams.manage_models")
    chosen_ids = {m.pk for m in models}
    if len(chosen_ids) < 2:
        raise FrameworkError(FrameworkError.TOO_FEW_MODELS, _("Adopt at least two models."))
    if round is not None:
        if round.status != RoundStatus.CLOSED:
            raise FrameworkError("round_open", _("Adopt from the round once it has closed."))
        in_round = set(
            OperatingModel.objects.filter(topic__in=round.topics.all()).values_list("pk", flat=True)
        )
        if not chosen_ids <= in_round:
            raise FrameworkError("not_in_round", _("Choose only models that were ranked in this round."))
    with transaction.atomic():
        rows = list(
            OperatingModel.objects.select_for_update(no_key=True).open().order_by("pk")
        )  # lock: the set
        open_ids = {m.pk for m in rows}
        if not chosen_ids <= open_ids:
            raise FrameworkError("closed", _("Merged or retired models cannot be adopted."))
        before = sorted(m.slug for m in rows if m.status == ModelStatus.ADOPTED)
        OperatingModel.objects.filter(pk__in=chosen_ids).update(status=ModelStatus.ADOPTED)
        OperatingModel.objects.filter(pk__in=open_ids - chosen_ids, status=ModelStatus.ADOPTED).update(
            status=ModelStatus.PROPOSED
        )
        after = sorted(m.slug for m in rows if m.pk in chosen_ids)
        audit.record(
            actor=actor,
            action="operating_model.adopt",
            obj=round,
            before={"adopted": before},
            after={"adopted": after, "round": round.pk if round is not None else None},
            reason=reason.strip(),
        )
    return list(OperatingModel.objects.adopted())


def model_version_freeze(*, actor, model: OperatingModel, note: str = ""):
    """Freeze the model's matrix (and name, position, dimensions) as the next numbered version, citable
    at a stable URL. Refused when nothing changed since the last version."""
    from ..models import ModelVersion

    policy.require(actor, "workstreams.manage_models", model)
    with transaction.atomic():
        locked = OperatingModel.objects.select_for_update(no_key=True).get(pk=model.pk)  # lock: numbering
        snapshot = selectors.model_snapshot(locked)
        last = ModelVersion.objects.filter(model=locked).order_by("-number").first()
        if last is not None and selectors.version_fields(last) == snapshot:
            raise FrameworkError("unchanged", _("Nothing changed since version %(n)s.") % {"n": last.number})
        version = ModelVersion.objects.create(
            model=locked,
            number=(last.number + 1) if last else 1,
            frozen_by=actor,
            note=note.strip(),
            **snapshot,
        )
        audit.record(
            actor=actor,
            action="operating_model.freeze",
            obj=version,
            after={"model": locked.slug, "number": version.number, "cells": len(version.cells)},
        )
    return version
