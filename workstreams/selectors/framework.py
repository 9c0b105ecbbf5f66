"""Reads of the Track 1 framework: the matrix of one model, the comparison of models with least-regrets
candidates, the fit of framing answers, and the roadmap between two models. Each page's data comes from a
fixed number of queries, whatever the number of functions, actors, models or cells."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import yaml
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from ..models import (
    ROADMAP_STAGE_ORDER,
    Actor,
    FramingGroup,
    FramingOption,
    FramingQuestion,
    FunctionCategory,
    FunctionTopicLink,
    GridFunction,
    MatrixCell,
    MatrixRole,
    ModelDimension,
    ModelStatus,
    OperatingModel,
    RoadmapFunction,
    RoadmapStage,
    Topic,
)

TRACK2_NUMBER = 2  # the report's least-regrets track: candidates link to its workstreams' topics
ADOPT_DEFAULT = 5  # the report: narrowed "into a more limited, generalized set (e.g., four or five)"


@lru_cache(maxsize=1)
def framework_home() -> dict:
    """Where the framework is linked from: {"track": number, "workstream": code}, from track1.yaml."""
    from ..loader import CONTENT_DIR

    with open(CONTENT_DIR / "track1.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh).get("home") or {}


def operating_models() -> list[OperatingModel]:
    """The adopted set, in spectrum order: what the comparison, least-regrets detection, the framing fit,
    the roadmap and the self-assessments use."""
    return list(OperatingModel.objects.adopted())


def models_by_status() -> dict:
    """Every model for the models page: adopted, proposed, and those merged or retired (with their
    proposer, merge target and comment counts), in spectrum order. Three queries."""
    from django.db.models import Count

    rows = list(
        OperatingModel.objects.select_related("proposed_by", "merged_into").annotate(
            comment_count=Count("comments")
        )
    )
    return {
        "adopted": [m for m in rows if m.status == ModelStatus.ADOPTED],
        "proposed": [m for m in rows if m.status == ModelStatus.PROPOSED],
        "closed": [m for m in rows if not m.is_open],
    }


def model_get(*, slug: str) -> OperatingModel:
    return get_object_or_404(OperatingModel.objects.select_related("proposed_by", "merged_into"), slug=slug)


def model_comments(model: OperatingModel):
    return model.comments.select_related("author", "merged_from")


def model_versions(model: OperatingModel):
    return list(model.versions.select_related("frozen_by").order_by("-number"))


def version_get(*, slug: str, number: int):
    from ..models import ModelVersion

    return get_object_or_404(
        ModelVersion.objects.select_related("model", "frozen_by"), model__slug=slug, number=number
    )


def model_snapshot(model: OperatingModel) -> dict:
    """The fields a frozen version keeps: the model's name, position, dimensions and every cell (by
    function and actor slug, with their names as they are now). Cells in function, then actor order."""
    cells = MatrixCell.objects.filter(model=model).select_related("function", "actor")
    return {
        "name": model.name,
        "position": model.position,
        "dimensions": dict(model.dimensions or {}),
        "cells": [
            {
                "function": c.function.slug,
                "function_name": c.function.name,
                "actor": c.actor.slug,
                "actor_name": c.actor.name,
                "role": c.role,
                "note": c.note,
                "source": c.source,
            }
            for c in sorted(
                cells, key=lambda c: (c.function.order, c.function.slug, c.actor.order, c.actor.slug)
            )
        ],
    }


def version_fields(version) -> dict:
    return {
        "name": version.name,
        "position": version.position,
        "dimensions": dict(version.dimensions or {}),
        "cells": list(version.cells),
    }


CELL_COMPARED = ("role", "note", "source")


def matrix_diff(old: Sequence[dict], new: Sequence[dict]) -> dict:
    """What changed between two matrices given as snapshot cells: cells added, removed, and changed
    (role, note or source), each keyed by (function, actor). `changed` rows carry `before`, `after` and
    the fields that differ ({name, before, after}). Order follows the newer matrix, then the older one."""
    before = {(c["function"], c["actor"]): c for c in old}
    after = {(c["function"], c["actor"]): c for c in new}
    added = [c for k, c in after.items() if k not in before]
    removed = [c for k, c in before.items() if k not in after]
    changed = []
    for key, cell in after.items():
        if key in before:
            fields = [
                {"name": f, "before": before[key].get(f, ""), "after": cell.get(f, "")}
                for f in CELL_COMPARED
                if before[key].get(f) != cell.get(f)
            ]
            if fields:
                changed.append({"before": before[key], "after": cell, "fields": fields})
    return {"added": added, "removed": removed, "changed": changed, "any": bool(added or removed or changed)}


def dimension_diff(old: dict, new: dict) -> list[dict]:
    names = {d.slug: d.name for d in ModelDimension.objects.all()}
    keys = [k for k in names if old.get(k, "") != new.get(k, "")]
    return [{"dimension": names[k], "before": old.get(k, ""), "after": new.get(k, "")} for k in keys]


def model_rounds():
    """Prioritization rounds that ranked operating models (a round over the models' topics), newest
    first, with the models they ranked."""
    from ..models import PrioritizationRound

    return (
        PrioritizationRound.objects.filter(topics__operating_model__isnull=False)
        .distinct()
        .prefetch_related("topics__operating_model")
        .order_by("-opens_at", "-pk")
    )


def round_ranked_models(rnd) -> list[dict]:
    """The closed round's result rows with the model each topic stands for ([] while open)."""
    by_topic = {}
    for topic in rnd.topics.all():
        model = getattr(topic, "operating_model", None)
        if model is not None:
            by_topic[topic.pk] = model
    rows = (rnd.result or {}).get("rows") or []
    return [{**row, "model": by_topic[row["topic"]]} for row in rows if row["topic"] in by_topic]


def dimension_list() -> list[ModelDimension]:
    return list(ModelDimension.objects.all())


def dimension_rows(models: Sequence[OperatingModel]) -> list[dict]:
    """Table 3 as rows: each dimension with the models' texts in order ('' where the report gives none)."""
    return [
        {"dimension": d, "values": [m.dimensions.get(d.slug, "") for m in models]}
        for d in ModelDimension.objects.all()
    ]


def framework_overview() -> dict:
    return {
        "categories": list(
            FunctionCategory.objects.prefetch_related(
                Prefetch("functions", queryset=GridFunction.objects.order_by("order"))
            )
        ),
        "actors": list(Actor.objects.all()),
        "models": operating_models(),
    }


def _functions():
    return list(GridFunction.objects.select_related("category").order_by("category__order", "order"))


def assignment(cells) -> frozenset[tuple[int, str]]:
    """How a function is assigned in a model: the (actor id, role) pairs, leaving out `none`."""
    return frozenset((c.actor_id, c.role) for c in cells if c.role != MatrixRole.NONE)


@dataclass
class MatrixRow:
    function: GridFunction
    cells: list = field(default_factory=list)  # [(actor, cell or None)], in actor order


def model_matrix(model: OperatingModel) -> dict:
    """One model's matrix: functions (rows, grouped by category) × actors (columns)."""
    actors = list(Actor.objects.all())
    cells = {
        (c.function_id, c.actor_id): c
        for c in MatrixCell.objects.filter(model=model).select_related("edited_by")
    }
    groups: list[dict] = []
    for function in _functions():
        if not groups or groups[-1]["category"].pk != function.category_id:
            groups.append({"category": function.category, "rows": []})
        groups[-1]["rows"].append(
            MatrixRow(function, [(actor, cells.get((function.pk, actor.pk))) for actor in actors])
        )
    return {"actors": actors, "groups": groups, "filled": len(cells)}


def cell_get(*, model_slug: str, function_slug: str, actor_slug: str):
    """(model, function, actor, cell or None) for a matrix cell's page; 404 if any part is unknown."""
    model = get_object_or_404(OperatingModel, slug=model_slug)
    function = get_object_or_404(GridFunction.objects.select_related("category"), slug=function_slug)
    actor = get_object_or_404(Actor, slug=actor_slug)
    cell = (
        MatrixCell.objects.select_related("edited_by")
        .filter(model=model, function=function, actor=actor)
        .first()
    )
    return model, function, actor, cell


def least_regrets(assignments: Sequence[frozenset]) -> tuple[bool, list[tuple[int, int]]]:
    """Given a function's assignment in each compared model (in spectrum order), return whether it is a
    least-regrets candidate — assigned, and assigned the same way, in every one of at least two models —
    and the runs (first index, last index) of two or more adjacent models sharing the same assignment."""
    candidate = len(assignments) >= 2 and all(assignments) and len(set(assignments)) == 1
    runs: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(assignments) + 1):
        if i == len(assignments) or assignments[i] != assignments[start] or not assignments[start]:
            if i - start >= 2 and assignments[start]:
                runs.append((start, i - 1))
            start = i
    return candidate, runs


def comparison(models: Sequence[OperatingModel] | None = None) -> dict:
    """The models side by side. For every function: each model's cells, whether the function is a
    least-regrets candidate across the compared models, the runs of adjacent models that share it, and
    the Track 2 topics staff linked it to."""
    models = list(models) if models is not None else operating_models()
    model_ids = [m.pk for m in models]
    by_key: dict[tuple[int, int], list[MatrixCell]] = {}
    for cell in (
        MatrixCell.objects.filter(model_id__in=model_ids).select_related("actor").order_by("actor__order")
    ):
        by_key.setdefault((cell.function_id, cell.model_id), []).append(cell)
    links: dict[int, list[FunctionTopicLink]] = {}
    for link in FunctionTopicLink.objects.select_related("topic", "topic__workstream"):
        links.setdefault(link.function_id, []).append(link)
    rows = []
    for function in _functions():
        per_model = [
            [c for c in by_key.get((function.pk, m.pk), []) if c.role != MatrixRole.NONE] for m in models
        ]
        candidate, runs = least_regrets([assignment(cells) for cells in per_model])
        rows.append(
            {
                "function": function,
                "per_model": per_model,
                "candidate": candidate,
                "runs": [(models[a], models[b]) for a, b in runs],
                "links": links.get(function.pk, []),
            }
        )
    return {
        "models": models,
        "rows": rows,
        "candidates": [r for r in rows if r["candidate"]],
        "dimensions": dimension_rows(models),
    }


def is_candidate(*, function: GridFunction, models: Sequence[OperatingModel]) -> bool:
    cells = MatrixCell.objects.filter(function=function, model__in=models)
    per_model = {m.pk: [] for m in models}
    for cell in cells:
        per_model[cell.model_id].append(cell)
    return least_regrets([assignment(per_model[m.pk]) for m in models])[0]


def track2_topics():
    return (
        Topic.objects.filter(workstream__track__number=TRACK2_NUMBER, is_active=True)
        .select_related("workstream__track")
        .order_by("workstream__code", "title")
    )


# Framing questions and fit ------------------------------------------------------------------------------


def framing_groups() -> list[FramingGroup]:
    return list(
        FramingGroup.objects.prefetch_related(
            Prefetch(
                "questions",
                queryset=FramingQuestion.objects.prefetch_related(
                    Prefetch("options", queryset=FramingOption.objects.prefetch_related("favors"))
                ),
            )
        )
    )


def framing_fit(*, groups: Sequence[FramingGroup], answers: dict[str, str], models: Sequence[OperatingModel]):
    """The fit rule, whose content is data (track1.yaml): every answer favors the models listed for it;
    a model's score is the number of counted answers that favor it; the best fit is the models with the
    highest score above zero. Unanswered and "unsure" favor none; a group with `applies_if` counts only
    when that question was answered that way or left open.

    Returns {"scores": [{model, score, reasons: [(question, option)]}], "best": [models], "counted": n}."""
    reasons: dict[int, list] = {m.pk: [] for m in models}
    counted = 0
    for group in groups:
        cond = group.applies_if or {}
        if cond:
            given = answers.get(cond.get("question", ""))
            if given not in (None, "", "unsure", cond.get("answer")):
                continue
        for question in group.questions.all():
            chosen = answers.get(question.slug)
            option = next((o for o in question.options.all() if o.slug == chosen), None)
            if option is None:
                continue
            counted += 1
            for model in option.favors.all():
                if model.pk in reasons:
                    reasons[model.pk].append((question, option))
    scores = [{"model": m, "score": len(reasons[m.pk]), "reasons": reasons[m.pk]} for m in models]
    top = max((s["score"] for s in scores), default=0)
    best = [s["model"] for s in scores if top and s["score"] == top]
    return {"scores": scores, "best": best, "counted": counted, "top": top}


# Roadmap (Table 6) -------------------------------------------------------------------------------------


def roadmap(*, current: OperatingModel, target: OperatingModel, models: Sequence[OperatingModel]) -> dict:
    """For each Table 6 row: the stage the current and the target model have reached and the steps from one
    to the other; the models passed on the way; and the Table 3 dimensions and matrix assignments that
    differ between the two models."""
    order = [str(s) for s in ROADMAP_STAGE_ORDER]
    labels = dict(RoadmapStage.choices)
    rows = []
    for row in RoadmapFunction.objects.prefetch_related("steps", "related_functions"):
        texts = {s.stage: s.text for s in row.steps.all()}
        here, there = row.stage_by_model.get(current.slug), row.stage_by_model.get(target.slug)
        steps = []
        if here and there:
            a, b = order.index(here), order.index(there)
            span = order[a : b + 1] if a <= b else list(reversed(order[b : a + 1]))
            steps = [{"stage": s, "label": labels[s], "text": texts.get(s, "")} for s in span]
        rows.append(
            {
                "row": row,
                "current": here and {"stage": here, "label": labels[here], "text": texts.get(here, "")},
                "target": there and {"stage": there, "label": labels[there], "text": texts.get(there, "")},
                "steps": steps,
                "changes": bool(here and there and here != there),
                "texts": [(labels[s], texts.get(s, "")) for s in order],
            }
        )
    lo, hi = sorted([current.position, target.position])
    path = [m for m in models if lo <= m.position <= hi]
    if current.position > target.position:
        path.reverse()
    compared = comparison([current, target])
    changed = [
        {"function": r["function"], "current": r["per_model"][0], "target": r["per_model"][1]}
        for r in compared["rows"]
        if assignment(r["per_model"][0]) != assignment(r["per_model"][1])
    ]
    dims = [d for d in compared["dimensions"] if d["values"][0] != d["values"][1]]
    return {
        "rows": rows,
        "path": path,
        "direction": "decentralizing" if target.position > current.position else "centralizing",
        "changed_functions": changed,
        "changed_dimensions": dims,
    }


# Self-assessments ---------------------------------------------------------------------------------------


def assessment_list_for(user):
    """The user's own assessments and those shared within their organization (published ones of others
    are only seen anonymously, on the map)."""
    from ..models import SelfAssessment, Sharing

    shown = SelfAssessment.objects.filter(owner=user)
    if user.organization_id:
        shown = SelfAssessment.objects.filter(
            Q(owner=user)
            | Q(
                organization_id=user.organization_id,
                sharing__in=[Sharing.ORGANIZATION, Sharing.PUBLISHED],
            )
        )
    return shown.select_related("owner")


def assessment_get(*, user, pk: int):
    """One assessment the user may read; 404 otherwise (its existence is not disclosed)."""
    from initiative import policy

    from ..models import SelfAssessment

    assessment = SelfAssessment.objects.select_related("owner", "organization").filter(pk=pk).first()
    if assessment is None or not policy.can(user, "workstreams.view_assessment", assessment):
        raise Http404
    return assessment


def may_see_owner(user, assessment) -> bool:
    """Whether the page may name who saved it: the owner and the members of its organization only."""
    if not (user and user.is_authenticated):
        return False
    return assessment.owner_id == user.pk or (
        assessment.organization_id is not None and assessment.organization_id == user.organization_id
    )


def spectrum_point(best: Sequence[OperatingModel], models: Sequence[OperatingModel]) -> float | None:
    """Where a fit sits between centralized (0) and decentralized (1): the mean spread position of its
    best-fitting models (positions evenly spread in spectrum order, as the spectrum page draws them)."""
    if not best or len(models) < 2:
        return None
    rank = {m.pk: i for i, m in enumerate(models)}
    return sum(rank[m.pk] for m in best if m.pk in rank) / len(best) / (len(models) - 1)


def assessment_fit(assessment, *, groups, models) -> dict:
    fit = framing_fit(groups=groups, answers=assessment.answers, models=models)
    fit["point"] = spectrum_point(fit["best"], models)
    return fit


def assessment_compare(first, second) -> dict:
    """Two assessments side by side: each question with both answers (marking those that differ), and
    both fits."""
    groups = framing_groups()
    models = operating_models()
    rows = []
    for group in groups:
        for question in group.questions.all():
            labels = {o.slug: o.label for o in question.options.all()}
            a, b = first.answers.get(question.slug, ""), second.answers.get(question.slug, "")
            rows.append(
                {
                    "group": group,
                    "question": question,
                    "a": labels.get(a, a),
                    "b": labels.get(b, b),
                    "differs": a != b,
                }
            )
    return {
        "rows": rows,
        "fits": [
            assessment_fit(first, groups=groups, models=models),
            assessment_fit(second, groups=groups, models=models),
        ],
        "models": models,
        "differences": sum(r["differs"] for r in rows),
    }


def assessment_map() -> dict:
    """The published assessments, anonymous: for each state and ISO/RTO region, how many there are, how
    many fit each operating model best, and their mean point on the spectrum. No owner, no organization:
    only the jurisdiction and the answers are read. A fixed number of queries."""
    from initiative.jurisdictions import ISO_RTO_CODES, NAMES

    from ..models import SelfAssessment

    groups = framing_groups()
    models = operating_models()
    by_place: dict[str, dict] = {}
    for jurisdiction, answers in (
        SelfAssessment.objects.published().exclude(jurisdiction="").values_list("jurisdiction", "answers")
    ):
        fit = framing_fit(groups=groups, answers=answers, models=models)
        point = spectrum_point(fit["best"], models)
        place = by_place.setdefault(
            jurisdiction,
            {
                "code": jurisdiction,
                "name": NAMES.get(jurisdiction, jurisdiction),
                "kind": "iso_rto" if jurisdiction in ISO_RTO_CODES else "state",
                "count": 0,
                "points": [],
                "best": {m.pk: 0 for m in models},
            },
        )
        place["count"] += 1
        if point is not None:
            place["points"].append(point)
        for m in fit["best"]:
            place["best"][m.pk] += 1
    places = sorted(by_place.values(), key=lambda p: (p["kind"] != "state", p["name"]))
    for place in places:
        place["mean"] = sum(place["points"]) / len(place["points"]) if place["points"] else None
        place["per_model"] = [(m, place["best"][m.pk]) for m in models]
        nearest = round(place["mean"] * (len(models) - 1)) if place["mean"] is not None else None
        place["nearest"] = models[nearest] if nearest is not None else None
    return {
        "models": models,
        "states": [p for p in places if p["kind"] == "state"],
        "regions": [p for p in places if p["kind"] == "iso_rto"],
        "total": sum(p["count"] for p in places),
    }


# The API's lists: querysets, so that they filter, order and paginate in the query ----------------------


def operating_model_list():
    return OperatingModel.objects.order_by("position")


def grid_function_list():
    return GridFunction.objects.select_related("category").order_by("category__order", "order", "pk")


def actor_list():
    return Actor.objects.order_by("order", "pk")


def matrix_cell_list():
    """Every filled cell with its model, function and actor joined: one query per page."""
    return MatrixCell.objects.select_related("model", "function", "actor").order_by(
        "model__position", "function__category__order", "function__order", "actor__order", "pk"
    )
