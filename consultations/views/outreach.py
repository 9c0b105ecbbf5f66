"""The outreach page of a public consultation (staff): invited against responded by stakeholder type and
organization, gaps flagged, and the form inviting more. Thin: parse, call one service or selector."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from initiative import policy

from ..forms.outreach import OutreachForm
from ..models import Review
from ..selectors.outreach import outreach_report
from ..services import outreach as services


@login_required
@require_http_methods(["GET", "POST"])
def outreach_detail(request, pk: int):
    review = get_object_or_404(
        Review.objects.select_related("version__deliverable__workstream"),
        pk=pk,
        kind=Review.Kind.PUBLIC_CONSULTATION,
    )
    policy.require(request.user, "consultations.manage_outreach", review)
    deliverable = review.version.deliverable
    form = OutreachForm(
        request.POST or None,
        initial={"invite_types": services.default_stakeholder_types(deliverable.workstream)},
    )
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            new = services.outreach_invite(
                actor=request.user,
                review=review,
                stakeholder_types=form.cleaned_data["invite_types"],
                organizations=form.cleaned_data["invite_organizations"],
            )
        except services.OutreachError as exc:
            error = str(exc)
        else:
            messages.success(
                request,
                ngettext("%(n)d organization invited.", "%(n)d organizations invited.", len(new))
                % {"n": len(new)}
                if new
                else _("Everyone chosen had been invited already: no one was emailed twice."),
            )
            return redirect("consultations:outreach", pk=review.pk)
    status = 400 if (form.errors or error) else 200
    return render(
        request,
        "consultations/outreach/outreach_detail.html",
        {
            "review": review,
            "deliverable": deliverable,
            "version": review.version,
            "report": outreach_report(review),
            "form": form,
            "error": error,
            "is_open": review.is_open() or review.status() == "upcoming",
        },
        status=status,
    )
