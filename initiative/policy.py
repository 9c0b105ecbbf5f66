"""The one place every view, API view and task asks "may this user do this to this object".

Permissions are `rules` predicates registered in each app's `rules.py` under "<app>.<verb>_<noun>";
this module is the single entry point so that a page, the API and a worker can never disagree.
"""

from django.core.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission


def can(user, action: str, obj=None) -> bool:
    return bool(user is not None and user.has_perm(action, obj))


def require(user, action: str, obj=None) -> None:
    """Raise PermissionDenied unless `can(user, action, obj)`."""
    if not can(user, action, obj):
        raise PermissionDenied(action)


class PolicyPermission(BasePermission):
    """DRF permission: a view names `policy_action` (for the list/create) and
    `policy_object_action` (for one object); both are asked through `can`."""

    def has_permission(self, request, view) -> bool:
        action = getattr(view, "policy_action", None)
        return action is None or can(request.user, action)

    def has_object_permission(self, request, view, obj) -> bool:
        action = getattr(view, "policy_object_action", None)
        return action is None or can(request.user, action, obj)
