"""The site's authentication backends: Django's and allauth's, with the signed-in user read through the
shared read cache (initiative.readcache) instead of the database on every request.

The user's row is cached in the group `user:<pk>`, made stale by every save or delete of that user (a
password changed, an account deactivated, a name edited), so a signed-out or deactivated session ends on
the very next request, as before. The same round trip fetches the user's roles for today, which every
signed-in request asks for next (`initiative.rules.roles_of`). A bulk `User.objects.update()` sends no
signal: code doing one calls `readcache.changed(user_group(pk))` for each user it touched.
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from . import readcache
from .rules import roles_entry


def user_group(pk) -> str:
    return f"user:{pk}"


class _CachedUser:
    def get_user(self, user_id):
        entry = (user_group(user_id), "row")
        readcache.prefetch(entry, roles_entry(user_id))
        return readcache.read(*entry, lambda: super(_CachedUser, self).get_user(user_id))


class ModelBackend(_CachedUser, DjangoModelBackend):
    """Sign-in by username and password (the admin's, and tests' `force_login`)."""


class AuthenticationBackend(_CachedUser, AllauthBackend):
    """allauth's sign-in by email address and password."""
