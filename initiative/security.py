"""Hooks for django-axes and allauth: which username a log-in attempt is for, and which client address
it comes from (the one initiative.ratelimit.client_ip gives the rest of the site).

allauth passes `email=` to authenticate(), and its form field is `login`; axes would otherwise see no
username and lock the whole IP address instead of the (username, IP) pair.

Also the gate that keeps users who must have a second factor away from every page until they set one up.
"""

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from . import policy, ratelimit


def axes_username(request, credentials) -> str | None:
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("login") or credentials.get("username")
    if not value and request is not None and request.method == "POST":
        value = request.POST.get("login")
    return value.strip().lower() if value else None


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        """The client's address for allauth's rate limits: X-Forwarded-For only when
        settings.TRUST_X_FORWARDED_FOR says our proxy sets it, as everywhere else on the site."""
        return ratelimit.client_ip(request)


class SecondFactorRequiredMiddleware:
    """Sends a signed-in user whose roles require a second factor (the policy decides whose) and who has
    none to the two-factor settings, before any page but allauth's own answers them.

    The gate covers every URL the resolver maps to a view of the project or of the Django admin — not a
    list of staff URLs — because privileged users also see more on shared pages (unredacted originals,
    staff controls on drafts and dashboards). Only allauth's views answer: log-out, the account-security
    pages and the set-up itself. APIs get a 403, htmx requests a client-side redirect.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or is_second_factor_exempt(view_func):
            return None
        if not policy.second_factor_required(user) or policy.has_second_factor(user):
            return None
        return _second_factor_setup_response(request, view_func)


def is_second_factor_exempt(view_func) -> bool:
    """allauth's views (log-in and log-out, account security, second-factor set-up) stay reachable for a
    user who must first set up a second factor; every other view is gated."""
    return (getattr(view_func, "__module__", None) or "").split(".")[0] == "allauth"


def _second_factor_setup_response(request, view_func):
    message = _(
        "Your role on the initiative requires two-factor authentication. "
        "Set up an authenticator app or a security key to continue."
    )
    if getattr(view_func, "cls", None) is not None and hasattr(view_func.cls, "permission_classes"):
        return JsonResponse({"detail": message}, status=403)  # a DRF API view
    setup_url = reverse("mfa_index")
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(setup_url)
    messages.warning(request, message)
    return redirect(setup_url)
