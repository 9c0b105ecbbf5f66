"""The draft page's text and a paragraph's page of comments come from the cache when nothing they show
has changed, and never show a reader what is not theirs: every write shows at once, each kind of reader
gets its own copy, and each copy's forms carry the reader's own CSRF token."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations.models import Disposition
from consultations.services import comments as services
from tests.consultations.factories import ReviewFactory, make_version
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

BODY = "# Planning\n\nForecasts of DER adoption are rarely shared.\n\nHosting capacity maps are stale.\n"


@pytest.fixture
def review():
    return ReviewFactory(version=make_version(body=BODY))


@pytest.fixture
def key(review):
    return review.version.paragraphs.first().key


def panel(client, review, key):
    url = reverse(
        "consultations:paragraph-comments", args=[review.version.deliverable_id, review.version.number, key]
    )
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_a_second_read_of_the_same_page_of_comments_skips_the_comment_queries(client, review, key):
    services.comment_create(actor=UserFactory(verified=True), review=review, body="First.", paragraph_key=key)
    html, first = panel(client, review, key)
    again, second = panel(client, review, key)
    assert again == html and "First." in again
    assert second < first  # the page of comments, its replies and attachments are not read again


def test_every_change_to_what_a_list_shows_is_seen_on_the_next_read(client, staff, review, key):
    author, replier = UserFactory(verified=True, full_name="Ana Author"), UserFactory(verified=True)
    comment = services.comment_create(actor=author, review=review, body="Publish maps.", paragraph_key=key)
    assert "Publish maps." in panel(client, review, key)[0]

    services.comment_reply(actor=replier, parent=comment, body="Monthly, please.")
    assert "Monthly, please." in panel(client, review, key)[0]

    services.comment_dispose(
        actor=staff, comment=comment, disposition=Disposition.ACCEPTED, response="Done in version 2."
    )
    assert "Done in version 2." in panel(client, review, key)[0]

    author.full_name = "Ana Renamed"
    author.save()
    assert "Ana Renamed" in panel(client, review, key)[0]

    services.comment_hide(actor=staff, comment=comment, reason="Off topic")
    assert "Publish maps." not in panel(client, review, key)[0]


def test_a_moderators_copy_never_reaches_the_public_nor_the_publics_a_moderator(client, staff, review, key):
    comment = services.comment_create(
        actor=UserFactory(verified=True), review=review, body="Rude words.", paragraph_key=key
    )
    services.comment_hide(actor=staff, comment=comment, reason="Abusive")
    public_first, _ = panel(client, review, key)
    moderator = Client()
    moderator.force_login(staff)
    seen_by_staff, _ = panel(moderator, review, key)
    public_again, _ = panel(Client(), review, key)
    assert "Rude words." in seen_by_staff and "Show this comment again" in seen_by_staff
    assert "Rude words." not in public_first and "Rude words." not in public_again


def test_a_cached_list_carries_each_readers_own_csrf_token(review, key):
    """Two participants read the same page of comments, the second from the cache; each replies with
    the token in the page they got, and Django's CSRF check accepts both."""
    comment = services.comment_create(
        actor=UserFactory(verified=True), review=review, body="Share forecasts.", paragraph_key=key
    )
    for n in range(2):
        reader = Client(enforce_csrf_checks=True)
        reader.force_login(UserFactory(verified=True))
        html, _ = panel(reader, review, key)
        reply_url = reverse("consultations:comment-reply", args=[comment.pk])
        form = html[html.index(f'action="{reply_url}"') :]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
        response = reader.post(
            reply_url,
            {"csrfmiddlewaretoken": token, "body": f"Agreed ({n})."},
        )
        assert response.status_code == 302, response.status_code
    assert comment.replies.count() == 2


def test_the_draft_text_is_rendered_once_and_its_counts_follow_the_comments(client, review, key):
    url = reverse("consultations:draft-detail", args=[review.version.deliverable_id, review.version.number])
    first = client.get(url)
    again = client.get(url)
    assert "consultations/drafts/_article.html" in [t.name for t in first.templates]
    assert "consultations/drafts/_article.html" not in [t.name for t in again.templates]
    assert again.content.decode().count("Forecasts of DER adoption") == 1

    services.comment_create(actor=UserFactory(verified=True), review=review, body="Yes.", paragraph_key=key)
    after = client.get(url).content.decode()
    button = after[after.index(f'id="comments-button-{key}"') :]
    assert re.search(r'<span class="usa-tag">1</span>\s*comment\b', button)


def test_a_cached_comment_form_offers_each_reader_only_their_own_organization(review, key):
    member = UserFactory(verified=True, organization=OrganizationFactory(name="Gridworks Co-op"))
    other = UserFactory(verified=True, organization=OrganizationFactory(name="Sunny Utility"))
    alone = UserFactory(verified=True)
    seen = {}
    for user in (member, other, alone, member):
        reader = Client()
        reader.force_login(user)
        seen[user.pk] = panel(reader, review, key)[0]
    assert "on behalf of Gridworks Co-op" in seen[member.pk] and "Sunny Utility" not in seen[member.pk]
    assert "on behalf of Sunny Utility" in seen[other.pk] and "Gridworks" not in seen[other.pk]
    assert "on behalf of" not in seen[alone.pk] and 'name="c-' in seen[alone.pk]


@pytest.fixture
def read_cache(private_cache, settings):
    settings.READ_CACHE_SECONDS = 600


def test_a_cached_comment_form_shows_a_new_question_and_a_renamed_organization_on_the_next_read(
    read_cache, review, key
):
    from workstreams.models import IllustrativeQuestion

    organization = OrganizationFactory(name="Gridworks Co-op")
    reader = Client()
    reader.force_login(UserFactory(verified=True, organization=organization))
    first = panel(reader, review, key)[0]
    assert "on behalf of Gridworks Co-op" in first and "Who pays for upgrades?" not in first
    assert panel(reader, review, key)[0].count('name="c-') == first.count('name="c-')  # from the cache
    IllustrativeQuestion.objects.create(
        workstream=review.version.deliverable.workstream, number=7, text="Who pays for upgrades?"
    )
    assert "Who pays for upgrades?" in panel(reader, review, key)[0]
    organization.name = "Gridworks Cooperative"
    organization.save()
    assert "on behalf of Gridworks Cooperative" in panel(reader, review, key)[0]


def test_the_fresh_form_after_a_comment_comes_from_the_cache_with_the_senders_csrf_token(
    read_cache, review, key
):
    reader = Client(enforce_csrf_checks=True)
    reader.force_login(UserFactory(verified=True))
    panel(reader, review, key)  # the fresh form cached, with this reader's token in it
    token = reader.cookies["csrftoken"].value
    response = reader.post(
        reverse("consultations:comment-create", args=[review.version.deliverable_id, 1]),
        {"key": key, f"c-{key}-paragraph_key": key, f"c-{key}-body": "A point."},
        headers={"HX-Request": "true", "X-CSRFToken": token},
    )
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith(f'<form id="comment-form-{key}"')
    assert "A point." not in html.split("</form>")[0]
    sent = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    second = Client(enforce_csrf_checks=True)
    second.cookies = reader.cookies  # the same browser posting the form it was given
    assert (
        second.post(
            reverse("consultations:comment-create", args=[review.version.deliverable_id, 1]),
            {
                "key": key,
                f"c-{key}-paragraph_key": key,
                f"c-{key}-body": "Another.",
                "csrfmiddlewaretoken": sent,
            },
        ).status_code
        == 302
    )
