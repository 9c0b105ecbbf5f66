"""Pages of webinars: public lists and sign-up, the registrant's own page through their link, and the
staff pages (create, edit, cancel, registrants with attendance, CSV). Thin: parse, call, render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from initiative import policy, ratelimit
from initiative.spreadsheets import export_response

from . import selectors, services
from .forms import CancelWebinarForm, SignupForm, WebinarForm
from .models import Registration, Webinar


def webinar_list(request):
    now = timezone.now()
    upcoming = list(selectors.webinar_list_upcoming(now=now)[:50])
    past = Paginator(selectors.webinar_list_past(now=now), 20).get_page(request.GET.get("page"))
    context = {
        "upcoming": upcoming,
        "page": past,
        "may_manage": policy.can(request.user, "webinars.manage_webinar"),
    }
    return render(request, "webinars/webinar_list.html", context)


def _detail_context(request, webinar, form=None) -> dict:
    return {
        "webinar": webinar,
        "form": form or SignupForm(),
        "remaining": max(0, webinar.capacity - webinar.confirmed_count),
        "registration_open": webinar.registration_open(),
        "is_past": webinar.is_past(),
        "may_manage": policy.can(request.user, "webinars.manage_webinar", webinar),
    }


@vary_on_headers("HX-Request")
def webinar_detail(request, slug: str):
    webinar = selectors.webinar_get(slug=slug)
    return render(request, "webinars/webinar_detail.html", _detail_context(request, webinar))


def _htmx_status(request, status: int) -> int:
    """htmx 2 does not swap 4xx responses by default, so a fragment that explains a refusal goes back as
    200 to htmx; plain form posts keep the real status."""
    return 200 if request.htmx else status


@require_POST
@vary_on_headers("HX-Request")
def webinar_register(request, slug: str):
    """Public sign-up; no account needed. Rate limited per client IP (429 with an explanation)."""
    limit, period = ratelimit.parse_rate(settings.WEBINAR_SIGNUP_RATE)
    allowed, retry_after = ratelimit.hit(
        scope="webinar-signup", who=ratelimit.client_ip(request), limit=limit, period=period
    )
    if not allowed:
        template = "webinars/rate_limited.html" + ("#message" if request.htmx else "")
        response = render(
            request, template, {"retry_minutes": max(1, retry_after // 60)}, status=_htmx_status(request, 429)
        )
        response["Retry-After"] = str(retry_after)
        return response
    webinar = get_object_or_404(Webinar, slug=slug)  # no seat counts: the service decides under its lock
    form = SignupForm(request.POST)
    error = None
    if form.is_valid():
        try:
            result = services.registration_create(
                actor=request.user, webinar_id=webinar.pk, language=request.LANGUAGE_CODE, **form.cleaned_data
            )
        except services.WebinarError as exc:
            error = exc.message
        else:
            context = {"webinar": webinar, "registration": result.registration, "created": result.created}
            template = "webinars/registration_received.html"
            if request.htmx:
                template += "#outcome"
            return render(request, template, context, status=201 if result.created else 200)
    context = _detail_context(request, selectors.webinar_get(slug=slug), form)
    context["error"] = error
    template = "webinars/webinar_detail.html"
    if request.htmx:
        template += "#signup"
    return render(request, template, context, status=_htmx_status(request, 409 if error else 422))


def _registration_or_404(token: str) -> Registration:
    registration = services.registration_get_by_token(token)
    if registration is None:
        raise Http404(_("This link is not valid."))
    return registration


@require_http_methods(["GET", "POST"])
def registration_manage(request, token: str):
    """The registrant's own page (their emailed link): status, waitlist place, join link once confirmed,
    and the confirm button (a POST, so a mail scanner following the link confirms nothing)."""
    registration = _registration_or_404(token)
    if request.method == "POST" and request.POST.get("action") == "confirm":
        registration = services.registration_confirm_email(registration=registration)
        if registration.status == Registration.Status.WAITLISTED:
            # no seat yet: "registration confirmed" would read as one
            messages.success(
                request, _("Thank you: your email address is confirmed. You keep your place on the waitlist.")
            )
        else:
            messages.success(request, _("Thank you: your registration is confirmed."))
        return redirect("webinars:registration-manage", token=token)
    registration.refresh_from_db()
    context = {
        "registration": registration,
        "webinar": registration.webinar,
        "token": token,
        "position": selectors.waitlist_position(registration),
    }
    return render(request, "webinars/registration_manage.html", context)


@require_http_methods(["GET", "POST"])
def registration_cancel(request, token: str):
    registration = _registration_or_404(token)
    if request.method == "POST":
        services.registration_cancel(actor=request.user, registration=registration)
        messages.success(request, _("Your registration is cancelled."))
        return redirect("webinars:registration-manage", token=token)
    return render(
        request,
        "webinars/registration_cancel.html",
        {"registration": registration, "webinar": registration.webinar, "token": token},
    )


# Staff ----------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def webinar_create(request):
    policy.require(request.user, "webinars.manage_webinar")
    form = WebinarForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        webinar = services.webinar_create(actor=request.user, **form.changes())
        messages.success(request, _("Webinar created."))
        return redirect(webinar.get_absolute_url())
    return render(
        request,
        "webinars/webinar_form.html",
        {"form": form, "webinar": None},
        status=422 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def webinar_edit(request, slug: str):
    webinar = get_object_or_404(Webinar, slug=slug)
    policy.require(request.user, "webinars.manage_webinar", webinar)
    form = WebinarForm(request.POST or None, instance=Webinar.objects.get(pk=webinar.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.webinar_update(actor=request.user, webinar=webinar, **form.changes())
        except services.WebinarError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Webinar saved. Registrants are told about any change of time."))
            return redirect(webinar.get_absolute_url())
    return render(
        request,
        "webinars/webinar_form.html",
        {"form": form, "webinar": webinar},
        status=422 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def webinar_cancel(request, slug: str):
    webinar = get_object_or_404(Webinar, slug=slug)
    policy.require(request.user, "webinars.manage_webinar", webinar)
    form = CancelWebinarForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.webinar_cancel(actor=request.user, webinar=webinar, reason=form.cleaned_data["reason"])
        messages.success(request, _("Webinar cancelled. Every registrant is being told."))
        return redirect(webinar.get_absolute_url())
    return render(request, "webinars/webinar_cancel.html", {"form": form, "webinar": webinar})


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def registrant_list(request, slug: str):
    """Staff: registrants with counts by stakeholder type and organization; attendance after the start."""
    webinar = selectors.webinar_get(slug=slug)
    policy.require(request.user, "webinars.view_registrants", webinar)
    if request.method == "POST":
        present = {int(pk) for pk in request.POST.getlist("present") if pk.isdigit()}
        shown = {int(pk) for pk in request.POST.getlist("shown") if pk.isdigit()}
        try:
            n = services.attendance_mark(
                actor=request.user, webinar=webinar, present_ids=present, shown_ids=shown
            )
        except services.WebinarError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Attendance saved: %(n)d present.") % {"n": n})
        return redirect("webinars:registrant-list", slug=slug)
    status = request.GET.get("status", "")
    if status not in Registration.Status.values:
        status = ""
    page = Paginator(selectors.registrant_list(webinar=webinar, status=status), 50).get_page(
        request.GET.get("page")
    )
    context = {
        "webinar": webinar,
        "page": page,
        "status": status,
        "statuses": Registration.Status.choices,
        "summary": selectors.registrant_summary(webinar=webinar),
        "attendance_open": webinar.starts_at <= timezone.now(),
    }
    template = "webinars/registrant_list.html"
    if request.htmx:
        template += "#registrants"
    return render(request, template, context)


@login_required
def registrant_export(request, slug: str, fmt: str):
    """The registrants as CSV or XLSX: the same rows either way."""
    webinar = get_object_or_404(Webinar, slug=slug)
    policy.require(request.user, "webinars.view_registrants", webinar)
    return export_response(
        fmt=fmt,
        filename=f"{webinar.slug}-registrants",
        columns=selectors.REGISTRANT_COLUMNS,
        rows=selectors.registrant_rows(webinar=webinar),
        title="Registrants",
    )
