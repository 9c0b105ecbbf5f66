"""Pages of the review workflow, steering-committee approval, publication, the public library and the
decisions page. Thin: parse, call one service or selector, render; domain errors become messages and
4xx statuses (409 for an illegal transition, 400 for bad input)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
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

from . import workflow
from . import workflow_selectors as selectors
from .forms_workflow import RedactionForm, SubscribeForm, TransitionForm, VoteForm
from .models import Follow, Redaction
from .models.approvals import Decision
from .services import approvals as approval_services
from .services import following
from .services import publication as publication_services
from .services import workflow as workflow_services


# Workflow ----------------------------------------------------------------------------------------------
def _workflow_context(request, deliverable, *, forms=None, error=None):
    transitions = workflow.available(deliverable, request.user)
    forms = forms or {}
    buttons = [(t, forms.get(t.name) or TransitionForm(prefix=t.name).for_transition(t)) for t in transitions]
    page = Paginator(selectors.transition_list(deliverable=deliverable), 20).get_page(request.GET.get("page"))
    approval = deliverable.approvals.order_by("-submitted_at").first()
    return {
        "deliverable": deliverable,
        "buttons": buttons,
        "page": page,
        "error": error,
        "reviews": selectors.review_list(deliverable=deliverable)[:10],
        "latest_version": deliverable.versions.order_by("-number").first(),
        "approval": approval,
        "stages": workflow.S.choices,
        "next_stages": workflow.outgoing(deliverable.stage),
        "may_redact": policy.can(request.user, "consultations.redact", deliverable),
        "open_failures": gov_selectors.task_failures_unresolved_count()
        if policy.can(request.user, "consultations.view_task_failures")
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
        form.for_transition(transition)
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
        },
    )


# Redaction and publication ----------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def redaction_manage(request, pk: int):
    deliverable = selectors.deliverable_get(pk=pk)
    policy.require(request.user, "consultations.redact", deliverable)
    approval = (
        deliverable.approvals.filter(decision=Decision.APPROVED)
        .select_related("version")
        .order_by("-decided_at")
        .first()
    )
    if approval is None:
        messages.error(request, _("There is no approved version to redact."))
        return redirect("consultations:deliverable-workflow", pk=pk)
    version = approval.version
    paragraphs = list(version.paragraphs.all())
    form = RedactionForm(request.POST or None, paragraphs=paragraphs)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            publication_services.redaction_create(actor=request.user, version=version, **form.cleaned_data)
        except publication_services.RedactionError as exc:
            form.add_error(None, str(exc))
            status = 400
        else:
            messages.success(request, _("Redaction marked."))
            return redirect("consultations:redaction-manage", pk=pk)
    elif request.method == "POST":
        status = 400
    redactions = list(version.redactions.select_related("created_by"))
    by_key = {}
    for r in redactions:
        by_key.setdefault(r.paragraph_key, []).append(r)
    rows = [
        (
            p,
            by_key.get(p.key, []),
            publication_services.redaction.apply(
                p.text,
                [
                    publication_services.redaction.Span(r.start, r.end, r.notice)
                    for r in by_key.get(p.key, [])
                ],
                escape=False,
            ),
        )
        for p in paragraphs
    ]
    published = hasattr(version, "publication")
    return render(
        request,
        "consultations/publication/redaction_manage.html",
        {
            "deliverable": deliverable,
            "version": version,
            "form": form,
            "rows": rows,
            "redactions": redactions,
            "published": published,
        },
        status=status,
    )


@require_POST
@login_required
def redaction_delete(request, pk: int):
    row = get_object_or_404(Redaction.objects.select_related("version__deliverable"), pk=pk)
    try:
        publication_services.redaction_delete(actor=request.user, redaction_obj=row)
    except publication_services.RedactionError as exc:
        messages.error(request, str(exc))
    return redirect("consultations:redaction-manage", pk=row.version.deliverable_id)


@vary_on_headers("HX-Request")
def library(request):
    filterset = selectors.PublicationFilter(request.GET or None, queryset=selectors.publication_list())
    qs = filterset.qs if filterset.is_bound and filterset.is_valid() else selectors.publication_list()
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    template = "consultations/publication/library.html"
    if request.htmx:
        template += "#results"
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        template,
        {"filter": filterset, "page": page, "query": query.urlencode(), "subscribe_form": SubscribeForm()},
    )


def publication_detail(request, pk: int):
    publication = selectors.publication_get(pk=pk)
    return render(
        request,
        "consultations/publication/publication_detail.html",
        {
            "publication": publication,
            "may_see_original": selectors.may_see_unredacted(request.user),
            "superseded_by": selectors.publication_superseded_by(publication),
            "is_following": request.user.is_authenticated
            and Follow.objects.filter(user=request.user, deliverable=publication.deliverable).exists(),
        },
    )


def publication_pdf(request, pk: int):
    publication = selectors.publication_get(pk=pk, with_pdf=True)
    response = HttpResponse(bytes(publication.pdf), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="{publication.deliverable.slug}-v{publication.version.number}.pdf"'
    )
    return response


@login_required
def publication_original(request, pk: int):
    """The approved version as written, with the redacted spans marked: staff and committee only."""
    publication = selectors.publication_get(pk=pk)
    policy.require(request.user, "consultations.view_unredacted", publication)
    version = publication.version
    spans = {}
    for r in version.redactions.all():
        spans.setdefault(r.paragraph_key, []).append(r)
    rows = [
        (p, [(r.get_reason_display(), p.text[r.start : r.end]) for r in spans.get(p.key, [])])
        for p in version.paragraphs.all()
    ]
    return render(
        request,
        "consultations/publication/publication_original.html",
        {"publication": publication, "version": version, "rows": rows},
    )


# Public mailing list ----------------------------------------------------------------------------------
@require_POST
def list_subscribe(request):
    form = SubscribeForm(request.POST)
    if form.is_valid():
        following.subscriber_subscribe(email=form.cleaned_data["email"])
        messages.success(request, _("Check your inbox: we sent a link to confirm the subscription."))
    else:
        messages.error(request, _("Enter a valid email address."))
    return redirect("consultations:library")


def list_confirm(request, token: str):
    subscriber = following.subscriber_confirm(token=token) if request.method == "POST" else None
    found = subscriber is not None or following.Subscriber.objects.filter(token=token).exists()
    return render(
        request,
        "consultations/mailing/confirm.html",
        {"found": found, "done": subscriber is not None},
        status=200 if found else 404,
    )


@csrf_exempt  # RFC 8058 one-click unsubscribe
@require_http_methods(["GET", "POST"])
def list_unsubscribe(request, token: str):
    found = following.Subscriber.objects.filter(token=token).exists()
    done = request.method == "POST" and following.subscriber_unsubscribe(token=token) is not None
    return render(
        request,
        "consultations/mailing/unsubscribe.html",
        {"found": found, "done": done, "what": _("public consultation notices")},
        status=200 if found else 404,
    )
