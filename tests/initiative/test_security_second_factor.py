"""The second-factor gate: a signed-in member of the implementation team or the steering committee, or an
admin user, without a second factor gets no page of the site — staff, committee, admin or shared — until
they set one up; allauth's own account and set-up pages still answer. Everyone else passes freely.

The URLs come from the resolver, so a page added tomorrow is covered without touching this file."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from initiative.security import is_second_factor_exempt
from tests.factories import BodyMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

_ROUTE_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(\w+)>([^()]*)\)")
_SAMPLES = {"int": "1", "slug": "x", "str": "x", "path": "x", "uuid": "00000000-0000-0000-0000-000000000000"}


def _sample(pattern) -> str:
    """A concrete path segment that the pattern matches (any ids: the gate answers before the view)."""
    text = str(pattern)
    if not hasattr(pattern, "regex") or not text.startswith("^"):
        return _ROUTE_PARAM.sub(lambda m: _SAMPLES[m.group(1) or "str"], text)

    def group(match):
        body = match.group(2)
        for candidate in ("1", "x", body.split("|")[0]):
            if re.fullmatch(body, candidate):
                return candidate
        raise AssertionError(f"no sample for {text}")

    return _REGEX_GROUP.sub(group, text).lstrip("^").rstrip("$").replace("\\", "")


def _walk(patterns, prefix="", names=()):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = (*names, entry.namespace) if entry.namespace else names
            yield from _walk(entry.url_patterns, prefix + _sample(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield ":".join((*names, entry.name or "")), "/" + prefix + _sample(entry.pattern), entry.callback


def _gated_urls():
    seen = {}
    for name, path, callback in _walk(get_resolver().url_patterns):
        if not is_second_factor_exempt(callback) and path not in seen:
            seen[path] = pytest.param(path, callback, id=f"{name} {path}")
    return list(seen.values())


GATED = _gated_urls()


def test_the_gated_set_holds_the_staff_committee_and_admin_pages():
    """The list the next test runs over is the resolver's, and it has the pages the roles are for."""
    paths = {p.values[0] for p in GATED}
    assert len(paths) > 100
    for name, kwargs in [
        ("admin:index", {}),
        ("admin:initiative_user_changelist", {}),
        ("initiative:audit-log", {}),
        ("initiative:second-factor-list", {}),
        ("workstreams:staff-dashboard", {}),
        ("workstreams:tracker", {}),
        ("consultations:moderation-queue", {}),
        ("webinars:webinar-create", {}),
    ]:
        assert reverse(name, kwargs=kwargs) in paths, name
    assert reverse("mfa_index") not in paths and reverse("account_logout") not in paths


@pytest.fixture
def staff_without_factor(client):
    user = BodyMembershipFactory(implementation_team=True, second_factor=False).user
    client.force_login(user)
    return user


@pytest.mark.parametrize("path,callback", GATED)
def test_every_page_sends_a_staff_member_without_a_second_factor_to_set_one_up(
    client, staff_without_factor, path, callback
):
    assert resolve(path).func == callback  # the sample path reaches the pattern under test
    response = client.get(path)
    if hasattr(getattr(callback, "cls", None), "permission_classes"):  # DRF API views
        assert response.status_code == 403
        assert "two-factor" in response.json()["detail"]
    else:
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_index")


@pytest.mark.parametrize(
    "make_user",
    [
        pytest.param(
            lambda: BodyMembershipFactory(implementation_team=True, second_factor=False).user, id="staff"
        ),
        pytest.param(
            lambda: BodyMembershipFactory(steering_committee=True, second_factor=False).user, id="committee"
        ),
        pytest.param(lambda: UserFactory(verified=True, is_staff=True), id="admin"),
        pytest.param(lambda: UserFactory(verified=True, is_staff=True, is_superuser=True), id="superuser"),
    ],
)
@pytest.mark.parametrize("name", ["initiative:account", "admin:index", "consultations:consultation-list"])
def test_each_role_that_requires_a_second_factor_is_gated(client, make_user, name):
    client.force_login(make_user())
    response = client.get(reverse(name))
    assert response.status_code == 302 and response["Location"] == reverse("mfa_index")
    # The set-up pages themselves answer.
    assert client.get(reverse("mfa_index")).status_code == 200


def test_the_gate_lifts_once_a_second_factor_is_set_up(client):
    user = BodyMembershipFactory(implementation_team=True, second_factor=False).user
    client.force_login(user)
    assert client.get(reverse("workstreams:staff-dashboard")).status_code == 302
    from tests.factories import give_second_factor

    give_second_factor(user)
    assert client.get(reverse("workstreams:staff-dashboard")).status_code == 200


def test_posts_are_gated_too(client, staff_without_factor):
    response = client.post(reverse("webinars:webinar-create"), {"title": "x"})
    assert response.status_code == 302 and response["Location"] == reverse("mfa_index")


def test_htmx_requests_get_a_client_side_redirect(client, staff_without_factor):
    response = client.get(reverse("workstreams:tracker"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("mfa_index")


def test_the_redirect_explains_why(client, staff_without_factor):
    response = client.get(reverse("workstreams:staff-dashboard"), follow=True)
    assert "Your role on the initiative requires two-factor authentication" in response.content.decode()


@pytest.mark.parametrize("role", ["public_user", "participant"])
def test_people_whose_roles_do_not_require_it_pass_without_one(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("initiative:account")).status_code == 200
    assert client.get(reverse("workstreams:my-dashboard")).status_code == 200


def test_a_former_staff_member_is_no_longer_gated(client):
    """The requirement follows current seats: a seat that has ended does not count."""
    import datetime

    from django.utils import timezone

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    user = BodyMembershipFactory(implementation_team=True, second_factor=False, ends_on=yesterday).user
    client.force_login(user)
    assert client.get(reverse("initiative:account")).status_code == 200
