"""Pages of redaction, publication, the public library and the public mailing list. Thin: parse, call
one service or selector, render."""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from initiative import policy, ratelimit

from ..forms.workflow import RedactionForm, SubscribeForm
from ..models import Follow, Redaction
from ..models.approvals import Decision
from ..selectors import endorsements as endorsement_selectors
from ..selectors import workflow as selectors
from ..services import following
from ..services import publication as publication_services
from ..termlinks import TermLinker


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
            # Glossary links are added here, at render time: the stored copy (and its PDF) stay as published.
            "body_html": TermLinker(id_prefix="glossary-def").link(publication.html),
            "may_see_original": selectors.may_see_unredacted(request.user),
            "superseded_by": selectors.publication_superseded_by(publication),
            # the published product carries the published statements only, whoever reads it
            "endorsements": endorsement_selectors.endorsement_summary(
                endorsement_selectors.window_for_version(publication.version_id)
            ),
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
def _list_signup_refused(request, email: str):
    """A 429 page when this client, or this address, asked for too many confirmation emails lately."""
    address = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    for scope, who, rate in (
        ("list-signup-client", ratelimit.client_ip(request), settings.MAILING_LIST_SIGNUP_RATE),
        ("list-signup-address", address, settings.MAILING_LIST_SIGNUP_RATE_PER_ADDRESS),
    ):
        limit, period = ratelimit.parse_rate(rate)
        allowed, retry_after = ratelimit.hit(scope=scope, who=who, limit=limit, period=period)
        if not allowed:
            response = render(
                request,
                "consultations/mailing/rate_limited.html",
                {"retry_minutes": max(1, retry_after // 60)},
                status=429,
            )
            response["Retry-After"] = str(retry_after)
            return response
    return None


@require_POST
def list_subscribe(request):
    form = SubscribeForm(request.POST)
    if form.is_valid():
        if refused := _list_signup_refused(request, form.cleaned_data["email"]):
            return refused
        following.subscriber_subscribe(email=form.cleaned_data["email"], language=request.LANGUAGE_CODE)
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
