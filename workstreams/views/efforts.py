"""Pages of the related-efforts registry: the public list, and the staff pages that add and edit an
effort (plain forms). Thin: parse, call one service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from initiative import policy

from .. import selectors
from ..forms.efforts import RelatedEffortForm
from ..services import efforts as services


def related_effort_list(request):
    return render(
        request,
        "workstreams/efforts/effort_list.html",
        {
            "efforts": selectors.related_effort_list(),
            "may_manage": policy.can(request.user, "workstreams.manage_related_efforts"),
        },
    )


def _save(request, *, effort=None):
    policy.require(request.user, "workstreams.manage_related_efforts")
    initial = None
    if effort is not None:
        initial = {
            **{k: getattr(effort, k) for k in services.FIELDS},
            "workstreams": list(effort.workstreams.all()),
            "topics": list(effort.topics.all()),
        }
    form = RelatedEffortForm(request.POST or None, initial=initial)
    error = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if effort is None:
                effort = services.related_effort_create(actor=request.user, **data)
            else:
                effort = services.related_effort_update(actor=request.user, effort=effort, **data)
        except services.EffortError as exc:
            error = str(exc)
        else:
            messages.success(request, _("“%(name)s” is saved.") % {"name": effort.name})
            next_ws = effort.workstreams.order_by("track__number", "code").first()
            return redirect(next_ws.get_absolute_url() + "#related-efforts-h")
    return render(
        request,
        "workstreams/efforts/effort_form.html",
        {"form": form, "effort": effort, "error": error},
        status=400 if (form.errors or error) else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def related_effort_create(request):
    return _save(request)


@login_required
@require_http_methods(["GET", "POST"])
def related_effort_edit(request, slug: str):
    return _save(request, effort=selectors.related_effort_get(slug=slug))
