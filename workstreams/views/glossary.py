"""The glossary: the list with search and downloads, a term's page with its wordings, comments and (for
staff) its transitions, and the page to propose a term. Thin: parse, call one service or selector."""

import csv
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from initiative import policy
from initiative.spreadsheets import safe_row

from .. import selectors
from ..forms.glossary import DefinitionForm, GlossaryCommentForm, TermProposeForm, TermTransitionForm
from ..models import GlossaryDefinition, GlossaryTerm, TermStatus
from ..selectors import glossary as glossary_selectors
from ..services import glossary as services


@vary_on_headers("HX-Request")
def glossary(request):
    q = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("status", "")
    status = status if status in TermStatus.values else ""
    page = Paginator(selectors.glossary_search(q, status), 50).get_page(request.GET.get("page"))
    template = "workstreams/glossary/glossary_list.html"
    if request.htmx:
        template += "#results"
    return render(
        request,
        template,
        {
            "page": page,
            "q": q,
            "status": status,
            "statuses": TermStatus.choices,
            "may_propose": policy.can(request.user, "workstreams.propose_term"),
        },
    )


def glossary_download(request, fmt: str):
    """The agreed glossary as CSV (cells made safe for spreadsheets) or JSON."""
    rows = glossary_selectors.glossary_export_rows(base_url=request.build_absolute_uri("/")[:-1])
    if fmt == "json":
        response = HttpResponse(
            json.dumps({"terms": rows}, ensure_ascii=False, indent=1), content_type="application/json"
        )
        response["Content-Disposition"] = 'attachment; filename="glossary.json"'
        return response
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="glossary.csv"'
    writer = csv.writer(response)
    writer.writerow(glossary_selectors.EXPORT_FIELDS)
    for row in rows:
        writer.writerow(safe_row(row[name] for name in glossary_selectors.EXPORT_FIELDS))
    return response


def term_detail(request, slug: str):
    term = glossary_selectors.term_get(slug=slug)
    user = request.user
    may_manage = policy.can(user, "workstreams.manage_glossary", term)
    wordings = list(term.definitions.all())
    return render(
        request,
        "workstreams/glossary/term_detail.html",
        {
            "term": term,
            "wordings": wordings,
            "latest": wordings[-1] if wordings else None,
            "may_manage": may_manage,
            "verbs": [(v, services.VERB_LABELS[v]) for v in services.verbs_for(term)] if may_manage else [],
            "may_reword": policy.can(user, "workstreams.revise_definition", term)
            and term.status != TermStatus.RETIRED,
            "may_comment": policy.can(user, "workstreams.comment_on_term", term)
            and term.status != TermStatus.RETIRED,
            "definition_form": DefinitionForm(),
            "transition_form": TermTransitionForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def term_propose(request):
    policy.require(request.user, "workstreams.propose_term")
    form = TermProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            term = services.term_propose(actor=request.user, **form.cleaned_data)
        except services.GlossaryError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Proposed: “%(term)s”.") % {"term": term.term})
            return redirect(term)
    status = 422 if form.errors else 200
    return render(request, "workstreams/glossary/term_propose.html", {"form": form}, status=status)


def _term_for_post(slug):
    return get_object_or_404(GlossaryTerm, slug=slug)


@login_required
@require_POST
def definition_propose(request, slug: str):
    term = _term_for_post(slug)
    policy.require(request.user, "workstreams.revise_definition", term)
    form = DefinitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the new wording."))
        return redirect(term)
    try:
        wording = services.definition_propose(actor=request.user, term=term, **form.cleaned_data)
    except services.GlossaryError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Wording %(n)s added.") % {"n": wording.number})
    return redirect(term)


@login_required
@require_POST
def term_comment(request, slug: str):
    term = _term_for_post(slug)
    policy.require(request.user, "workstreams.comment_on_term", term)
    form = GlossaryCommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write your comment."))
        return redirect(term)
    wording = get_object_or_404(GlossaryDefinition, term=term, pk=form.cleaned_data["definition"])
    try:
        services.glossary_comment_create(
            actor=request.user, term=term, definition=wording, body=form.cleaned_data["body"]
        )
    except services.GlossaryError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Comment posted."))
    return redirect(f"{term.get_absolute_url()}#wording-{wording.number}")


@login_required
@require_POST
def term_transition(request, slug: str, verb: str):
    term = _term_for_post(slug)
    policy.require(request.user, "workstreams.manage_glossary", term)
    form = TermTransitionForm(request.POST)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    wording = None
    if data.get("definition"):
        wording = get_object_or_404(GlossaryDefinition, term=term, pk=data["definition"])
    try:
        services.term_transition(
            actor=request.user, term=term, verb=verb, definition=wording, reason=data.get("reason", "")
        )
    except services.GlossaryError as exc:
        messages.error(request, exc.message)
        return redirect(term)
    messages.success(
        request,
        _("“%(term)s” is now %(status)s.") % {"term": term.term, "status": term.get_status_display().lower()},
    )
    return redirect(term)
