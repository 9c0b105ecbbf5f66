"""Pages of the Track 1 framework: overview, the spectrum of models, one model's matrix (edited cell by
cell by staff, htmx with a plain-POST fallback), the comparison with least-regrets candidates, the
framing questions with their fit, and the roadmap between two models. Public, no account needed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from initiative import policy
from initiative.jurisdictions import NAMES as JURISDICTION_NAMES

from ..forms.framework import (
    AssessmentForm,
    CompareAssessmentsForm,
    FramingForm,
    MatrixCellForm,
    ModelAdoptForm,
    ModelCommentForm,
    ModelFreezeForm,
    ModelMergeForm,
    ModelRetireForm,
    ModelRoundForm,
    OperatingModelForm,
    RoadmapForm,
    TopicLinkForm,
)
from ..models import FunctionTopicLink, GridFunction, MatrixRole
from ..selectors import framework as selectors
from ..services import framework as services

SPECTRUM = {"width": 960, "height": 150, "left": 70, "right": 890, "axis": 70}


def framework_overview(request):
    context = selectors.framework_overview()
    return render(request, "workstreams/framework/overview.html", context)


def _spectrum(models):
    """Positions of the models on the drawn spectrum (x in SVG units), evenly spread by `position`."""
    if not models:
        return []
    lo, hi = models[0].position, models[-1].position
    span = max(hi - lo, 1)
    width = SPECTRUM["right"] - SPECTRUM["left"]
    return [
        {"model": m, "x": round(SPECTRUM["left"] + (m.position - lo) * width / span), "above": i % 2 == 0}
        for i, m in enumerate(models)
    ]


def model_list(request):
    """The adopted models on the spectrum with Table 3, then the proposals, the ranking rounds, and the
    merged or retired models."""
    groups = selectors.models_by_status()
    models = groups["adopted"]
    hybrids = [m for m in models if not m.end_point]
    may_manage = policy.can(request.user, "workstreams.manage_models")
    may_propose = policy.can(request.user, "workstreams.propose_model")
    open_models = [*groups["adopted"], *groups["proposed"]]
    return render(
        request,
        "workstreams/framework/model_list.html",
        {
            "models": models,
            "proposed": groups["proposed"],
            "closed": groups["closed"],
            "points": _spectrum(models),
            "svg": SPECTRUM,
            "hybrids": hybrids,
            "dimensions": selectors.dimension_rows(hybrids),
            "rounds": list(selectors.model_rounds()) if may_manage or may_propose else [],
            "may_propose": may_propose,
            "may_manage": may_manage,
            "round_form": ModelRoundForm(models=open_models)
            if may_manage and len(open_models) >= 2
            else None,
        },
    )


def _matrix_context(request, model):
    everything = selectors.models_by_status()
    adopted = everything["adopted"]
    index = next((i for i, m in enumerate(adopted) if m.pk == model.pk), None)
    user = request.user
    may_manage = policy.can(user, "workstreams.manage_models", model)
    context = {
        "model": model,
        "matrix": selectors.model_matrix(model),
        "dimensions": selectors.dimension_rows([model]),
        "previous": adopted[index - 1] if index else None,
        "next": adopted[index + 1] if index is not None and index + 1 < len(adopted) else None,
        "count": len(adopted),
        "rank": index + 1 if index is not None else None,
        "may_edit": policy.can(user, "workstreams.edit_framework", model),
        "may_revise": policy.can(user, "workstreams.revise_model", model),
        "may_comment": model.is_open and policy.can(user, "workstreams.comment_on_model", model),
        "may_manage": may_manage and model.is_open,
        "may_freeze": may_manage,
        "comments": list(selectors.model_comments(model)),
        "versions": selectors.model_versions(model),
        "comment_form": ModelCommentForm(),
        "freeze_form": ModelFreezeForm(),
        "retire_form": ModelRetireForm(),
    }
    if context["may_manage"]:
        targets = [m for m in everything["adopted"] + everything["proposed"] if m.pk != model.pk]
        context["merge_form"] = ModelMergeForm(targets=targets) if targets else None
    return context


def model_detail(request, slug: str):
    model = selectors.model_get(slug=slug)
    return render(request, "workstreams/framework/model_detail.html", _matrix_context(request, model))


def _model_form_page(request, *, model=None):
    dimensions = selectors.dimension_list()
    everything = selectors.models_by_status()
    form = OperatingModelForm(
        request.POST or None,
        dimensions=dimensions,
        models=[*everything["adopted"], *everything["proposed"]],
        initial=OperatingModelForm.initial_for(model) if model else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            "name": data["name"],
            "position": data["position"],
            "description": data["description"],
            "dimensions": form.dimension_values(),
        }
        try:
            if model is None:
                saved = services.model_propose(actor=request.user, **fields)
            else:
                saved = services.model_revise(
                    actor=request.user, model=model, seen_revision=data.get("seen_revision"), **fields
                )
        except services.FrameworkError as exc:
            form.add_error("name" if exc.code == "name" else None, exc.message)
        else:
            messages.success(request, _("Saved “%(name)s”.") % {"name": saved.name})
            return redirect(saved)
    return render(
        request,
        "workstreams/framework/model_form.html",
        {"form": form, "model": model},
        status=422 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def model_propose(request):
    policy.require(request.user, "workstreams.propose_model")
    return _model_form_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def model_revise(request, slug: str):
    model = selectors.model_get(slug=slug)
    policy.require(request.user, "workstreams.revise_model", model)
    return _model_form_page(request, model=model)


def _model_action(request, model, done):
    """Run a staff or member action on a model from a POSTed form; errors come back as a message."""
    try:
        message = done()
    except services.FrameworkError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, message)
    return redirect(model)


@login_required
@require_POST
def model_comment(request, slug: str):
    model = selectors.model_get(slug=slug)
    policy.require(request.user, "workstreams.comment_on_model", model)
    form = ModelCommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a comment first."))
        return redirect(f"{model.get_absolute_url()}#comments")

    def done():
        services.model_comment(actor=request.user, model=model, body=form.cleaned_data["body"])
        return _("Comment added.")

    return _model_action(request, model, done)


@login_required
@require_POST
def model_merge(request, slug: str):
    model = selectors.model_get(slug=slug)
    policy.require(request.user, "workstreams.manage_models", model)
    everything = selectors.models_by_status()
    targets = [m for m in everything["adopted"] + everything["proposed"] if m.pk != model.pk]
    form = ModelMergeForm(request.POST, targets=targets)
    if not form.is_valid():
        messages.error(request, _("Choose an open model to merge into."))
        return redirect(model)
    target = next(m for m in targets if m.slug == form.cleaned_data["target"])

    def done():
        services.model_merge(
            actor=request.user, source=model, target=target, reason=form.cleaned_data["reason"]
        )
        return _("Merged “%(a)s” into “%(b)s”.") % {"a": model.name, "b": target.name}

    return _model_action(request, model, done)


@login_required
@require_POST
def model_retire(request, slug: str):
    model = selectors.model_get(slug=slug)
    policy.require(request.user, "workstreams.manage_models", model)
    form = ModelRetireForm(request.POST)
    form.is_valid()

    def done():
        services.model_retire(actor=request.user, model=model, reason=form.cleaned_data.get("reason", ""))
        return _("Retired “%(a)s”.") % {"a": model.name}

    return _model_action(request, model, done)


@login_required
@require_POST
def model_freeze(request, slug: str):
    model = selectors.model_get(slug=slug)
    policy.require(request.user, "workstreams.manage_models", model)
    form = ModelFreezeForm(request.POST)
    form.is_valid()
    try:
        version = services.model_version_freeze(
            actor=request.user, model=model, note=form.cleaned_data.get("note", "")
        )
    except services.FrameworkError as exc:
        messages.error(request, exc.message)
        return redirect(f"{model.get_absolute_url()}#versions")
    messages.success(request, _("Frozen as version %(n)s.") % {"n": version.number})
    return redirect(version.get_absolute_url())


def model_version(request, slug: str, n: int):
    """A frozen version: its matrix as it was, what changed from the version before, and what has
    changed since (against the model as it is now). The URL is stable: cite it from a deliverable."""
    version = selectors.version_get(slug=slug, number=n)
    model = version.model
    previous = model.versions.filter(number__lt=version.number).order_by("-number").first()
    current = selectors.model_snapshot(model)
    from_previous = selectors.matrix_diff(previous.cells, version.cells) if previous else None
    since = selectors.matrix_diff(version.cells, current["cells"])
    actors = {}
    for cell in version.cells:
        actors.setdefault(cell["actor"], cell["actor_name"])
    rows: dict[str, dict] = {}
    for cell in version.cells:
        row = rows.setdefault(cell["function"], {"name": cell["function_name"], "cells": []})
        row["cells"].append(cell)
    return render(
        request,
        "workstreams/framework/model_version.html",
        {
            "version": version,
            "crumb": _("Version %(n)s") % {"n": version.number},
            "model": model,
            "previous": previous,
            "rows": list(rows.values()),
            "from_previous": from_previous,
            "previous_dimensions": selectors.dimension_diff(previous.dimensions, version.dimensions)
            if previous
            else [],
            "since": since,
            "since_dimensions": selectors.dimension_diff(version.dimensions, current["dimensions"]),
            "dimensions": [(d.name, version.dimensions.get(d.slug, "")) for d in selectors.dimension_list()],
            "citation_url": request.build_absolute_uri(version.get_absolute_url()),
            "later": model.versions.filter(number__gt=version.number).order_by("number").last(),
        },
    )


@login_required
@require_POST
def model_round_open(request):
    policy.require(request.user, "workstreams.manage_models")
    everything = selectors.models_by_status()
    form = ModelRoundForm(request.POST, models=[*everything["adopted"], *everything["proposed"]])
    back = reverse("workstreams:framework-models") + "#rounds"
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    try:
        rnd = services.model_round_open(
            actor=request.user,
            title=form.cleaned_data["title"],
            closes_at=form.cleaned_data["closes_at"],
            models=form.chosen(),
        )
    except services.FrameworkError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    messages.success(request, _("Ranking round opened: Workstream A members can now rank the models."))
    return redirect(rnd)


@login_required
@require_http_methods(["GET", "POST"])
def models_adopt(request, pk: int):
    """From a closed ranking round, adopt the four or five models the workstream keeps (the top five are
    ticked to start with)."""
    from ..selectors import prioritization as round_selectors

    policy.require(request.user, "workstreams.manage_models")
    rnd = round_selectors.round_get(pk=pk)
    ranked = selectors.round_ranked_models(rnd)
    initial = {"models": [r["model"].slug for r in ranked if r["model"].is_open][: selectors.ADOPT_DEFAULT]}
    form = ModelAdoptForm(request.POST or None, ranked=ranked, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            adopted = services.models_adopt(
                actor=request.user, models=form.chosen(), round=rnd, reason=form.cleaned_data["reason"]
            )
        except services.FrameworkError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("Adopted %(n)s models: the comparison now uses them.") % {"n": len(adopted)}
            )
            return redirect("workstreams:framework-models")
    return render(
        request,
        "workstreams/framework/model_adopt.html",
        {"round": rnd, "ranked": ranked, "form": form},
        status=422 if form.errors else 200,
    )


def _cell_context(model, function, party, cell, *, may_edit, form=None, error=None):
    return {
        "model": model,
        "function": function,
        "party": party,
        "cell": cell,
        "may_edit": may_edit,
        "form": form,
        "error": error,
        "cell_id": f"cell-{function.slug}-{party.slug}",
    }


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def cell_edit(request, slug: str, function: str, actor: str):
    """One matrix cell. GET: its edit form (the `cell-form` partial for htmx; `?show=1` gives the cell as
    displayed, for Cancel). POST: save through the service; htmx gets the updated cell back, a plain POST
    is redirected to the model's matrix at that row."""
    model, grid_function, party, cell = selectors.cell_get(
        model_slug=slug, function_slug=function, actor_slug=actor
    )
    policy.require(request.user, "workstreams.edit_framework", model)
    initial = {
        "role": cell.role if cell else MatrixRole.RESPONSIBLE,
        "note": cell.note if cell else "",
        "source": cell.source if cell else "",
        "seen_revision": cell.revision if cell else 0,
    }
    prefix_id = f"{grid_function.slug}-{party.slug}"
    if request.method == "GET" and request.htmx and request.GET.get("show"):
        ctx = _cell_context(model, grid_function, party, cell, may_edit=True)
        return render(request, "workstreams/framework/model_detail.html#cell", ctx)
    form = MatrixCellForm(request.POST or None, initial=initial, prefix_id=prefix_id)
    error = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cell = services.matrix_cell_set(
                actor=request.user,
                model=model,
                function=grid_function,
                party=party,
                role=data["role"],
                note=data["note"],
                source=data["source"],
                seen_revision=data["seen_revision"],
            )
        except services.FrameworkError as exc:
            error = exc.message
            cell = selectors.cell_get(model_slug=slug, function_slug=function, actor_slug=actor)[3]
            form = MatrixCellForm(
                initial={
                    "role": cell.role if cell else MatrixRole.RESPONSIBLE,
                    "note": cell.note if cell else "",
                    "source": cell.source if cell else "",
                    "seen_revision": cell.revision if cell else 0,
                },
                prefix_id=prefix_id,
            )
        else:
            if request.htmx:
                ctx = _cell_context(model, grid_function, party, cell, may_edit=True)
                ctx["saved"] = True
                return render(request, "workstreams/framework/model_detail.html#cell", ctx)
            messages.success(
                request,
                _("Saved: %(actor)s in “%(function)s”.")
                % {"actor": party.name, "function": grid_function.name},
            )
            return redirect(f"{model.get_absolute_url()}#row-{grid_function.slug}")
    ctx = _cell_context(model, grid_function, party, cell, may_edit=True, form=form, error=error)
    if request.htmx:
        # htmx 2 does not swap 4xx responses: form errors come back as 200 in the swapped-in form.
        ctx["in_cell"] = True
        return render(request, "workstreams/framework/cell_edit.html#cell-form", ctx)
    status = 409 if error else (422 if form.errors else 200)
    return render(request, "workstreams/framework/cell_edit.html", ctx, status=status)


def _compared_models(request, models):
    wanted = request.GET.getlist("models")
    chosen = [m for m in models if m.slug in wanted] if wanted else list(models)
    return chosen if len(chosen) >= 2 else list(models)


def compare(request):
    models = selectors.operating_models()
    chosen = _compared_models(request, models)
    data = selectors.comparison(chosen)
    may_link = policy.can(request.user, "workstreams.link_least_regrets")
    if may_link:
        topics = list(selectors.track2_topics())
        for row in data["candidates"]:
            row["form"] = TopicLinkForm(topics=topics, prefix_id=row["function"].slug)
    return render(
        request,
        "workstreams/framework/compare.html",
        {
            **data,
            "all_models": models,
            "chosen_slugs": {m.slug for m in chosen},
            "may_link": may_link,
            "query": request.GET.urlencode(),
        },
    )


@login_required
@require_POST
def topic_link(request, function: str):
    grid_function = get_object_or_404(GridFunction, slug=function)
    policy.require(request.user, "workstreams.link_least_regrets", grid_function)
    models = selectors.operating_models()
    chosen = [m for m in models if m.slug in request.POST.getlist("models")] or models
    form = TopicLinkForm(request.POST, topics=list(selectors.track2_topics()))
    back = reverse("workstreams:framework-compare") + "?" + "&".join(f"models={m.slug}" for m in chosen)
    if not form.is_valid():
        messages.error(request, _("Choose a Track 2 topic to link."))
        return redirect(back)
    try:
        link = services.function_topic_link(
            actor=request.user,
            function=grid_function,
            topic=form.topics[form.cleaned_data["topic"]],
            models=chosen,
        )
    except services.FrameworkError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Linked “%(f)s” to “%(t)s”.") % {"f": grid_function.name, "t": link.topic.title}
        )
    return redirect(f"{back}#fn-{grid_function.slug}")


@login_required
@require_POST
def topic_unlink(request, pk: int):
    link = get_object_or_404(FunctionTopicLink.objects.select_related("function", "topic"), pk=pk)
    services.function_topic_unlink(actor=request.user, link=link)
    messages.success(request, _("Link removed."))
    return redirect(reverse("workstreams:framework-compare") + f"#fn-{link.function.slug}")


def framing(request):
    """Table 1 as a form; with answers, the models that fit them (GET: nothing is stored)."""
    groups = selectors.framing_groups()
    models = selectors.operating_models()
    form = FramingForm(request.GET or None, groups=groups)
    answers = form.answers()
    fit = selectors.framing_fit(groups=groups, answers=answers, models=models) if answers else None
    roadmap_form = None
    if fit and fit["best"]:
        roadmap_form = RoadmapForm(initial={"target": fit["best"][0].slug}, models=models)
    return render(
        request,
        "workstreams/framework/framing.html",
        {
            "form": form,
            "fit": fit,
            "roadmap_form": roadmap_form,
            "jurisdiction": JURISDICTION_NAMES.get(form.cleaned_data.get("jurisdiction") or "")
            if answers
            else None,
        },
    )


def roadmap(request):
    models = selectors.operating_models()
    form = RoadmapForm(request.GET or None, models=models)
    data = None
    if form.is_bound and not form.is_valid():
        return render(request, "workstreams/framework/roadmap.html", {"form": form, "data": None}, status=400)
    if form.is_bound:
        by_slug = {m.slug: m for m in models}
        current, target = by_slug[form.cleaned_data["current"]], by_slug[form.cleaned_data["target"]]
        data = selectors.roadmap(current=current, target=target, models=models)
        data.update(current=current, target=target)
    return render(request, "workstreams/framework/roadmap.html", {"form": form, "data": data})


# Saved self-assessments ---------------------------------------------------------------------------------


@login_required
def assessment_list(request):
    assessments = list(selectors.assessment_list_for(request.user))
    form = CompareAssessmentsForm(assessments=assessments) if len(assessments) >= 2 else None
    return render(
        request,
        "workstreams/framework/assessment_list.html",
        {
            "assessments": assessments,
            "compare_form": form,
            "may_save": policy.can(request.user, "workstreams.save_assessment"),
        },
    )


def _assessment_form_page(request, *, assessment=None):
    groups = selectors.framing_groups()
    initial = AssessmentForm.initial_for(assessment) if assessment else None
    if initial is None and request.user.organization_id:
        initial = {"jurisdiction": request.user.organization.jurisdiction}
    form = AssessmentForm(request.POST or None, groups=groups, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            "title": data["title"],
            "answers": form.answers(),
            "sharing": data["sharing"],
            "jurisdiction": data.get("jurisdiction") or "",
        }
        try:
            if assessment is None:
                saved = services.assessment_save(actor=request.user, **fields)
            else:
                saved = services.assessment_update(actor=request.user, assessment=assessment, **fields)
        except services.FrameworkError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Saved “%(title)s”.") % {"title": saved.title})
            return redirect(saved)
    status = 422 if form.errors else 200
    return render(
        request,
        "workstreams/framework/assessment_form.html",
        {"form": form, "assessment": assessment},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_create(request):
    policy.require(request.user, "workstreams.save_assessment")
    return _assessment_form_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def assessment_edit(request, pk: int):
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    policy.require(request.user, "workstreams.change_assessment", assessment)
    return _assessment_form_page(request, assessment=assessment)


def assessment_detail(request, pk: int):
    """One saved assessment with its fit. A published one may be read by anyone, without saying whose it
    is unless the reader is its owner or in its organization."""
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    groups = selectors.framing_groups()
    models = selectors.operating_models()
    answered = []
    for group in groups:
        for question in group.questions.all():
            chosen = assessment.answers.get(question.slug, "")
            label = next((o.label for o in question.options.all() if o.slug == chosen), chosen)
            answered.append({"group": group, "question": question, "answer": label})
    return render(
        request,
        "workstreams/framework/assessment_detail.html",
        {
            "assessment": assessment,
            "answered": answered,
            "fit": selectors.assessment_fit(assessment, groups=groups, models=models),
            "show_owner": selectors.may_see_owner(request.user, assessment),
            "may_change": policy.can(request.user, "workstreams.change_assessment", assessment),
            "jurisdiction": JURISDICTION_NAMES.get(assessment.jurisdiction, ""),
        },
    )


@login_required
def assessment_compare(request):
    assessments = list(selectors.assessment_list_for(request.user))
    form = CompareAssessmentsForm(request.GET or None, assessments=assessments)
    if not form.is_valid():
        return render(
            request,
            "workstreams/framework/assessment_compare.html",
            {"form": form, "data": None},
            status=400 if form.is_bound else 200,
        )
    first = selectors.assessment_get(user=request.user, pk=form.cleaned_data["a"])
    second = selectors.assessment_get(user=request.user, pk=form.cleaned_data["b"])
    return render(
        request,
        "workstreams/framework/assessment_compare.html",
        {"form": form, "data": selectors.assessment_compare(first, second), "first": first, "second": second},
    )


MAP = {"width": 640, "left": 150, "right": 620, "row": 26, "top": 30}


def _map_rows(places, offset: int):
    width = MAP["right"] - MAP["left"]
    return [
        {
            **place,
            "y": MAP["top"] + (offset + i) * MAP["row"],
            "x": round(MAP["left"] + place["mean"] * width) if place["mean"] is not None else None,
            "dots": [round(MAP["left"] + p * width) for p in place["points"]],
        }
        for i, place in enumerate(places)
    ]


def assessment_map(request):
    """Where published assessments sit on the spectrum, by state and by ISO/RTO region: an SVG chart and
    the same data as a table. Anonymous: no names, no organizations."""
    data = selectors.assessment_map()
    states = _map_rows(data["states"], 0)
    regions = _map_rows(data["regions"], len(states))
    height = MAP["top"] + (len(states) + len(regions)) * MAP["row"] + 20
    return render(
        request,
        "workstreams/framework/assessment_map.html",
        {**data, "states": states, "regions": regions, "svg": {**MAP, "height": height}},
    )
