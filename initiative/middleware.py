"""Guards that hold for every request, page or API, before any view runs."""

import re

from django.http import HttpResponseBadRequest, HttpResponseNotFound
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _

# NUL cannot be stored in a PostgreSQL text column (a query that carries one fails with DataError), and
# no other control character has a meaning in a URL. Form and query values may hold line breaks and tabs
# (a comment's paragraphs), nothing else below U+0020.
_PATH_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_VALUE_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A path segment of digits is an id for the `int` converter; ids are 64-bit. A larger number names no
# row, and SQLite cannot even bind it (OverflowError) in a foreign-key lookup.
_NUMBER_SEGMENT = re.compile(r"(?<![^/])\d{19,}(?![^/])")
_MAX_ID = 2**63 - 1


class RefuseMalformedRequestsMiddleware:
    """Answer 400 to a request whose path, query string or form fields (names and values) carry a
    control character, and to a form body that cannot be parsed, so that no view ever sees one; answer
    404 to a path with a number beyond any row id.

    The API gets its error body shape (`initiative.api.errors`); pages get a short plain message."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = self._problem(request)
        if problem is not None:
            return self._refuse(request, 400, problem)
        if any(int(number) > _MAX_ID for number in _NUMBER_SEGMENT.findall(request.path)):
            return self._refuse(request, 404, _("There is nothing at this address."))
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
    def _refuse(request, status: int, detail: str):
        from initiative.api.errors import is_api_request, problem_response

        if is_api_request(request):
            return problem_response(status=status, detail=detail)
        response_class = HttpResponseBadRequest if status == 400 else HttpResponseNotFound
        return response_class(detail, content_type="text/plain; charset=utf-8")


def _has_control(data) -> bool:
    return any(
        _VALUE_CONTROL.search(key) or any(_VALUE_CONTROL.search(value) for value in data.getlist(key))
        for key in data
    )
