"""Staff pages: the deliverable tracker (filters, CSV, timeline), a workstream's representation, the
staff and participant dashboards, and the digest's unsubscribe page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from initiative import policy
from initiative import selectors as gov_selectors
from initiative.spreadsheets import export_response
from workstreams.services import workstreams as invitation_services

from .. import selectors
from ..filters import DeliverableFilter
from ..forms.tracker import DeliverableForm
from ..forms.workstreams import InvitationForm
from ..models import Deliverable, Enrollment, EnrollmentRole, Workstream
from ..services import tracker


@login_required
@vary_on_headers("HX-Request")
def tracker_list(request):
    """Every deliverable across workstreams, filtered; `?format=csv` or `xlsx` exports the filtered rows."""
    policy.require(request.user, "workstreams.view_tracker")
    filterset = DeliverableFilter(request.GET or None, queryset=selectors.deliverable_tracker())
    qs = filterset.qs if filterset.is_bound and filterset.is_valid() else selectors.deliverable_tracker()
    today = timezone.localdate()
    fmt = request.GET.get("format")
    if fmt in {"csv", "xlsx"}:
        return export_response(
            fmt=fmt,
            filename="deliverables",
            columns=selectors.TRACKER_COLUMNS,
            rows=selectors.tracker_rows(qs.iterator(chunk_size=500), today=today),
            title="Deliverables",
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    selectors.with_lateness(page.object_list, today)
    query = request.GET.copy()
    query.pop("page", None)
    template = "workstreams/tracker/tracker_list.html"
    if request.htmx:
        template += "#results"
    return render(
        request, template, {"filter": filterset, "page": page, "query": query.urlencode(), "today": today}
    )


@login_required
def tracker_timeline(request):
    policy.require(request.user, "workstreams.view_tracker")
    return render(
        request, "workstreams/tracker/tracker_timeline.html", {"timeline": selectors.tracker_timeline()}
    )


@login_required
@require_http_methods(["GET", "POST"])
def deliverable_edit(request, pk: int):
    deliverable = get_object_or_404(Deliverable.objects.select_related("workstream", "owner"), pk=pk)
    policy.require(request.user, "workstreams.manage_deliverables", deliverable.workstream)
    form = DeliverableForm(
        request.POST or None, initial={"owner": deliverable.owner_id, "due_date": deliverable.due_date}
    )
    if request.method == "POST" and form.is_valid():
        tracker.deliverable_update(actor=request.user, deliverable=deliverable, **form.cleaned_data)
        messages.success(request, _("Deliverable saved."))
        return redirect("workstreams:tracker")
    return render(
        request,
        "workstreams/tracker/deliverable_edit.html",
        {"deliverable": deliverable, "form": form},
        status=422 if form.errors else 200,
    )


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def representation(request, slug: str):
    """Enrolled participants by stakeholder type against those the report says to engage; staff
    invite from here (through the foundation's invitation service)."""
    workstream = get_object_or_404(
        Workstream.objects.select_related("track").prefetch_related("stakeholders"), slug=slug
    )
    policy.require(request.user, "workstreams.view_representation", workstream)
    form = InvitationForm(request.POST or None)
    sent_to = None
    if request.method == "POST" and form.is_valid():
        invitation_services.invitation_create(actor=request.user, workstream=workstream, **form.cleaned_data)
        sent_to = form.cleaned_data["email"]
        if not request.htmx:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": sent_to})
            return redirect("workstreams:representation", slug=slug)
        form = InvitationForm()
    template = "workstreams/tracker/representation.html"
    if request.htmx:
        template += "#invite-form"
    return render(
        request,
        template,
        {
            "workstream": workstream,
            "data": selectors.representation(workstream),
            "roles": EnrollmentRole.choices,
            "form": form,
            "sent_to": sent_to,
        },
        status=422 if form.errors else 200,
    )


@require_POST
@login_required
def enrollment_role(request, pk: int):
    """Staff change a participant's role (active member or feedback provider), from the representation
    page; back to it."""
    enrollment = get_object_or_404(Enrollment.objects.active().select_related("workstream", "user"), pk=pk)
    policy.require(request.user, "workstreams.manage_workstream", enrollment.workstream)
    role = request.POST.get("role", "")
    if role not in EnrollmentRole.values:
        messages.error(request, _("Choose a role."))
    else:
        invitation_services.enrollment_role_change(actor=request.user, enrollment=enrollment, role=role)
        messages.success(
            request,
            _("%(name)s is now: %(role)s.")
            % {"name": enrollment.user.display_name, "role": EnrollmentRole(role).label},
        )
    return redirect("workstreams:representation", slug=enrollment.workstream.slug)


@login_required
def staff_dashboard(request):
    policy.require(request.user, "workstreams.view_staff_dashboard")
    context = selectors.staff_dashboard(user=request.user)
    context["failed_tasks"] = gov_selectors.task_failures_unresolved_count()
    return render(request, "workstreams/tracker/dashboard_staff.html", context)


@login_required
def my_dashboard(request):
    context = selectors.participant_dashboard(user=request.user)
    context["is_staff_member"] = policy.can(request.user, "workstreams.view_staff_dashboard")
    context["today"] = timezone.localdate()
    return render(request, "workstreams/tracker/dashboard_participant.html", context)


@require_http_methods(["GET", "POST"])
def digest_unsubscribe(request, token: str):
    """The digest's unsubscribe link: a confirmation page, unsubscribing on POST."""
    done = False
    if request.method == "POST":
        done = tracker.digest_unsubscribe(token=token) is not None
        if not done:
            return render(
                request, "workstreams/tracker/digest_unsubscribe.html", {"invalid": True}, status=400
            )
    return render(request, "workstreams/tracker/digest_unsubscribe.html", {"done": done, "token": token})
