"""Pages of the governance app: home, governance, the account page, the audit log, /healthz and the
error pages."""

import re

import kombu
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpResponsePermanentRedirect, HttpResponseServerError, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.templatetags.static import static
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, requires_csrf_token
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language

from workstreams import selectors as ws_selectors
from workstreams.models import Enrollment
from workstreams.services import workstreams as ws_services

from . import notifications, policy, selectors, services
from .api.errors import problem_for_api
from .filters import AuditEventFilter
from .forms import AccountForm, ApiTokenForm, NotificationPreferencesForm, SecondFactorResetForm, WithdrawForm
from .models import Body, BodyMembership, DocumentApproval, GovernanceDocument, NotificationKind, User
from .redirects import next_url


def home(request):
    initiative = selectors.initiative_get()
    tracks = list(ws_selectors.track_list())
    timeline = _timeline(initiative, tracks) if initiative else None
    return render(
        request, "initiative/home.html", {"initiative": initiative, "tracks": tracks, "timeline": timeline}
    )


def _timeline(initiative, tracks) -> dict:
    """Rows of the timeline chart (the report's Figure 1): each workstream's span in months, placed on
    a grid of years."""
    rows = [ws for track in tracks for ws in track.workstreams.all()]
    months = max([ws.end_month for ws in rows] + [36])
    years = (months + 11) // 12
    start = initiative.start_date
    return {
        "months": years * 12,
        "years": [
            {"label": _("Year %(n)s") % {"n": y + 1}, "start_year": start.year + y, "col": 2 + 12 * y}
            for y in range(years)
        ],
        "rows": [
            {
                "workstream": ws,
                "col_start": ws.start_month + 1,
                "col_end": ws.end_month + 1,
                "track": ws.track.number,
            }
            for ws in rows
        ],
    }


def governance(request):
    initiative = selectors.initiative_get()
    return render(
        request,
        "initiative/governance.html",
        {
            "initiative": initiative,
            "bodies": selectors.bodies_with_current_members(),
            "organizations_by_type": selectors.organizations_by_type(),
            "documents": selectors.governance_documents(),
            "may_manage": policy.can(request.user, "initiative.manage_memberships"),
            "may_see_drafts": policy.can(request.user, "initiative.view_governance_drafts"),
        },
    )


@require_POST
def language_set(request):
    """Django's `set_language` (the cookie, then back to `next`), and for a signed-in person the
    account's language too, which their emails use."""
    response = set_language(request)
    if request.user.is_authenticated:
        services.user_language_set(user=request.user, language=request.POST.get("language", ""))
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account(request):
    form = AccountForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_update_profile(actor=request.user, user=request.user, data=form.cleaned_data)
        messages.success(request, _("Your profile is saved."))
        return redirect("initiative:account")
    return render(
        request, "initiative/account.html", {**_account_context(request, form), **_token_context(request)}
    )


def _account_context(request, form) -> dict:
    return {
        "form": form,
        "enrollments": ws_selectors.enrollment_list_for_user(request.user),
        "memberships": request.user.memberships.current().select_related("body"),
        "withdraw_form": WithdrawForm(),
        "has_second_factor": policy.has_second_factor(request.user),
        "second_factor_required": policy.second_factor_required(request.user),
    }


def _token_context(request, *, token_form=None, new_token=None, new_secret="") -> dict:
    return {
        "tokens": selectors.api_token_list(user=request.user),
        "token_form": token_form or ApiTokenForm(),
        "new_token": new_token,
        "new_secret": new_secret,
        "now": timezone.now(),
    }


def _token_section(request, context: dict, *, status: int = 200):
    """The API tokens section alone for htmx, else the whole account page."""
    if request.htmx:
        response = render(request, "initiative/account.html#api-tokens", context, status=status)
    else:
        context |= _account_context(request, AccountForm(instance=request.user))
        response = render(request, "initiative/account.html", context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@never_cache
@require_POST
def api_token_create(request):
    """Create a token and show its secret once, in this response (never stored, never redirected to)."""
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _token_section(request, _token_context(request, token_form=form), status=422)
    token, secret = services.api_token_create(actor=request.user, **form.cleaned_data)
    return _token_section(request, _token_context(request, new_token=token, new_secret=secret), status=201)


@login_required
@require_POST
def api_token_revoke(request, key: str):
    token = selectors.api_token_get(user=request.user, key=key)
    services.api_token_revoke(actor=request.user, token=token)
    if request.htmx:
        return _token_section(request, _token_context(request))
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("initiative:account")


@login_required
@require_POST
def enrollment_withdraw(request, pk: int):
    enrollment = get_object_or_404(Enrollment, pk=pk, user=request.user)
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    ws_services.enrollment_withdraw(actor=request.user, enrollment=enrollment, reason=reason)
    messages.success(request, _("You have withdrawn from %(ws)s.") % {"ws": enrollment.workstream.title})
    return redirect("initiative:account")


@login_required
def audit_log(request):
    policy.require(request.user, "initiative.view_audit_log")
    events = AuditEventFilter(request.GET, queryset=selectors.audit_events()).qs
    action = request.GET.get("action", "").strip()
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "initiative/audit_log.html", {"page": page, "action": action})


FACTOR_NAMES = {
    "totp": _lazy("authenticator app"),
    "recovery_codes": _lazy("recovery codes"),
    "webauthn": _lazy("security keys"),
}


@login_required
def second_factor_list(request):
    policy.require(request.user, "initiative.reset_second_factor")
    q = request.GET.get("q", "").strip()
    page = Paginator(selectors.second_factor_holders(q=q), 50).get_page(request.GET.get("page"))
    return render(request, "initiative/second_factor_list.html", {"page": page, "q": q})


@login_required
@require_http_methods(["GET", "POST"])
def second_factor_reset(request, pk: int):
    """Confirmation page, then the reset (a member who lost their device)."""
    policy.require(request.user, "initiative.reset_second_factor")
    member = get_object_or_404(User, pk=pk)
    form = SecondFactorResetForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.second_factor_reset(actor=request.user, user=member, reason=form.cleaned_data["reason"])
        messages.success(
            request,
            _("The second factors of %(email)s are removed; they are told by email.")
            % {"email": member.email},
        )
        return redirect("initiative:second-factor-list")
    factors = sorted({FACTOR_NAMES.get(a.type, a.type) for a in member.authenticator_set.all()})
    return render(
        request, "initiative/second_factor_reset.html", {"member": member, "form": form, "factors": factors}
    )


@never_cache
def healthz(request):
    """Database and broker status, for docker-compose health checks and monitors."""
    status = {"database": "ok", "broker": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 — any failure is reported, not raised
        status["database"] = f"error: {exc.__class__.__name__}"
    try:
        with kombu.Connection(
            settings.CELERY_BROKER_URL,
            transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
            connect_timeout=2,
        ) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # noqa: BLE001
        status["broker"] = f"error: {exc.__class__.__name__}"
    healthy = all(v == "ok" for v in status.values())
    return JsonResponse({"status": "ok" if healthy else "error", **status}, status=200 if healthy else 503)


def api_moved(request, rest: str):
    """The API's paths before `/api/v1/`: a permanent redirect there, keeping the query string. 308, not
    301, so that a POST (a workflow transition) is repeated as a POST. Kept for one release."""
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(
        f"/api/v1/{rest}" + (f"?{query}" if query else ""), preserve_request=True
    )


def favicon(request):
    """Browsers and crawlers ask for /favicon.ico whatever the page links: send them to the static one
    (hashed name, cached for a long time)."""
    return redirect(static("favicon.ico"), permanent=True)


# Error pages ---------------------------------------------------------------------------------------------
# The pages say why (the message a view raised, when it wrote one for people) and where to go next.
# 403, 404 and 429 use the site's layout with its context processors; 500 renders without a request
# context (no context processor, no database query), since the database may be what failed.
_ACTION_CODE = re.compile(r"^[a-z_]+\.[a-z_]+$")  # `policy.require` raises with the rule's name


def _reason(exception) -> str:
    message = exception.args[0] if exception is not None and exception.args else ""
    if (
        not isinstance(message, str)
        or _ACTION_CODE.match(message)
        or message.endswith("matches the given query.")
    ):
        return ""
    return message


@problem_for_api(400)
def bad_request(request, exception=None):
    return defaults.bad_request(request, exception)


@problem_for_api(403)
def permission_denied(request, exception=None):
    return render(request, "403.html", {"reason": _reason(exception)}, status=403)


@problem_for_api(404)
def page_not_found(request, exception=None):
    return render(request, "404.html", {"reason": _reason(exception)}, status=404)


def too_many_requests(request, exception=None):
    """allauth's rate limits answer through this (ROOT_URLCONF.handler429)."""
    return render(request, "429.html", status=429)


@problem_for_api(500)
@requires_csrf_token
def server_error(request):
    return HttpResponseServerError(loader.get_template("500.html").render({"home": "/"}))


# Notifications -------------------------------------------------------------------------------------------
@login_required
def notification_list(request):
    unread_only = request.GET.get("show") == "unread"
    page = Paginator(
        notifications.notification_list(user=request.user, unread_only=unread_only), 25
    ).get_page(request.GET.get("page"))
    return render(request, "initiative/notification_list.html", {"page": page, "unread_only": unread_only})


@require_POST
@login_required
def notification_read(request, pk: int):
    """Mark one read. htmx gets the item back, marked, and the bell (out of band) with its new count."""
    item = notifications.notification_mark_read(user=request.user, pk=pk)
    if item is None:
        raise Http404
    if request.htmx:
        response = render(
            request,
            "initiative/notification_list.html#notification-item",
            {"n": item, "bell_oob": True, "nav_unread": notifications.unread_count(user=request.user)},
        )
        patch_vary_headers(response, ["HX-Request"])
        return response
    return redirect(next_url(request, "initiative:notification-list"))


@require_POST
@login_required
def notification_read_all(request):
    done = notifications.notification_mark_all_read(user=request.user)
    messages.success(request, _("%(n)s notifications marked read.") % {"n": done})
    return redirect("initiative:notification-list")


@login_required
def notification_preferences(request):
    form = NotificationPreferencesForm(
        request.POST if request.method == "POST" else None,
        initial_modes=notifications.preferences_for(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        notifications.preferences_save(user=request.user, choices=form.cleaned_data)
        messages.success(request, _("Your notification choices are saved."))
        return redirect("initiative:notification-preferences")
    return render(
        request,
        "initiative/notification_preferences.html",
        {"form": form, "follows": notifications.subscription_list(user=request.user)},
        status=400 if form.is_bound else 200,
    )


@csrf_exempt  # RFC 8058 one-click unsubscribe POSTs come from mail clients, without our CSRF cookie
@require_http_methods(["GET", "POST"])
def notification_unsubscribe(request, token: str):
    """The link in every notification email (and its List-Unsubscribe header): the signed token names
    the person and the kind; a POST stops those emails (all of them for a digest's link)."""
    found = notifications.unsubscribe_read(token)
    done = False
    if request.method == "POST" and found is not None:
        notifications.unsubscribe(user=found[0], kind=found[1])
        done = True
    what = ""
    if found is not None:
        what = (
            _("notifications from the initiative")
            if found[1] == notifications.ALL_KINDS
            else str(NotificationKind(found[1]).label).lower()
        )
    return render(
        request,
        "initiative/notification_unsubscribe.html",
        {"found": found is not None, "done": done, "what": what},
        status=200 if found else 404,
    )


@require_POST
@login_required
def follow_toggle(request):
    """Follow or stop following a workstream, a consultation or an issue area (a target string)."""
    target = request.POST.get("target", "")
    obj = notifications.target_get(target, user=request.user)
    if obj is None:
        raise Http404
    if request.POST.get("action") == "unfollow":
        notifications.subscription_delete(user=request.user, target=target)
        messages.success(request, _("You no longer follow %(what)s.") % {"what": obj})
    else:
        notifications.subscription_create(user=request.user, target=target)
        messages.success(request, _("You now follow %(what)s.") % {"what": obj})
    return redirect(next_url(request, "initiative:notification-preferences"))


# Governance administration: bodies' seats, the charter and the work plan ------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def body_manage(request, kind: str):
    """Staff and the committee chair seat people, change roles and terms; the history is the audit log."""
    from .forms import MembershipForm

    body = get_object_or_404(Body, kind=kind)
    policy.require(request.user, "initiative.manage_memberships", body)
    form = MembershipForm(request.POST or None, initial={"starts_on": timezone.localdate()})
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_add(actor=request.user, body=body, **form.cleaned_data)
        except (services.GovernanceError, ValidationError) as exc:
            error = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        else:
            messages.success(
                request, _("%(name)s is seated.") % {"name": form.cleaned_data["user"].display_name}
            )
            return redirect("initiative:body-manage", kind=kind)
    return _body_page(request, body, form=form, error=error, status=400 if request.method == "POST" else 200)


def _body_page(request, body, *, form, error=None, status=200, edit_forms=None):
    from .forms import MembershipUpdateForm

    seats = list(selectors.body_memberships(body))
    edit_forms = edit_forms or {}
    for m in seats:
        m.form = edit_forms.get(m.pk) or MembershipUpdateForm(
            prefix=f"m{m.pk}", initial={"role": m.role, "starts_on": m.starts_on, "ends_on": m.ends_on}
        )
    history = Paginator(selectors.body_history(body), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "initiative/body_manage.html",
        {"body": body, "seats": seats, "form": form, "error": error, "page": history},
        status=status,
    )


@require_POST
@login_required
def membership_update(request, pk: int):
    from .forms import MembershipForm, MembershipUpdateForm

    membership = get_object_or_404(BodyMembership.objects.select_related("body", "user"), pk=pk)
    policy.require(request.user, "initiative.manage_memberships", membership.body)
    form = MembershipUpdateForm(request.POST, prefix=f"m{membership.pk}")
    error = None
    if form.is_valid():
        try:
            services.membership_update(actor=request.user, membership=membership, **form.cleaned_data)
        except services.GovernanceError as exc:
            error = str(exc)
        else:
            messages.success(
                request, _("The seat of %(name)s is saved.") % {"name": membership.user.display_name}
            )
            return redirect("initiative:body-manage", kind=membership.body.kind)
    return _body_page(
        request,
        membership.body,
        form=MembershipForm(initial={"starts_on": timezone.localdate()}),
        error=error
        or _("Check the fields of the seat of %(name)s.") % {"name": membership.user.display_name},
        status=400,
        edit_forms={membership.pk: form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_detail(request, kind: str):
    """A governance document: the version in force, the drafts, the committee's vote on a version."""
    from .forms import DocumentSubmitForm, DocumentVersionForm, DocumentVoteForm

    document = get_object_or_404(GovernanceDocument, kind=kind)
    policy.require(request.user, "initiative.view_governance_drafts", document)
    user = request.user
    may_edit = policy.can(user, "initiative.edit_governance_documents", document)
    versions = list(document.versions.select_related("created_by").order_by("-number"))
    approval = (
        DocumentApproval.objects.filter(version__document=document)
        .select_related("version")
        .prefetch_related("votes__member")
        .first()
    )
    action = request.POST.get("action") if request.method == "POST" else None
    forms = {
        "version": DocumentVersionForm(
            request.POST if action == "version" else None,
            initial={"body": versions[0].body if versions else ""},
        )
        if may_edit
        else None,
        "submit": DocumentSubmitForm(request.POST if action == "submit" else None) if may_edit else None,
        "vote": DocumentVoteForm(request.POST if action == "vote" else None)
        if approval
        and approval.accepts_votes()
        and policy.can(user, "initiative.vote_governance_document", approval)
        else None,
    }
    error = None
    if action in forms and forms[action] is not None and forms[action].is_valid():
        data = forms[action].cleaned_data
        try:
            if action == "version":
                services.document_version_create(actor=user, document=document, **data)
                messages.success(request, _("The new version is saved."))
            elif action == "submit":
                services.document_submit(actor=user, version=versions[0], deadline=data.get("deadline"))
                messages.success(request, _("The latest version is put to the committee's vote."))
            else:
                services.document_vote_cast(actor=user, approval=approval, **data)
                messages.success(
                    request, _("Your vote is recorded. You can change it until the vote closes.")
                )
            return redirect("initiative:document-detail", kind=kind)
        except (services.GovernanceError, IndexError) as exc:
            error = str(exc) if not isinstance(exc, IndexError) else _("Write a version first.")
    elif action == "close" and approval is not None:
        try:
            services.document_approval_close(actor=user, approval=approval)
            messages.success(request, _("The vote is closed."))
            return redirect("initiative:document-detail", kind=kind)
        except services.GovernanceError as exc:
            error = str(exc)
    elif action is not None and action not in forms and action != "close":
        error = _("Unknown action.")
    my_vote = next((v for v in approval.votes.all() if v.member_id == user.pk), None) if approval else None
    return render(
        request,
        "initiative/document_detail.html",
        {
            "document": document,
            "versions": versions,
            "current": next((v for v in versions if v.approved_at), None),
            "approval": approval,
            "tally": services.document_tally(approval) if approval and approval.decided_at is None else None,
            "my_vote": my_vote,
            "may_close": approval is not None
            and approval.decided_at is None
            and policy.can(user, "initiative.close_governance_vote", approval),
            "forms": forms,
            "error": error,
        },
        status=400
        if (error or (action and any(f is not None and f.errors for f in forms.values())))
        else 200,
    )
