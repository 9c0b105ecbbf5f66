"""One error body for the whole API, and a schema that says which errors each operation can return.

Every error the API answers is a problem document in the spirit of RFC 9457, served as
`application/problem+json`:

    {"type": "about:blank", "title": "Not Found", "status": 404, "detail": "No Deliverable matches …"}

with `errors` ({field: [messages]}) on a validation error and extension members where an error carries
more (an illegal transition's `current` and `requested` stage). The DRF exception handler, the views
that answer an error themselves and the control-character guard in front of every request all build it
with `problem()`."""

import functools
from http import HTTPStatus

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, JsonResponse
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import exceptions, serializers
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import AllowAny
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import exception_handler as drf_exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"


def is_api_request(request) -> bool:
    return request.path_info.startswith("/api/")


def problem(*, status: int, detail: str, errors=None, **extensions) -> dict:
    body = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status, "detail": detail}
    if errors is not None:
        body["errors"] = errors
    return {**body, **extensions}


def problem_response(*, status: int, detail: str, errors=None, **extensions) -> JsonResponse:
    """A problem document as a plain Django response (usable outside DRF, e.g. from a middleware)."""
    return JsonResponse(
        problem(status=status, detail=detail, errors=errors, **extensions),
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
    )


def exception_handler(exc, context):
    """DRF's handler (status, `Retry-After`, `WWW-Authenticate`, rollback), with its body replaced by a
    problem document. Django's `PermissionDenied` carries a permission name, which is not shown."""
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        response.data = problem(status=response.status_code, detail=str(_INVALID), errors=errors)
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        response.data = problem(status=response.status_code, detail=str(detail))
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


_INVALID = exceptions.ValidationError.default_detail


class ProblemSerializer(serializers.Serializer):
    """An error (RFC 9457 problem details). Errors may add extension members."""

    type = serializers.CharField(help_text="Always `about:blank`: the status says what happened.")
    title = serializers.CharField(help_text="The HTTP status phrase.")
    status = serializers.IntegerField()
    detail = serializers.CharField(help_text="What went wrong, for a person to read.")
    errors = serializers.DictField(
        required=False,
        child=serializers.JSONField(),
        help_text="On a validation error: the messages per field (`non_field_errors` for the whole).",
    )

    class Meta:
        ref_name = "Problem"


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema, plus the error statuses each operation can return, each with the
    problem body. Which statuses apply is read from the view, so the document stays true as views
    change:

    - 400 always: a control character anywhere in the query is refused, and parameters are validated;
    - 401 when an authentication class asks for credentials with `WWW-Authenticate` (session
      authentication does not: DRF then answers 403);
    - 403 when a permission class other than AllowAny guards the view, and on every unsafe method
      (CSRF check of session authentication);
    - 404 when the path has parameters, and on paginated lists (a page past the end);
    - 406 always (content negotiation); 415 when the operation takes a body;
    - 429 when a throttle applies;
    - any other status ≥ 400 the view declares with `extend_schema(responses=...)` (409 for a conflict).
    """

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = {int(code) for code in responses if code.isdigit() and int(code) >= 400}
        codes |= self._error_statuses()
        for code in sorted(codes):
            responses[str(code)] = self._get_response_for_code(
                ProblemSerializer, str(code), media_types=[PROBLEM_CONTENT_TYPE], direction=direction
            )
        return dict(sorted(responses.items()))

    def _error_statuses(self) -> set[int]:
        view = self.view
        codes = {400, 406}
        if any(
            type(auth).authenticate_header is not BaseAuthentication.authenticate_header
            for auth in view.get_authenticators()
        ):
            codes.add(401)
        unsafe = self.method not in ("GET", "HEAD", "OPTIONS")
        if unsafe or any(not isinstance(p, AllowAny) for p in view.get_permissions()):
            codes.add(403)
        if "{" in self.path or (self._is_list_view() and self._get_paginator() is not None):
            codes.add(404)
        if unsafe:
            codes.add(415)
        scoped = getattr(view, "throttle_scope", None)
        if any(scoped or not isinstance(t, ScopedRateThrottle) for t in view.get_throttles()):
            codes.add(429)
        return codes


def problem_for_api(status: int):
    """Wrap one of Django's error views (handler400/403/404/500) so that, under /api/, what never
    reaches a DRF view (an address that matches no route) gets the same problem body."""

    def wrap(page):
        @functools.wraps(page)
        def view(request, *args, **kwargs):
            if is_api_request(request):
                return problem_response(status=status, detail=HTTPStatus(status).description)
            return page(request, *args, **kwargs)

        return view

    return wrap
