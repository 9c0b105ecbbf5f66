"""Programs call the API with personal tokens: read-only unless written otherwise, refused once expired
or revoked, throttled per token and per anonymous client; rarely-changing lists answer 304 to a client
that already has them."""

import datetime

import pytest
import time_machine
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from initiative import policy, services
from initiative.models import ApiToken, AuditEvent
from tests.consultations.factories_workflow import deliverable_at
from tests.factories import UserFactory


def _token(user, *, scope="read", days=90) -> str:
    return services.api_token_create(actor=user, name="sync", scope=scope, lifetime_days=days)[1]


def _auth(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _rates(**rates):
    from django.conf import settings

    return override_settings(
        REST_FRAMEWORK={
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **rates},
        }
    )


@pytest.mark.django_db
def test_a_token_is_stored_only_as_a_digest_and_authenticates_its_owner(client, staff):
    secret = _token(staff)
    token = ApiToken.objects.get()
    assert secret.startswith("der_") and secret not in {token.digest, token.token_key}
    assert token.scope == "read" and token.user == staff
    assert AuditEvent.objects.filter(action="api_token.create", actor=staff).exists()
    # The tracker API is for the implementation team: the token acts as its staff owner.
    assert client.get(reverse("api:deliverable-tracker"), **_auth(secret)).status_code == 200
    assert client.get(reverse("api:deliverable-tracker")).status_code == 401  # asks for credentials
    assert client.get(reverse("api:deliverable-tracker"), **_auth(secret + "x")).status_code == 401


@pytest.mark.django_db
def test_a_read_token_is_refused_a_write_and_a_write_token_may_write(client, staff):
    deliverable = deliverable_at("drafting")
    url = reverse("api:deliverable-transitions", args=[deliverable.pk])
    closes = (timezone.now() + datetime.timedelta(days=5)).isoformat()
    body = {"transition": "open_member_review", "closes_at": closes}
    read = _token(staff)
    assert client.get(url, **_auth(read)).status_code == 200
    refused = client.post(url, body, content_type="application/json", **_auth(read))
    assert refused.status_code == 403 and "read-only" in refused.json()["detail"]
    deliverable.refresh_from_db()
    assert deliverable.stage == "drafting"
    write = _token(staff, scope="write")
    moved = client.post(url, body, content_type="application/json", **_auth(write))
    assert moved.status_code == 200 and moved.json()["stage"] == "member_review"


def _api_views(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _api_views(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern) and prefix.startswith("api/v1/"):
            cls = getattr(p.callback, "cls", None)
            if cls is not None:
                yield prefix + str(p.pattern), cls


def test_every_api_view_checks_the_token_scope():
    """A view naming its own permission classes must still refuse writes to a read-only token."""
    views = list(_api_views())
    assert views
    for route, cls in views:
        assert any(issubclass(p, policy.TokenScopePermission) for p in cls.permission_classes), route


@pytest.mark.django_db
def test_an_expired_token_is_refused(client, staff):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        secret = _token(staff, days=30)
        assert client.get(reverse("api:deliverable-tracker"), **_auth(secret)).status_code == 200
        traveller.shift(datetime.timedelta(days=30, seconds=1))
        response = client.get(reverse("api:deliverable-tracker"), **_auth(secret))
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Bearer"


@pytest.mark.django_db
def test_a_revoked_token_is_refused_and_only_its_owner_revokes_it(client, staff):
    secret = _token(staff)
    token = ApiToken.objects.get()
    with pytest.raises(Exception, match="Not your token"):
        services.api_token_revoke(actor=UserFactory(), token=token)
    services.api_token_revoke(actor=staff, token=token)
    assert client.get(reverse("api:deliverable-tracker"), **_auth(secret)).status_code == 401
    assert AuditEvent.objects.filter(action="api_token.revoke", actor=staff).exists()


@pytest.mark.django_db
def test_each_use_records_the_last_use_at_most_once_a_minute(client, staff):
    secret = _token(staff)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client.get(reverse("api:glossary-list"), **_auth(secret))
        assert ApiToken.objects.get().last_used_at == start
        traveller.shift(datetime.timedelta(seconds=30))
        client.get(reverse("api:glossary-list"), **_auth(secret))
        assert ApiToken.objects.get().last_used_at == start
        traveller.shift(datetime.timedelta(seconds=31))
        client.get(reverse("api:glossary-list"), **_auth(secret))
    assert ApiToken.objects.get().last_used_at == start + datetime.timedelta(seconds=61)


@pytest.mark.django_db
def test_a_token_over_its_rate_gets_a_429_with_retry_after_and_another_token_does_not(client, staff):
    first, second = _token(staff), _token(staff)
    url = reverse("api:glossary-list")
    with _rates(token="3/minute"):
        assert [client.get(url, **_auth(first)).status_code for _ in range(3)] == [200] * 3
        refused = client.get(url, **_auth(first))
        assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 60
        assert client.get(url, **_auth(second)).status_code == 200


@pytest.mark.django_db
def test_an_anonymous_client_over_its_rate_gets_a_429_per_address(client):
    url = reverse("api:glossary-list")
    with _rates(anonymous="2/minute"):
        assert [client.get(url).status_code for _ in range(2)] == [200, 200]
        refused = client.get(url)
        assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
        assert client.get(url, REMOTE_ADDR="192.0.2.7").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["api:track-list", "api:workstream-list", "api:glossary-list", "api:library-list"]
)
def test_rarely_changing_lists_answer_304_to_a_matching_etag(client, loaded_initiative, name):
    url = reverse(name)
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert client.get(url, HTTP_IF_NONE_MATCH='"stale"').status_code == 200


@pytest.mark.django_db
def test_an_etag_changes_when_the_list_does(client, loaded_initiative):
    from workstreams.models import GlossaryTerm

    url = reverse("api:glossary-list")
    etag = client.get(url)["ETag"]
    GlossaryTerm.objects.create(term="Zonal hosting capacity", definition="A new term.")
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


@pytest.mark.django_db
def test_lists_page_with_a_ceiling_and_order_on_request(client, loaded_initiative):
    response = client.get(reverse("api:workstream-list"), {"page_size": 2, "ordering": "-code"})
    data = response.json()
    assert len(data["results"]) == 2 and data["next"]
    codes = [w["code"] for w in data["results"]]
    assert codes == sorted(codes, reverse=True)
    assert len(client.get(reverse("api:glossary-list"), {"page_size": 10_000}).json()["results"]) <= 200


@pytest.mark.django_db
def test_a_token_of_staff_without_the_second_factor_their_role_requires_is_refused(client):
    from tests.factories import BodyMembershipFactory

    staff = BodyMembershipFactory(implementation_team=True, second_factor=False).user
    secret = _token(staff)
    response = client.get(reverse("api:glossary-list"), **_auth(secret))
    assert response.status_code == 403 and "two-factor" in response.json()["detail"]
