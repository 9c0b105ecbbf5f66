"""How programs authenticate to the API, and how hard they may call it.

Personal API tokens are django-rest-knox tokens (`initiative.ApiToken`): `Authorization: Bearer der_…`.
Knox finds the row by the token's first characters, compares SHA-512 digests in constant time and refuses
(and deletes) an expired token; we add the last use. Throttles: one bucket per token, one per anonymous
client address (the same address helper as the HTML rate limits); a 429 carries `Retry-After`.

Not in `initiative/api/`: DRF imports the classes its settings name while `rest_framework.views` loads,
and that package's `__init__` imports views, which would be an import cycle."""

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication
from rest_framework import exceptions
from rest_framework.throttling import SimpleRateThrottle

from . import policy, services
from .ratelimit import client_ip


class ApiTokenAuthentication(TokenAuthentication):
    def validate_user(self, auth_token):
        """As knox, and: a token of someone whose role requires a second factor they no longer have (reset
        after a lost phone) is refused, as the site's second-factor gate refuses their session."""
        user, token = super().validate_user(auth_token)
        if policy.second_factor_required(user) and not policy.has_second_factor(user):
            raise exceptions.PermissionDenied(
                _("Your role requires two-factor authentication: set it up on the site to use API tokens.")
            )
        services.api_token_touch(token=token)
        return user, token


class _RuntimeRateThrottle(SimpleRateThrottle):
    """Reads its rate from settings on each request (DRF reads them once at import), so a deployment's
    environment and a test's override_settings both apply."""

    def get_rate(self):
        return settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"].get(self.scope)


class TokenRateThrottle(_RuntimeRateThrottle):
    """One bucket per API token (by its digest, the row's key), whoever owns it."""

    scope = "token"

    def get_cache_key(self, request, view):
        token = request.auth
        if not hasattr(token, "may_write"):
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.pk[:32]}


class AnonymousRateThrottle(_RuntimeRateThrottle):
    """One bucket per anonymous client address."""

    scope = "anonymous"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """The schema names the token scheme: HTTP bearer (a personal token from the account page)."""

    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token (`der_…`) created on your account page; read-only unless "
            "created with write access.",
        }
