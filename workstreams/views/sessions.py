"""Pages of working sessions and Track 3 workshops and their action items (the issue areas' pages are
in `views/dialogue.py`).
The public sees when sessions are; the workstream's members also see the meeting link, minutes,
attendance and action items; staff schedule and record."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from initiative import policy
from initiative.redirects import next_url

from .. import selectors
from ..forms.sessions import ActionItemForm, ActionStatusForm, SessionForm, SessionRecordForm
from ..models import OPEN_ACTION_STATUSES, ActionItem, Workstream
from ..services import sessions as services


def session_list(request, slug: str):
    workstream = get_object_or_404(Workstream.objects.select_related("track"), slug=slug)
    now = timezone.now()
    all_sessions = selectors.session_list(workstream=workstream)
    page = Paginator(all_sessions.filter(starts_at__lt=now).order_by("-starts_at"), 20).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "workstreams/sessions/session_list.html",
        {
            "workstream": workstream,
            "upcoming": list(all_sessions.filter(starts_at__gte=now)[:50]),
            "page": page,
            "may_manage": policy.can(request.user, "workstreams.manage_workstream", workstream),
        },
    )


def _session_form_kwargs(d: dict) -> dict:
    return {
        "kind": d["kind"],
        "title": d["title"],
        "agenda": d["agenda"],
        "starts_at": d["starts_at"],
        "time_zone": d["time_zone"],
        "duration_minutes": d["duration_minutes"],
        "meeting_url": d["meeting_url"],
        "topic": d["topic"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def session_create(request, slug: str):
    workstream = get_object_or_404(Workstream, slug=slug)
    policy.require(request.user, "workstreams.manage_workstream", workstream)
    initial = {"time_zone": "America/New_York", "duration_minutes": 90}
    if request.GET.get("topic"):
        initial.update(kind="deep_dive", topic=request.GET["topic"])
    form = SessionForm(request.POST or None, workstream=workstream, initial=initial)
    if request.method == "POST" and form.is_valid():
        session = services.session_schedule(
            actor=request.user,
            workstream=workstream,
            issue_areas=list(form.cleaned_data["issue_areas"]),
            **_session_form_kwargs(form.cleaned_data),
        )
        messages.success(request, _("Session scheduled."))
        return redirect(session)
    return render(
        request,
        "workstreams/sessions/session_form.html",
        {"workstream": workstream, "form": form},
        status=422 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request, pk: int):
    session = selectors.session_get(pk=pk)
    policy.require(request.user, "workstreams.manage_workstream", session.workstream)
    form = SessionForm(
        request.POST or None,
        workstream=session.workstream,
        initial=SessionForm.initial_for(session),
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        services.session_update(
            actor=request.user,
            session=session,
            issue_areas=list(form.cleaned_data["issue_areas"]),
            status=form.cleaned_data["status"],
            **_session_form_kwargs(form.cleaned_data),
        )
        messages.success(request, _("Session updated."))
        return redirect(session)
    return render(
        request,
        "workstreams/sessions/session_form.html",
        {"workstream": session.workstream, "form": form, "session": session},
        status=422 if form.errors else 200,
    )


def session_detail(request, pk: int):
    session = selectors.session_get(pk=pk)
    members = policy.can(request.user, "workstreams.view_session_private", session)
    may_manage = policy.can(request.user, "workstreams.manage_workstream", session.workstream)
    context = {"session": session, "members": members, "may_manage": may_manage}
    if members:
        context["action_items"] = list(selectors.action_item_list().filter(session=session))
    if may_manage:
        people = selectors.enrolled_users(session.workstream)
        context["record_form"] = SessionRecordForm(
            people=people,
            initial={"minutes": session.minutes, "attendees": [u.pk for u in session.attendees.all()]},
        )
        context["action_form"] = ActionItemForm(workstream=session.workstream)
    return render(request, "workstreams/sessions/session_detail.html", context)


@login_required
@require_POST
def session_record(request, pk: int):
    session = selectors.session_get(pk=pk)
    policy.require(request.user, "workstreams.manage_workstream", session.workstream)
    form = SessionRecordForm(request.POST, people=selectors.enrolled_users(session.workstream))
    if form.is_valid():
        services.session_record(
            actor=request.user,
            session=session,
            minutes=form.cleaned_data["minutes"],
            attendee_ids=[u.pk for u in form.cleaned_data["attendees"]],
        )
        messages.success(request, _("Attendance and minutes saved."))
    else:
        messages.error(request, _("Attendance could not be saved: %(e)s") % {"e": form.errors.as_text()})
    return redirect(session)


# Action items ---------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def action_item_list(request, slug: str):
    """A workstream's action items (members and staff); staff add items here or from a session."""
    workstream = get_object_or_404(Workstream.objects.select_related("track"), slug=slug)
    policy.require(request.user, "workstreams.view_members_area", workstream)
    may_manage = policy.can(request.user, "workstreams.manage_workstream", workstream)
    form = ActionItemForm(request.POST or None, workstream=workstream) if may_manage else None
    session = None
    if request.method == "POST":
        policy.require(request.user, "workstreams.manage_workstream", workstream)
        if request.POST.get("session"):
            session = get_object_or_404(workstream.sessions.all(), pk=request.POST["session"])
        if form.is_valid():
            services.action_item_create(
                actor=request.user, workstream=workstream, session=session, **form.cleaned_data
            )
            messages.success(request, _("Action item added."))
            return redirect(session or "workstreams:action-item-list", **({} if session else {"slug": slug}))
    status = request.GET.get("status", "open")
    items = selectors.action_item_list().filter(workstream=workstream)
    if status == "open":
        items = items.filter(status__in=OPEN_ACTION_STATUSES)
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "workstreams/sessions/action_item_list.html",
        {
            "workstream": workstream,
            "page": page,
            "form": form,
            "status": status,
            "may_manage": may_manage,
            "today": timezone.localdate(),
            "status_form": ActionStatusForm(),
        },
        status=422 if form is not None and form.errors else 200,
    )


@login_required
@require_POST
def action_item_status(request, pk: int):
    item = get_object_or_404(ActionItem.objects.select_related("workstream"), pk=pk)
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        services.action_item_set_status(actor=request.user, item=item, status=form.cleaned_data["status"])
        messages.success(request, _("Action item updated."))
    return redirect(next_url(request, "workstreams:my-dashboard"))
