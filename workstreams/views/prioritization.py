"""Pages of step 4's prioritization rounds: open one, rank on it, close it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from initiative import policy

from .. import selectors
from ..forms.prioritization import BallotForm, RoundForm, TopicProposalForm
from ..models import Workstream
from ..rules import active_member_workstream_ids
from ..services import prioritization


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
                electorate=d["electorate"],
                regulator_weight=d["regulator_weight"] or 1,
            )
        except prioritization.RoundError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The round is open until its deadline."))
            return redirect(rnd)
    return render(
        request,
        "workstreams/prioritization/round_open.html",
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
        # a member the electorate leaves out (a regulators-only round) is told why, not just refused
        "outside_electorate": not may_vote
        and rnd.workstream_id in active_member_workstream_ids(request.user)
        and rnd.weight_of(request.user.effective_stakeholder_type) == 0,
    }
    template = "workstreams/prioritization/round_detail.html"
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


@login_required
@require_http_methods(["GET", "POST"])
def topic_propose(request, slug: str):
    """Participants and staff propose candidate topics for the workstream's next round (for Track 3:
    candidate issue areas or topics within one)."""
    workstream = get_object_or_404(Workstream.objects.select_related("track"), slug=slug)
    policy.require(request.user, "workstreams.propose_topic", workstream)
    with_areas = workstream.track.number == 3
    form = TopicProposalForm(request.POST or None, with_areas=with_areas)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            prioritization.topic_propose(
                actor=request.user,
                workstream=workstream,
                title=d["title"],
                description=d["description"],
                issue_area=d.get("issue_area"),
            )
        except prioritization.RoundError as exc:
            form.add_error("title", exc.message)
        else:
            messages.success(request, _("Thank you: your topic is a candidate for the next round."))
            return redirect("workstreams:topic-propose", slug=workstream.slug)
    topics = workstream.topics.filter(is_active=True).select_related("issue_area").order_by("id")
    return render(
        request,
        "workstreams/prioritization/topic_propose.html",
        {"workstream": workstream, "form": form, "topics": topics},
        status=422 if form.errors else 200,
    )
