"""Pages of the steering-committee approval (vote, close) and the decisions. Thin: parse, call one
service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from initiative import policy

from ..forms.workflow import VoteForm
from ..models import Position
from ..models.approvals import Decision
from ..selectors import endorsements as endorsement_selectors
from ..selectors import workflow as selectors
from ..services import approvals as approval_services


# Approval ----------------------------------------------------------------------------------------------
def _approval_context(request, approval, *, form=None, error=None):
    my_vote = next((v for v in approval.votes.all() if v.member_id == request.user.pk), None)
    may_vote = (
        policy.can(request.user, "consultations.vote_approval", approval)
        and approval.accepts_votes()
        and approval_services.sat_when_opened(approval, request.user)
    )
    if form is None and may_vote:
        form = VoteForm(initial={"choice": my_vote.choice, "reason": my_vote.reason} if my_vote else None)
    previous = selectors.previous_version(approval.version)
    reviews = selectors.approval_context_reviews(approval)
    return {
        "approval": approval,
        "version": approval.version,
        "previous": previous,
        "my_vote": my_vote,
        "may_vote": may_vote,
        "form": form,
        "error": error,
        "may_close": policy.can(request.user, "consultations.close_approval", approval) and approval.is_open,
        "tally": approval_services.approval_tally(approval) if approval.is_open else None,
        "rule": approval_services.rule_text(approval),
        "review": reviews["consultation"] or reviews["member_review"],
        "has_diff": selectors.template_exists("consultations/components/version_diff.html"),
        "has_summary": selectors.template_exists("consultations/components/review_summary.html"),
        "has_matrix": selectors.template_exists("consultations/components/matrix.html"),
        "redactions": approval.version.redactions.all(),
        "endorsements": endorsement_selectors.endorsement_summary(
            endorsement_selectors.window_for_version(approval.version_id), full=True
        ),
    }


@login_required
def approval_detail(request, pk: int):
    approval = selectors.approval_get(pk=pk)
    policy.require(request.user, "consultations.view_approval", approval)
    return render(
        request, "consultations/approvals/approval_detail.html", _approval_context(request, approval)
    )


@require_POST
@login_required
def approval_vote(request, pk: int):
    approval = selectors.approval_get(pk=pk)
    form = VoteForm(request.POST)
    error, status = None, 400
    if form.is_valid():
        try:
            approval_services.approval_vote_cast(actor=request.user, approval=approval, **form.cleaned_data)
        except approval_services.VoteError as exc:
            error, status = str(exc), 409
        else:
            messages.success(request, _("Your vote is recorded. You can change it until the vote closes."))
            return redirect("consultations:approval-detail", pk=pk)
    approval = selectors.approval_get(pk=pk)
    return render(
        request,
        "consultations/approvals/approval_detail.html",
        _approval_context(request, approval, form=form, error=error),
        status=status,
    )


@require_POST
@login_required
def approval_close(request, pk: int):
    approval = selectors.approval_get(pk=pk)
    try:
        approval = approval_services.approval_close(actor=request.user, approval=approval)
    except approval_services.VoteError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("The vote is closed: %(decision)s.") % {"decision": approval.get_decision_display()}
        )
    return redirect("consultations:approval-detail", pk=pk)


def decision_list(request):
    page = Paginator(selectors.decision_list(), 25).get_page(request.GET.get("page"))
    totals = endorsement_selectors.totals_by_version(a.version_id for a in page)
    for a in page:
        counts = totals.get(a.version_id)
        a.endorsement_counts = (
            [(label, counts.get(value, 0)) for value, label in Position.choices] if counts else None
        )
    open_votes = (
        list(selectors.open_approval_list())
        if policy.can(request.user, "consultations.view_approval")
        else None
    )
    return render(
        request, "consultations/approvals/decision_list.html", {"page": page, "open_votes": open_votes}
    )


def decision_detail(request, pk: int):
    approval = selectors.approval_get(pk=pk)
    if approval.decided_at is None:
        raise Http404
    return render(
        request,
        "consultations/approvals/decision_detail.html",
        {
            "approval": approval,
            "rule": approval_services.rule_text(approval),
            "show_votes": policy.can(request.user, "consultations.view_approval", approval),
            "publication": approval.publications.filter(rendered_at__isnull=False)
            .defer("pdf", "html", "body")
            .first(),
            "approved": approval.decision == Decision.APPROVED,
            "endorsements": endorsement_selectors.endorsement_summary(
                endorsement_selectors.window_for_version(approval.version_id),
                full=policy.can(request.user, "consultations.view_approval", approval),
            ),
        },
    )
