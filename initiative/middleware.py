"""Guards that hold for every request, page or API, before any view runs."""

import re

from django.http import HttpResponseBadRequest
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _

# NUL cannot be stored in a PostgreSQL text column (a query that carries one fails with DataError), and
# no other control character has a meaning in a URL. Form and query values may hold line breaks and tabs
# (a comment's paragraphs), nothing else below U+0020.
_PATH_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_VALUE_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class RefuseControlCharactersMiddleware:
    """Answer 400 to a request whose path, query string or form fields (names and values) carry a
    control character, and to a form body that cannot be parsed, so that no view ever sees one.

    The API gets its error body shape (`initiative.api.errors`); pages get Django's 400 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = self._problem(request)
        if problem is not None:
            return self._refuse(request, problem)
        return self.get_response(request)

    @staticmethod
    def _problem(request) -> str | None:
        if _PATH_CONTROL.search(request.path):
            return _("The address contains a control character.")
        if _has_control(request.GET):
            return _("The query string contains a control character.")
        if request.method == "POST":
            try:
                fields = request.POST
            except MultiPartParserError:
                return _("The form data could not be read.")
            if _has_control(fields):
                return _("A form field contains a control character.")
        return None

    @staticmethod
    def _refuse(request, detail: str):
        from initiative.api.errors import is_api_request, problem_response

        if is_api_request(request):
            return problem_response(status=400, detail=detail)
        return HttpResponseBadRequest(detail, content_type="text/plain; charset=utf-8")


def _has_control(data) -> bool:
    return any(
        _VALUE_CONTROL.search(key) or any(_VALUE_CONTROL.search(value) for value in data.getlist(key))
        for key in data
    )
