"""Pages of the lifecycle (steps and the running report) and of step 4 (topics and prioritization
rounds). Thin: parse, call one service or selector, render; domain errors become messages."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from initiative import policy
from initiative.redirects import next_url

from . import selectors
from .forms import BallotForm, RoundForm, StepForm, TopicForm
from .models import Topic, Workstream
from .services import lifecycle, prioritization


def workstream_report(request, slug: str):
    """The workstream's running report: its step sections in order (public, printable)."""
    workstream = selectors.workstream_for_report(slug=slug)
    return render(
        request,
        "workstreams/workstream_report.html",
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
        "workstreams/step_edit.html",
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
        "workstreams/topic_manage.html",
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


@login_required
@require_http_methods(["GET", "POST"])
def round_open(request, slug: str):
    workstream = get_object_or_404(Workstream, slug=slug)
    policy.require(request.user, "workstreams.manage_workstream", workstream)
    form = RoundForm(request.POST or None, workstream=workstream)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            rnd = prioritization.round_open(
                actor=request.user,
                workstream=workstream,
                title=d["title"],
                closes_at=d["closes_at"],
                topics=list(d["topics"]),
            )
        except prioritization.RoundError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The round is open until its deadline."))
            return redirect(rnd)
    return render(
        request,
        "workstreams/round_open.html",
        {"workstream": workstream, "form": form},
        status=422 if form.errors else 200,
    )


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def round_detail(request, pk: int):
    """Members rank the topics here (and may change their ballot until the deadline); after the
    deadline everyone allowed sees the result."""
    rnd = selectors.round_get(pk=pk)
    policy.require(request.user, "workstreams.view_round", rnd)
    may_vote = policy.can(request.user, "workstreams.vote_in_round", rnd)
    ballot = selectors.ballot_for(round=rnd, user=request.user) if may_vote else None
    topics = sorted(rnd.topics.all(), key=lambda t: t.pk)
    form = None
    saved = False
    if may_vote and rnd.is_open:
        form = BallotForm(request.POST or None, topics=topics, ballot=ballot)
    if request.method == "POST":
        if form is None:
            messages.error(request, _("This round is closed; ballots are no longer accepted."))
            return redirect(rnd)
        if form.is_valid():
            try:
                ballot = prioritization.ballot_cast(
                    actor=request.user, round=rnd, ranking=form.cleaned_data["ranking"]
                )
            except prioritization.RoundError as exc:
                form.add_error(None, exc.message)
            else:
                saved = True
                if not request.htmx:
                    messages.success(
                        request, _("Your ranking is saved. You may change it until the deadline.")
                    )
                    return redirect(rnd)
                form = BallotForm(topics=topics, ballot=ballot)
                rnd.ballot_count = rnd.ballots.count()  # the header's count, swapped out of band
    topic_titles = {t.pk: t.title for t in topics}
    context = {
        "round": rnd,
        "form": form,
        "ballot": ballot,
        "saved": saved,
        "may_vote": may_vote,
        "my_ranking": [topic_titles.get(t, "?") for t in ballot.ranking] if ballot else [],
        "may_manage": policy.can(request.user, "workstreams.manage_workstream", rnd.workstream),
    }
    template = "workstreams/round_detail.html"
    if request.htmx and request.method == "POST":
        template += "#ballot-panel"
    return render(request, template, context, status=422 if form is not None and form.errors else 200)


@login_required
@require_POST
def round_close(request, pk: int):
    rnd = selectors.round_get(pk=pk)
    if prioritization.round_close(round_id=rnd.pk, actor=request.user, early=True):
        messages.success(request, _("The round is closed and its result computed."))
    else:
        messages.info(request, _("This round was already closed; its result is unchanged."))
    return redirect(rnd)
