"""Pages of the review workflow: a deliverable's stage and its transitions, following, and the task
failures staff resolve. Thin: parse, call one service or selector, render; domain errors become messages
and 4xx statuses (409 for an illegal transition, 400 for bad input)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from initiative import policy
from initiative import selectors as gov_selectors
from initiative.models import TaskFailure
from initiative.redirects import next_url

from .. import workflow
from ..forms.workflow import CheckpointForm, TransitionForm
from ..models import Follow
from ..selectors import endorsements as endorsement_selectors
from ..selectors import workflow as selectors
from ..services import following
from ..services import workflow as workflow_services


# Workflow ----------------------------------------------------------------------------------------------
def _for_transition(form, transition, deliverable, user):
    from ..services.outreach import default_stakeholder_types

    return form.for_transition(
        transition,
        unmet=workflow.unmet(deliverable, transition),
        may_waive=policy.can(user, "consultations.waive_requirement", deliverable),
        default_types=default_stakeholder_types(deliverable.workstream)
        if "outreach" in transition.needs
        else (),
    )


def _workflow_context(request, deliverable, *, forms=None, error=None, checkpoint_form=None):
    transitions = workflow.available(deliverable, request.user)
    forms = forms or {}
    buttons = []
    for t in transitions:
        form = forms.get(t.name) or _for_transition(
            TransitionForm(prefix=t.name), t, deliverable, request.user
        )
        buttons.append((t, form))
    page = Paginator(selectors.transition_list(deliverable=deliverable), 20).get_page(request.GET.get("page"))
    approval = deliverable.approvals.order_by("-submitted_at").first()
    reviews = list(selectors.review_list(deliverable=deliverable)[:10])
    for review in reviews:  # the page links each review's comment–response matrix to those who may see it
        review.may_see_matrix = policy.can(request.user, "consultations.view_review", review)
        review.may_manage_outreach = review.kind == review.Kind.PUBLIC_CONSULTATION and policy.can(
            request.user, "consultations.manage_outreach", review
        )
    return {
        "deliverable": deliverable,
        "buttons": buttons,
        "page": page,
        "error": error,
        "reviews": reviews,
        "latest_version": deliverable.versions.order_by("-number").first(),
        "approval": approval,
        "stages": workflow.S.choices,
        "next_stages": workflow.outgoing(deliverable.stage),
        "may_redact": policy.can(request.user, "consultations.redact", deliverable),
        "may_manage_endorsements": policy.can(request.user, "consultations.manage_endorsements", deliverable),
        "endorsement_windows": endorsement_selectors.windows_for_deliverable(deliverable),
        "open_failures": gov_selectors.task_failures_unresolved_count()
        if policy.can(request.user, "consultations.view_task_failures")
        else None,
        "checkpoints": list(deliverable.checkpoints.select_related("workstream")),
        "checkpoint_form": checkpoint_form or CheckpointForm(deliverable=deliverable)
        if policy.can(request.user, "workstreams.ask_checkpoint", deliverable)
        else None,
        "is_following": request.user.is_authenticated
        and Follow.objects.filter(user=request.user, deliverable=deliverable).exists(),
    }


@login_required
@vary_on_headers("HX-Request")
def deliverable_workflow(request, pk: int):
    deliverable = selectors.deliverable_get(pk=pk)
    policy.require(request.user, "consultations.view_workflow", deliverable)
    return render(
        request, "consultations/workflow/deliverable_workflow.html", _workflow_context(request, deliverable)
    )


@require_POST
@login_required
def deliverable_transition(request, pk: int):
    deliverable = selectors.deliverable_get(pk=pk)
    name = request.POST.get("transition", "")
    if not name:
        name = next((k.split("-")[0] for k in request.POST if k.endswith("-transition")), "")
    form = TransitionForm(request.POST, prefix=name)
    transition = workflow.BY_NAME.get(name)
    if transition is not None:
        _for_transition(form, transition, deliverable, request.user)
    error, status = None, 200
    if transition is None:
        error, status = _("Unknown transition."), 400
    elif not form.is_valid():
        error, status = _("Check the fields of “%(label)s”.") % {"label": transition.label}, 400
    else:
        try:
            workflow_services.deliverable_transition(
                actor=request.user,
                deliverable=deliverable,
                name=name,
                reason=form.cleaned_data.get("reason", ""),
                **form.inputs(),
            )
        except workflow.IllegalTransition as exc:
            error, status = exc.message, 409
        except workflow_services.TransitionInputError as exc:
            error, status = str(exc), 400
        else:
            messages.success(
                request,
                _("%(title)s is now at “%(stage)s”.")
                % {"title": deliverable.title, "stage": deliverable.get_stage_display()},
            )
            return redirect("consultations:deliverable-workflow", pk=pk)
    deliverable.refresh_from_db()
    if not policy.can(request.user, "consultations.view_workflow", deliverable):
        raise PermissionDenied
    forms = {name: form} if transition is not None else {}
    return render(
        request,
        "consultations/workflow/deliverable_workflow.html",
        _workflow_context(request, deliverable, forms=forms, error=error),
        status=status,
    )


@require_POST
@login_required
def checkpoint_ask(request, pk: int):
    """Staff ask another workstream to review the deliverable (a cross-workstream checkpoint)."""
    from workstreams.services.tracker import CheckpointError, checkpoint_ask

    deliverable = selectors.deliverable_get(pk=pk)
    policy.require(request.user, "workstreams.ask_checkpoint", deliverable)
    form = CheckpointForm(request.POST, deliverable=deliverable)
    error = None
    if form.is_valid():
        try:
            checkpoint_ask(actor=request.user, deliverable=deliverable, **form.cleaned_data)
        except CheckpointError as exc:
            error = str(exc)
        else:
            messages.success(
                request,
                _("%(ws)s is asked to review this deliverable during member review.")
                % {"ws": form.cleaned_data["workstream"].title},
            )
            return redirect("consultations:deliverable-workflow", pk=pk)
    return render(
        request,
        "consultations/workflow/deliverable_workflow.html",
        _workflow_context(request, deliverable, error=error, checkpoint_form=form),
        status=400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def deliverable_follow(request, pk: int):
    """GET: a page with the follow/unfollow button (linked from the workstream page); POST: do it."""
    deliverable = selectors.deliverable_get(pk=pk)
    if request.method == "GET":
        following_now = Follow.objects.filter(user=request.user, deliverable=deliverable).exists()
        return render(
            request,
            "consultations/mailing/follow.html",
            {"deliverable": deliverable, "is_following": following_now},
        )
    if request.POST.get("unfollow"):
        following.follow_delete(actor=request.user, deliverable=deliverable)
        messages.success(request, _("You no longer follow %(title)s.") % {"title": deliverable.title})
    else:
        following.follow_create(actor=request.user, deliverable=deliverable)
        messages.success(
            request,
            _("You follow %(title)s: you will be told when its consultation opens and when it is decided.")
            % {"title": deliverable.title},
        )
    return redirect(next_url(request, "consultations:library"))


@csrf_exempt  # RFC 8058 one-click unsubscribe POSTs come from mail clients, without our CSRF cookie
@require_http_methods(["GET", "POST"])
def follow_unsubscribe(request, token: str):
    follow = Follow.objects.select_related("deliverable").filter(token=token).first()
    done = False
    if request.method == "POST" and follow is not None:
        following.follow_delete_by_token(token=token)
        done = True
    return render(
        request,
        "consultations/mailing/unsubscribe.html",
        {"found": follow is not None, "done": done, "what": follow.deliverable.title if follow else ""},
        status=200 if follow else 404,
    )


# Task failures -----------------------------------------------------------------------------------------
@login_required
def task_failure_list(request):
    policy.require(request.user, "consultations.view_task_failures")
    show_all = request.GET.get("all") == "1"
    page = Paginator(selectors.task_failure_list(include_resolved=show_all), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request, "consultations/workflow/task_failure_list.html", {"page": page, "show_all": show_all}
    )


@require_POST
@login_required
def task_failure_resolve(request, pk: int):
    policy.require(request.user, "consultations.view_task_failures")
    failure = get_object_or_404(TaskFailure, pk=pk)
    if request.POST.get("retry"):
        from celery import current_app

        current_app.send_task(failure.task_name, args=failure.args, kwargs=failure.kwargs)
        messages.success(request, _("%(task)s queued again.") % {"task": failure.task_name})
    TaskFailure.objects.filter(pk=pk, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=request.user
    )
    return redirect("consultations:task-failure-list")
