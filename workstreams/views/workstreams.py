"""Pages of tracks, workstreams and invitations. Thin: parse, call a service or selector,
render. htmx requests get the named partial of the same template."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from initiative import policy

from .. import selectors
from ..forms.workstreams import AcceptInvitationForm, InvitationForm
from ..models import Invitation, Workstream
from ..selectors import dialogue as dialogue_selectors
from ..services import lifecycle
from ..services import workstreams as services


def track_detail(request, slug: str):
    track = selectors.track_get(slug=slug)
    # the Track 3 dialogue's agenda: its issue areas in the order its latest closed round ranked them
    agenda = dialogue_selectors.track3_agenda() if track.number == 3 else None
    return render(
        request,
        "workstreams/workstreams/track_detail.html",
        {
            "track": track,
            "agenda": agenda,
            "is_dialogue": track.number == 3,
            "may_view_round": agenda is not None
            and policy.can(request.user, "workstreams.view_round", agenda["round"]),
        },
    )


def workstream_detail(request, slug: str):
    workstream = selectors.workstream_get(slug=slug)
    may_manage = policy.can(request.user, "workstreams.manage_workstream", workstream)
    if may_manage:
        allowed = lifecycle.allowed_actions(list(workstream.steps.all()))
        for step in workstream.steps.all():
            step.allowed = allowed[step.number]
    context = {
        "workstream": workstream,
        "participation": selectors.workstream_participation(workstream),
        "may_manage": may_manage,
        "steps_complete": sum(1 for s in workstream.steps.all() if s.status == "complete"),
        "members": policy.can(request.user, "workstreams.view_members_area", workstream),
        "may_propose": policy.can(request.user, "workstreams.propose_topic", workstream),
        "work": selectors.workstream_work(workstream),
        "related_efforts": list(selectors.related_effort_list(workstream=workstream)),
        "may_manage_efforts": policy.can(request.user, "workstreams.manage_related_efforts"),
    }
    return render(request, "workstreams/workstreams/workstream_detail.html", context)


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def invitation_manage(request, slug: str):
    """Staff invite participants to a workstream and see the invitations sent."""
    workstream = get_object_or_404(Workstream, slug=slug)
    policy.require(request.user, "workstreams.view_invitations", workstream)
    form = InvitationForm(request.POST if request.method == "POST" else None)
    sent_to = None
    if request.method == "POST" and form.is_valid():
        services.invitation_create(actor=request.user, workstream=workstream, **form.cleaned_data)
        sent_to = form.cleaned_data["email"]
        if not request.htmx:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": sent_to})
            return redirect("workstreams:invitation-manage", slug=slug)
        form = InvitationForm()
    page = Paginator(selectors.invitation_list(workstream=workstream), 25).get_page(request.GET.get("page"))
    template = "workstreams/workstreams/invitation_manage.html"
    if request.htmx:
        template += "#invite-panel"
    context = {"workstream": workstream, "form": form, "page": page, "sent_to": sent_to}
    return render(request, template, context, status=422 if form.errors else 200)


@require_POST
@login_required
def invitation_revoke(request, slug: str, pk: int):
    invitation = get_object_or_404(Invitation, pk=pk, workstream__slug=slug)
    services.invitation_revoke(actor=request.user, invitation=invitation)
    messages.success(request, _("Invitation to %(email)s withdrawn.") % {"email": invitation.email})
    return redirect("workstreams:invitation-manage", slug=slug)


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token: str):
    """The page an invitation email links to. Anyone may see it; only the invited, logged-in person
    with a confirmed email may accept, and only with the explicit commitment."""
    invitation = services.invitation_get_by_token(token)
    if invitation is None:
        return render(request, "workstreams/workstreams/invitation_invalid.html", status=404)
    problem = None
    if request.user.is_authenticated:
        try:
            services.invitation_check(invitation=invitation, user=request.user)
        except services.InvitationError as exc:
            problem = exc
    form = AcceptInvitationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and request.user.is_authenticated and problem is None and form.is_valid():
        try:
            enrollment = services.invitation_accept(
                token=token, user=request.user, committed=form.cleaned_data["commit"]
            )
        except services.InvitationError as exc:
            problem = exc
        else:
            messages.success(request, _("Welcome to %(ws)s.") % {"ws": enrollment.workstream.title})
            return redirect(enrollment.workstream.get_absolute_url())
    status = 410 if problem and problem.code in {"expired", "used", "revoked"} else 200
    context = {
        "invitation": invitation,
        "form": form,
        "problem": problem,
        "commitment": services.COMMITMENT_TEXT,
    }
    return render(request, "workstreams/workstreams/invitation_accept.html", context, status=status)
