"""Pages of the interfaces between actors: an overview of every pair with the common features across the
adopted models (the candidates for standardization), a page per pair, the CSV export, and the exchange
form for Workstream A members and staff. Reading is public."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from initiative import policy
from initiative.spreadsheets import Column, csv_response

from ..forms.interfaces import ExchangeForm
from ..models import Actor, DataExchange, GridFunction, OperatingModel
from ..selectors import interfaces as selectors
from ..services import interfaces as services


def overview(request):
    data = selectors.overview()
    return render(
        request,
        "workstreams/interfaces/overview.html",
        {**data, "may_edit": policy.can(request.user, "workstreams.edit_interfaces")},
    )


def pair(request, a: str, b: str):
    data = selectors.pair_get(a=a, b=b)
    return render(
        request,
        "workstreams/interfaces/pair.html",
        {**data, "may_edit": policy.can(request.user, "workstreams.edit_interfaces")},
    )


COLUMNS = [
    Column("Sent by", 24),
    Column("Received by", 24),
    Column("Data item", 40),
    Column("Direction", 12),
    Column("Timing", 18),
    Column("Latency", 24),
    Column("Purpose", 50),
    Column("Functions", 40),
    Column("Operating models", 40),
    Column("Common to all adopted models", 12),
    Column("Track 2 topics", 40),
    Column("Source", 30),
]


def export(request):
    """Every exchange as CSV, through the shared writer (formula-injection guarded)."""
    rows = (
        [
            e.sender.name,
            e.receiver.name,
            e.data_item,
            e.get_direction_display(),
            e.get_timing_display(),
            e.latency,
            e.purpose,
            "; ".join(f.name for f in e.functions.all()),
            "; ".join(m.name for m in e.applies_to.all()),
            e.common,
            "; ".join(f"{t.workstream.code}: {t.title}" for t in e.topics.all()),
            e.source,
        ]
        for e in selectors.exchange_list()
    )
    return csv_response(filename="actor-interfaces", columns=COLUMNS, rows=rows)


def _form(request, *, exchange=None, initial=None):
    return ExchangeForm(
        request.POST or None,
        actors=list(Actor.objects.all()),
        functions=list(GridFunction.objects.order_by("order")),
        models=list(OperatingModel.objects.open()),
        topics=selectors.track2_topics(),
        initial=ExchangeForm.initial_for(exchange) if exchange else initial,
    )


def _form_page(request, *, exchange=None):
    initial = None
    if exchange is None:
        initial = {k: request.GET[k] for k in ("sender", "receiver") if k in request.GET}
    form = _form(request, exchange=exchange, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = services.ExchangeData(**form.values())
        try:
            if exchange is None:
                saved = services.exchange_create(actor=request.user, data=data)
            else:
                saved = services.exchange_update(
                    actor=request.user,
                    exchange=exchange,
                    data=data,
                    seen_revision=form.cleaned_data.get("seen_revision"),
                )
        except services.InterfaceError as exc:
            form.add_error(exc.code if exc.code in form.fields else None, exc.message)
        else:
            messages.success(request, _("Saved “%(item)s”.") % {"item": saved.data_item})
            return redirect(saved.get_absolute_url())
    return render(
        request,
        "workstreams/interfaces/exchange_form.html",
        {"form": form, "exchange": exchange},
        status=422 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def exchange_create(request):
    policy.require(request.user, "workstreams.edit_interfaces")
    return _form_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def exchange_edit(request, pk: int):
    exchange = get_object_or_404(DataExchange.objects.select_related("sender", "receiver"), pk=pk)
    policy.require(request.user, "workstreams.edit_interfaces", exchange)
    return _form_page(request, exchange=exchange)


@login_required
@require_POST
def exchange_delete(request, pk: int):
    exchange = get_object_or_404(DataExchange.objects.select_related("sender", "receiver"), pk=pk)
    back = exchange.get_absolute_url().split("#")[0]
    services.exchange_delete(actor=request.user, exchange=exchange)
    messages.success(request, _("Removed “%(item)s”.") % {"item": exchange.data_item})
    return redirect(back)
