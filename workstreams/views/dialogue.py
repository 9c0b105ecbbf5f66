"""Pages of the Track 3 dialogue's living documents: the issue areas in agenda order, an area's
document (its four sections, solutions, comments, re-evaluations, decisions and action items), a
section's editor and history with a diff, and the staff forms (owners, re-evaluation date, completing a
re-evaluation, raising an action item). Permissions are asked of the policy; writes are services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from initiative import policy

from .. import selectors
from ..forms.dialogue import (
    AreaSettingsForm,
    CommentForm,
    ReevaluationCompleteForm,
    SectionForm,
    SolutionForm,
)
from ..forms.sessions import ActionItemForm
from ..models import Reevaluation, SectionKind, Solution
from ..selectors import dialogue as dialogue_selectors
from ..services import dialogue as services
from ..services import sessions as session_services


def issue_area_list(request):
    """Track 3's issue areas (Table 5) in the order the Track 3 agenda ranked them, with what the
    dialogue has done on each."""
    dialogue_ws = dialogue_selectors.dialogue_workstream()
    agenda = dialogue_selectors.track3_agenda()
    return render(
        request,
        "workstreams/dialogue/issue_area_list.html",
        {
            "areas": dialogue_selectors.area_list_ranked(agenda),
            "agenda": agenda,
            "may_view_round": agenda is not None
            and policy.can(request.user, "workstreams.view_round", agenda["round"]),
            "dialogue": dialogue_ws,
            "may_propose": dialogue_ws is not None
            and policy.can(request.user, "workstreams.propose_topic", dialogue_ws),
            "may_assemble": policy.can(request.user, "consultations.write_draft"),
        },
    )


def issue_area_detail(request, slug: str):
    area = dialogue_selectors.area_get(slug=slug)
    dialogue_ws = dialogue_selectors.dialogue_workstream()
    items = selectors.action_item_list().filter(issue_area=area)
    visible = [i for i in items if policy.can(request.user, "workstreams.view_members_area", i.workstream)]
    sessions = area.sessions.select_related("workstream").order_by("-starts_at")[:20]
    may_manage = policy.can(request.user, "workstreams.manage_issue_area", area)
    context = {
        "area": area,
        "sections": dialogue_selectors.area_sections(area),
        "solutions": dialogue_selectors.area_solutions(area),
        "reevaluations": dialogue_selectors.reevaluation_history(area),
        "action_items": visible,
        "sessions": sessions,
        "may_draft": policy.can(request.user, "workstreams.draft_issue_area", area),
        "may_comment": policy.can(request.user, "workstreams.comment_on_issue_area", area),
        "may_manage": may_manage,
        "may_assemble": policy.can(request.user, "consultations.write_draft"),
        "comment_form": CommentForm(),
        "complete_form": ReevaluationCompleteForm(),
        "action_form": ActionItemForm(workstream=dialogue_ws, initial={"issue_area": area})
        if may_manage and dialogue_ws
        else None,
    }
    return render(request, "workstreams/dialogue/issue_area_detail.html", context)


def _section(slug: str, kind: str):
    area = dialogue_selectors.area_get(slug=slug)
    return area, dialogue_selectors.section_get(area=area, kind=kind)


@login_required
@require_http_methods(["GET", "POST"])
def section_edit(request, slug: str, kind: str):
    area, section = _section(slug, kind)
    policy.require(request.user, "workstreams.draft_issue_area", area)
    form = SectionForm(request.POST or None, initial={"body": section.body})
    if request.method == "POST" and form.is_valid():
        version = services.section_update(
            actor=request.user,
            section=section,
            body=form.cleaned_data["body"],
            note=form.cleaned_data["note"],
        )
        if version is None:
            messages.info(request, _("Nothing changed; no new version was saved."))
        else:
            messages.success(request, _("Saved as version %(n)d.") % {"n": version.number})
        return redirect(f"{area.get_absolute_url()}#section-{section.kind}")
    return render(
        request,
        "workstreams/dialogue/section_edit.html",
        {"area": area, "section": section, "form": form, "solutions": section.kind == SectionKind.SOLUTIONS},
        status=422 if form.errors else 200,
    )


def _int(value):
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def section_history(request, slug: str, kind: str):
    """Every version of a section, and two of them compared (the latest and the one before unless
    `?old=&new=` say otherwise)."""
    area, section = _section(slug, kind)
    versions = list(dialogue_selectors.section_versions(section))
    compare = dialogue_selectors.version_compare(
        section, old=_int(request.GET.get("old")), new=_int(request.GET.get("new"))
    )
    if versions and compare is None:
        raise Http404
    return render(
        request,
        "workstreams/dialogue/section_history.html",
        {"area": area, "section": section, "versions": versions, "compare": compare},
    )


@login_required
@require_POST
def section_comment(request, slug: str, kind: str):
    area, section = _section(slug, kind)
    policy.require(request.user, "workstreams.comment_on_issue_area", area)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.section_comment_create(actor=request.user, section=section, body=form.cleaned_data["body"])
        messages.success(request, _("Your comment is posted."))
    else:
        messages.error(request, _("Write a comment first (up to 5,000 characters)."))
    return redirect(f"{area.get_absolute_url()}#section-{section.kind}")


@login_required
@require_http_methods(["GET", "POST"])
def solution_edit(request, slug: str, pk: int | None = None):
    area = dialogue_selectors.area_get(slug=slug)
    policy.require(request.user, "workstreams.draft_issue_area", area)
    solution = get_object_or_404(Solution, pk=pk, area=area, is_active=True) if pk else None
    initial = (
        {
            "title": solution.title,
            "description": solution.description,
            "operating_models": list(solution.operating_models.all()),
        }
        if solution
        else {}
    )
    form = SolutionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.solution_save(
                actor=request.user,
                area=area,
                solution=solution,
                title=d["title"],
                description=d["description"],
                operating_models=d["operating_models"],
                note=d["note"],
            )
        except services.DialogueError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The solution is saved; the section has a new version."))
            return redirect(f"{area.get_absolute_url()}#section-solutions")
    return render(
        request,
        "workstreams/dialogue/solution_form.html",
        {"area": area, "solution": solution, "form": form},
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def solution_retire(request, slug: str, pk: int):
    area = dialogue_selectors.area_get(slug=slug)
    solution = get_object_or_404(Solution, pk=pk, area=area)
    services.solution_retire(actor=request.user, solution=solution)
    messages.success(request, _("The solution is withdrawn; earlier versions keep it."))
    return redirect(f"{area.get_absolute_url()}#section-solutions")


@login_required
@require_http_methods(["GET", "POST"])
def area_settings(request, slug: str):
    area = dialogue_selectors.area_get(slug=slug)
    policy.require(request.user, "workstreams.manage_issue_area", area)
    form = AreaSettingsForm(
        request.POST or None, initial={"owners": list(area.owners.all()), "reevaluate_on": area.reevaluate_on}
    )
    if request.method == "POST" and form.is_valid():
        services.area_update(
            actor=request.user,
            area=area,
            owners=form.cleaned_data["owners"],
            reevaluate_on=form.cleaned_data["reevaluate_on"],
        )
        messages.success(request, _("The area's owners and re-evaluation date are saved."))
        return redirect(area)
    return render(
        request,
        "workstreams/dialogue/area_settings.html",
        {"area": area, "form": form},
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def reevaluation_complete(request, pk: int):
    reevaluation = get_object_or_404(Reevaluation.objects.select_related("area"), pk=pk)
    policy.require(request.user, "workstreams.manage_issue_area", reevaluation.area)
    form = ReevaluationCompleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid date for the next re-evaluation."))
        return redirect(reevaluation.area)
    try:
        services.reevaluation_complete(
            actor=request.user,
            reevaluation=reevaluation,
            note=form.cleaned_data["note"],
            next_on=form.cleaned_data["next_on"],
        )
    except services.DialogueError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The re-evaluation is recorded."))
    return redirect(f"{reevaluation.area.get_absolute_url()}#reevaluation")


@login_required
@require_http_methods(["GET", "POST"])
def area_action_item(request, slug: str):
    """A decision on the area closes with an action item and the organization accountable for it
    (the action items of the Track 3 dialogue, as sessions raise them)."""
    area = dialogue_selectors.area_get(slug=slug)
    policy.require(request.user, "workstreams.manage_issue_area", area)
    dialogue_ws = dialogue_selectors.dialogue_workstream()
    if dialogue_ws is None:
        raise Http404
    form = ActionItemForm(request.POST or None, workstream=dialogue_ws, initial={"issue_area": area})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        session_services.action_item_create(
            actor=request.user,
            workstream=dialogue_ws,
            description=d["description"],
            owner=d["owner"],
            owner_organization=d["owner_organization"],
            due_date=d["due_date"],
            issue_area=area,
        )
        messages.success(request, _("The action item is recorded."))
        return redirect(f"{area.get_absolute_url()}#action-items")
    return render(
        request,
        "workstreams/dialogue/action_item_form.html",
        {"area": area, "form": form},
        status=422 if form.errors else 200,
    )
