"""The one place every view, API view and task asks "may this user do this to this object".

Permissions are `rules` predicates registered in each app's `rules.py` under "<app>.<verb>_<noun>";
this module is the single entry point so that a page, the API and a worker can never disagree.

Product permissions are decided from roles alone: `can` tests the rule itself (`rules.has_perm`), not
`user.has_perm`, whose superuser shortcut would let a Django superuser pass every rule. `is_superuser`
and `is_staff` open the Django admin and nothing else.
"""

import rules
from django.core.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission


def can(user, action: str, obj=None) -> bool:
    """Whether the rule `action` holds for `user` (and `obj`). A deactivated account may do nothing."""
    if user is None or (user.is_authenticated and not user.is_active):
        return False
    return bool(rules.has_perm(action, user, obj))


def require(user, action: str, obj=None) -> None:
    """Raise PermissionDenied unless `can(user, action, obj)`."""
    if not can(user, action, obj):
        raise PermissionDenied(action)


def second_factor_required(user) -> bool:
    """Whether the user's roles require a second factor (implementation team, steering committee,
    admin users). Asked on every request by `initiative.security.SecondFactorRequiredMiddleware`."""
    return can(user, "initiative.require_second_factor")


def has_second_factor(user) -> bool:
    """Whether the user has a second factor that allauth asks for at log-in (an authenticator app or a
    security key; recovery codes alone don't count, allauth removes them with the last real factor)."""
    from allauth.mfa.models import Authenticator

    return (
        Authenticator.objects.filter(user_id=user.pk).exclude(type=Authenticator.Type.RECOVERY_CODES).exists()
    )


class TokenScopePermission(BasePermission):
    """DRF permission: a request made with a read-scoped API token may only read (GET, HEAD, OPTIONS).
    Session requests and write-scoped tokens pass; what they may do is the policy's to say."""

    message = "This API token is read-only: create a token with write scope to change anything."

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        may_write = getattr(request.auth, "may_write", None)
        return may_write is None or bool(may_write)


class PolicyPermission(TokenScopePermission):
    """DRF permission: a view names `policy_action` (for the list/create) and
    `policy_object_action` (for one object); both are asked through `can` (after the token's scope)."""

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        action = getattr(view, "policy_action", None)
        return action is None or can(request.user, action)

    def has_object_permission(self, request, view, obj) -> bool:
        action = getattr(view, "policy_object_action", None)
        return action is None or can(request.user, action, obj)


class SignedInPermission(PolicyPermission):
    """DRF permission for what only signed-in people may read at all (the members' areas): anonymous
    requests are refused (401 with `WWW-Authenticate`), then the view's policy actions apply; what each
    person sees is cut down by the view's queryset scope."""

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        return super().has_permission(request, view)
