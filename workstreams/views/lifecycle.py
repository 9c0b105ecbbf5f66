"""Pages of the lifecycle: steps, the running report, and the topics a workstream works on."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from initiative import policy
from initiative.redirects import next_url

from .. import selectors
from ..forms.lifecycle import StepForm, TopicForm
from ..models import Topic, Workstream
from ..services import lifecycle, prioritization


def workstream_report(request, slug: str):
    """The workstream's running report: its step sections in order (public, printable)."""
    workstream = selectors.workstream_for_report(slug=slug)
    return render(
        request,
        "workstreams/lifecycle/workstream_report.html",
        {
            "workstream": workstream,
            "steps": list(workstream.steps.all()),
            "agenda": selectors.deep_dive_agenda(workstream),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def step_edit(request, slug: str, number: int):
    step = selectors.step_get(slug=slug, number=number)
    policy.require(request.user, "workstreams.manage_workstream", step.workstream)
    form = StepForm(request.POST or None, instance=step)
    if request.method == "POST" and form.is_valid():
        lifecycle.step_update(actor=request.user, step=step, **form.cleaned_data)
        messages.success(request, _("Step %(n)s saved.") % {"n": step.number})
        return redirect("workstreams:workstream-report", slug=slug)
    steps = list(step.workstream.steps.all())
    actions = lifecycle.allowed_actions(steps)[step.number]
    return render(
        request,
        "workstreams/lifecycle/step_edit.html",
        {"step": step, "form": form, "actions": actions},
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def step_transition(request, slug: str, number: int, verb: str):
    step = selectors.step_get(slug=slug, number=number)
    if verb not in lifecycle.TRANSITIONS:
        raise Http404
    policy.require(request.user, "workstreams.manage_workstream", step.workstream)
    date_field = forms.DateField(required=False)
    try:
        on = date_field.clean(request.POST.get("on", ""))
    except forms.ValidationError:
        messages.error(request, _("Enter the actual date as YYYY-MM-DD."))
        return redirect(next_url(request, step.workstream))
    try:
        (lifecycle.step_start if verb == "start" else lifecycle.step_complete)(
            actor=request.user, step=step, on=on
        )
    except lifecycle.StepOrderError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Step %(n)s is now %(state)s.") % {"n": step.number, "state": lifecycle.DONE_LABEL[verb]},
        )
    return redirect(next_url(request, step.workstream))


# Topics and rounds --------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def topic_manage(request, slug: str):
    workstream = get_object_or_404(Workstream, slug=slug)
    policy.require(request.user, "workstreams.manage_workstream", workstream)
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            prioritization.topic_create(actor=request.user, workstream=workstream, **form.cleaned_data)
        except prioritization.RoundError as exc:
            form.add_error("title", exc.message)
        else:
            messages.success(request, _("Topic added."))
            return redirect("workstreams:topic-manage", slug=slug)
    return render(
        request,
        "workstreams/lifecycle/topic_manage.html",
        {
            "workstream": workstream,
            "form": form,
            "topics": Topic.objects.filter(workstream=workstream),
            "rounds": selectors.round_list(workstream=workstream),
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def topic_toggle(request, slug: str, pk: int):
    topic = get_object_or_404(Topic.objects.select_related("workstream"), pk=pk, workstream__slug=slug)
    prioritization.topic_set_active(actor=request.user, topic=topic, active=not topic.is_active)
    return redirect("workstreams:topic-manage", slug=slug)
