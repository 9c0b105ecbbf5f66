"""The API tokens section of the account page: create (secret shown once), see the last use, revoke;
htmx swaps the section, plain POSTs work without JavaScript."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from initiative.models import ApiToken

pytestmark = pytest.mark.django_db


def _create(client, *, htmx=False, **data):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    form = {"name": "Queue sync", "scope": "read", "lifetime_days": "90"} | data
    return client.post(reverse("initiative:api-token-create"), form, **headers)


def test_creating_a_token_shows_its_secret_once_read_only_by_default(client, public_user):
    client.force_login(public_user)
    response = _create(client, scope="")  # nothing chosen: refused, the form says why
    assert response.status_code == 422 and not ApiToken.objects.exists()
    response = _create(client)
    assert response.status_code == 201
    html = response.content.decode()
    token = ApiToken.objects.get(user=public_user)
    secret = html.split('id="new-api-token" type="text" readonly value="')[1].split('"')[0]
    assert secret.startswith(token.token_key) and len(secret) > 60
    assert "shown only this once" in html and token.scope == "read" and token.name == "Queue sync"
    assert token.expiry.date() == (timezone.now() + datetime.timedelta(days=90)).date()
    page = client.get(reverse("initiative:account")).content.decode()
    assert "Queue sync" in page and secret not in page and "Never used" in page


def test_htmx_swaps_only_the_tokens_section_and_write_scope_is_explicit(client, public_user):
    client.force_login(public_user)
    response = _create(client, htmx=True, scope="write", name="Docket bot")
    html = response.content.decode()
    assert response.status_code == 201 and html.lstrip().startswith('<section id="api-tokens"')
    assert "<h1" not in html and "Read and write" in html
    assert response["Vary"] and "HX-Request" in response["Vary"]
    assert ApiToken.objects.get().scope == "write"


def test_the_page_shows_when_a_token_was_last_used(client, public_user):
    client.force_login(public_user)
    _create(client)
    secret_page = _create(client, name="Second").content.decode()
    secret = secret_page.split('id="new-api-token" type="text" readonly value="')[1].split('"')[0]
    used_at = (timezone.now() + datetime.timedelta(days=10)).replace(hour=15, minute=30)
    with time_machine.travel(used_at, tick=False):
        client.get(reverse("api:glossary-list"), HTTP_AUTHORIZATION=f"Bearer {secret}")
    page = client.get(reverse("initiative:account")).content.decode()
    local = timezone.localtime(used_at)
    assert local.strftime("%b %-d, %Y %H:%M") in page
    assert page.count("Never used") == 1  # the first token was never used


def test_revoking_by_plain_post_and_by_htmx(client, public_user):
    client.force_login(public_user)
    _create(client, name="One")
    _create(client, name="Two")
    one, two = ApiToken.objects.get(name="One"), ApiToken.objects.get(name="Two")
    response = client.post(reverse("initiative:api-token-revoke", args=[one.token_key]))
    assert response.status_code == 302 and not ApiToken.objects.filter(name="One").exists()
    response = client.post(
        reverse("initiative:api-token-revoke", args=[two.token_key]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and "You have no API token." in response.content.decode()


def test_nobody_revokes_or_sees_someone_elses_token(client, public_user, staff):
    client.force_login(staff)
    _create(client, name="Staff token")
    token = ApiToken.objects.get()
    client.force_login(public_user)
    assert "Staff token" not in client.get(reverse("initiative:account")).content.decode()
    assert client.post(reverse("initiative:api-token-revoke", args=[token.token_key])).status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()
    client.logout()
    assert _create(client).status_code == 302  # to the log-in page
