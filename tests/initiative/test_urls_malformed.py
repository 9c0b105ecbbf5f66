"""Every URL pattern of the site, asked with malformed values, answers without a server error.

The walk iterates the resolver itself, so a new page is walked the day it is added: each converter is
replaced by malformed values (NUL, broken UTF-8, huge and negative numbers, a very long string), and
every page is also asked with malformed query parameters (NUL, broken UTF-8, numbers out of range,
impossible dates and time zones) and posted malformed form fields, as anonymous and as a staff member
who is also a Django superuser. Meant for PostgreSQL, which refuses NUL in text."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import BodyMembershipFactory

pytestmark = pytest.mark.django_db


def _patterns(patterns=None, prefix=""):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


PATTERNS = sorted(set(_patterns()))

PATH_VALUES = ["%00", "%ff%fe", "-1", "99999999999999999999", "x" * 400]
# Query names the views and filters read, and the usual form field names.
FIELD_NAMES = [
    "q", "page", "action", "format", "from", "to", "on", "status", "kind", "type", "stage", "owner",
    "lateness", "track", "workstream", "topic", "session", "transition", "show", "all", "models", "next",
    "login", "present", "retry", "tz", "time_zone", "date", "starts_at", "opens_at", "closes_at",
    "deadline", "due_date", "planned_start", "planned_end", "duration_minutes", "capacity", "quorum",
    "number", "version", "a", "b", "paragraph_key", "reason", "title", "body", "email",
]  # fmt: skip
MALFORMED = ["99999999999999999999", "-1", "2026-02-30", "2026-01-01T25:61", "Mars/Olympus", "1e999"]


def _rounds(values: list[str], rounds: int) -> list[dict[str, str]]:
    """`rounds` assignments of `values` to the field names, rotated so that each round gives every
    value to some names and each name gets a different value in each round."""
    return [
        {name: values[(i + k) % len(values)] for i, name in enumerate(FIELD_NAMES)} for k in range(rounds)
    ]


QUERIES = ["&".join(f"{name}={v}" for name in FIELD_NAMES) for v in ("%00", "%ff")] + [
    "&".join(f"{k}={v}" for k, v in fields.items()) for fields in _rounds(MALFORMED, 3)
]
FORMS = [dict.fromkeys(FIELD_NAMES, "text\x00with NUL"), *_rounds(MALFORMED, 1)]


def _fill(pattern: str, value: str) -> str:
    """The pattern with every converter or named group replaced by `value` (regex syntax removed)."""
    url = re.sub(r"<(?:\w+:)?\w+>", value, pattern)
    while "(?P<" in url:
        start = url.index("(?P<")
        depth, end = 0, start
        for end in range(start, len(url)):
            depth += {"(": 1, ")": -1}.get(url[end], 0)
            if depth == 0:
                break
        url = url[:start] + value + url[end + 1 :]
    url = url.replace("^", "").replace("$", "").replace("\\", "")
    return "/" + url


def _users():
    staff = BodyMembershipFactory(implementation_team=True).user
    staff.is_staff = staff.is_superuser = True
    staff.save(update_fields=["is_staff", "is_superuser"])
    return {"anonymous": None, "staff": staff}


@pytest.mark.parametrize("pattern", PATTERNS)
def test_no_url_answers_a_server_error_to_malformed_values(client, pattern):
    client.raise_request_exception = False
    has_converters = "<" in pattern
    for role, user in _users().items():
        if user is not None:
            client.force_login(user)
        urls = [_fill(pattern, v) for v in PATH_VALUES] if has_converters else []
        base = _fill(pattern, "1")
        urls += [f"{base}?{query}" for query in QUERIES]
        for url in urls:
            response = client.get(url)
            assert response.status_code < 500, (role, url, response.status_code)
        for form in FORMS:
            response = client.post(base, form)
            assert response.status_code < 500, (role, "POST", base, form, response.status_code)
        client.logout()


@pytest.mark.parametrize(
    "url",
    [
        "/mailing-list/confirm/%00/",
        "/mailing-list/unsubscribe/%00/",
        "/follows/unsubscribe/%00/",
        "/glossary/?q=%00",
        "/staff/audit/?action=%00",
        "/glossary/?q=line%01feed",
    ],
)
def test_a_control_character_in_an_address_is_refused_with_a_400(client, staff, url):
    client.force_login(staff)
    assert client.get(url).status_code == 400


def test_a_control_character_in_a_form_field_is_refused_but_line_breaks_pass(client):
    assert client.post("/glossary/", {"q": "a\x00b"}).status_code == 400
    assert client.post("/glossary/", {"q\x00": "a"}).status_code == 400
    assert client.post("/glossary/", {"q": "two\r\nlines\tand a tab"}).status_code != 400


def test_an_unreadable_form_body_is_refused_with_a_400(client):
    response = client.generic("POST", "/glossary/", b"--nope\r\n", content_type="multipart/form-data")
    assert response.status_code == 400


@pytest.mark.parametrize(
    "url",
    ["/drafts/99999999999999999999/", "/api/v1/library/9223372036854775808/", "/webinars/1" + "0" * 30 + "/"],
)
def test_a_number_beyond_any_id_in_the_address_is_not_found(client, url):
    assert client.get(url).status_code == 404
