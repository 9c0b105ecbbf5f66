"""Pages of endorsements: staff open and close a window on a version; representatives record their
organization's position (plain POST, or htmx swapping the position panel). Thin: parse, call one
service or selector, render; domain errors become messages and 4xx statuses."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from initiative import policy

from ..forms.endorsements import PositionForm, WindowOpenForm
from ..models import Endorsement
from ..selectors import endorsements as selectors
from ..selectors import workflow as workflow_selectors
from ..services import endorsements as services


@login_required
@require_http_methods(["GET", "POST"])
def endorsement_manage(request, pk: int):
    """Staff: a deliverable's endorsement windows, and the form opening one on a chosen version."""
    deliverable = workflow_selectors.deliverable_get(pk=pk)
    policy.require(request.user, "consultations.manage_endorsements", deliverable)
    form = WindowOpenForm(request.POST or None, versions=deliverable.versions.all())
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            window = services.endorsement_window_open(
                actor=request.user,
                version=form.cleaned_data["version"],
                opens_at=form.cleaned_data["opens_at"],
                closes_at=form.cleaned_data["closes_at"],
            )
        except services.EndorsementError as exc:
            error = str(exc)
        else:
            messages.success(request, _("The endorsement window is open."))
            return redirect("consultations:endorsement-window", pk=window.pk)
    status = 400 if (form.errors or error) else 200
    context = {
        "deliverable": deliverable,
        "form": form,
        "error": error,
        "windows": selectors.windows_for_deliverable(deliverable),
    }
    return render(request, "consultations/endorsements/endorsement_manage.html", context, status=status)


def _window_context(request, window, *, form=None, error=None, saved=None):
    user = request.user
    full = policy.can(user, "consultations.view_approval") or policy.can(
        user, "consultations.manage_endorsements", window.deliverable
    )
    organizations = selectors.represented_organizations(user, window)
    now = timezone.now()
    mine = {
        e.organization_id: e
        for e in Endorsement.objects.filter(window=window, organization__in=organizations)
    }
    if form is None and organizations and window.is_open(now):
        first = next(iter(organizations))
        current = mine.get(first.pk)
        initial = {"organization": first.pk}
        if current:
            initial.update(
                position=current.position,
                statement=current.statement,
                withhold_statement=current.withhold_statement,
            )
        form = PositionForm(initial=initial, organizations=organizations)
    return {
        "window": window,
        "deliverable": window.deliverable,
        "version": window.version,
        "status": window.status(now),
        "summary": selectors.endorsement_summary(window, full=full),
        "organizations": organizations,
        "mine": list(mine.values()),
        "form": form,
        "error": error,
        "saved": saved,
        "may_manage": policy.can(user, "consultations.manage_endorsements", window.deliverable),
    }


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def endorsement_window(request, pk: int):
    """The window: version, dates, tally and statements; the representative's position form."""
    window = selectors.window_get(pk=pk)
    policy.require(request.user, "consultations.view_endorsements", window.deliverable.workstream)
    template = "consultations/endorsements/window_detail.html"
    if request.method == "GET":
        return render(request, template, _window_context(request, window))
    organizations = selectors.represented_organizations(request.user, window)
    if not organizations:
        raise PermissionDenied
    form = PositionForm(request.POST, organizations=organizations)
    error, saved, status = None, None, 200
    if form.is_valid():
        try:
            saved = services.endorsement_record(
                actor=request.user,
                window=window,
                organization=form.cleaned_data["organization"],
                position=form.cleaned_data["position"],
                statement=form.cleaned_data["statement"],
                withhold_statement=form.cleaned_data["withhold_statement"],
            )
        except services.EndorsementError as exc:
            error = str(exc)
            status = 409 if exc.code == "closed" else 400
        else:
            if not request.htmx:
                messages.success(request, _("Your organization's position is recorded."))
                return redirect("consultations:endorsement-window", pk=pk)
    else:
        status = 400
    context = _window_context(request, window, form=form, error=error, saved=saved)
    if request.htmx:
        # htmx 2 does not swap 4xx answers: refusals come back as 200 fragments with the message
        return render(request, template + "#position-panel", context)
    return render(request, template, context, status=status)


@require_POST
@login_required
def endorsement_window_close(request, pk: int):
    window = selectors.window_get(pk=pk)
    if services.endorsement_window_close(actor=request.user, window=window):
        messages.success(request, _("The endorsement window is closed."))
    else:
        messages.info(request, _("The endorsement window had already closed."))
    return redirect("consultations:endorsement-window", pk=pk)
