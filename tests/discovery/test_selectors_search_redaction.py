"""A redacted word of a published version is never findable by, nor shown in a snippet to, anyone who may
not read unredacted text — through the draft text of any version carrying it, the published copy or a
comment quoting it; staff and the committee still find it."""

import re

import pytest
from django.urls import reverse

from consultations.models import Publication, Redaction, Review
from consultations.services import publication as svc
from consultations.services import workflow as wf
from consultations.tasks.workflow import build_publication
from discovery.selectors.search import SearchParams, entry_search, hits
from tests.consultations.factories import CommentFactory
from tests.consultations.factories_workflow import deliverable_at, staff_user

SECRET = "ACME-SECRET-PRICE"


@pytest.fixture
def published(db, django_capture_on_commit_callbacks):
    staff = staff_user()
    deliverable = deliverable_at("approved", staff=staff)
    version = deliverable.approvals.get().version
    paragraph = next(p for p in version.paragraphs.all() if SECRET in p.text)
    svc.redaction_create(
        actor=staff,
        version=version,
        paragraph_key=paragraph.key,
        text=SECRET,
        reason=Redaction.Reason.COMMERCIAL,
    )
    with django_capture_on_commit_callbacks(execute=False):
        wf.deliverable_transition(actor=staff, deliverable=deliverable, name="publish")
    publication = Publication.objects.get(deliverable=deliverable)
    assert build_publication.run(publication.pk) is True
    consultation = Review.objects.public().get(version__deliverable=deliverable)
    CommentFactory(review=consultation, body=f"Why is {SECRET} so high? The vendor pilot costs too much.")
    return publication


def _search(user, q):
    entries = list(entry_search(user=user, params=SearchParams(q=q)))
    return entries, hits(entries, q=q)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "public_user", "participant"])
def test_the_redacted_word_is_not_findable_nor_in_any_snippet(roles, published, role):
    entries, found = _search(roles[role], SECRET)
    assert entries == []
    # A search for the words around it finds the published copy, whose snippet shows the notice instead.
    entries, found = _search(roles[role], "vendor pilot")
    assert ("publication", published.pk) in {(e.kind, e.object_id) for e in entries}
    for hit in found:
        assert "SECRET" not in hit.snippet and "SECRET" not in hit.title
    assert all(e.kind != "paragraph" for e in entries)  # every version carrying the word is withheld


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff", "committee_member"])
def test_staff_and_the_committee_still_find_the_original_text(roles, published, role):
    entries, found = _search(roles[role], SECRET)
    assert {e.kind for e in entries} == {"paragraph", "comment"}
    assert any(SECRET in re.sub(r"</?mark>", "", hit.snippet) for hit in found)


@pytest.mark.django_db
def test_the_search_page_and_api_never_carry_the_redacted_word(client, published):
    assert b"0 results for" in client.get(reverse("discovery:search"), {"q": SECRET}).content
    assert client.get(reverse("api:search"), {"q": SECRET}).json()["count"] == 0
    for url in [reverse("discovery:search"), reverse("api:search")]:
        for q in ["vendor pilot", "pilot", "vendor"]:
            response = client.get(url, {"q": q})
            assert response.status_code == 200
            assert SECRET.encode() not in response.content, (url, q)
    assert b"Redacted" in client.get(reverse("discovery:search"), {"q": "vendor pilot"}).content


@pytest.mark.django_db
def test_withheld_words_for_every_deliverable_match_the_per_deliverable_service(published):
    from consultations.selectors.search import withheld_by_deliverable

    assert withheld_by_deliverable() == {
        published.deliverable_id: [
            w.phrase for w in svc.withheld_phrases(deliverable_id=published.deliverable_id)
        ]
    }
    assert withheld_by_deliverable()[published.deliverable_id] == [SECRET]
