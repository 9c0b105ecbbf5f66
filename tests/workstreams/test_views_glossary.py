"""The glossary pages: the list with status filter, a term's history, proposing through the page, staff
transitions through the page, and the CSV and JSON downloads of the agreed glossary."""

import csv
import io
import json

import pytest
from django.urls import reverse

from initiative.models import AuditEvent
from tests.workstreams.factories import GlossaryTermFactory
from workstreams.models import GlossaryTerm, TermStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def glossary():
    return {
        "agreed": GlossaryTermFactory(term="Hosting capacity", slug="hosting-capacity"),
        "formula": GlossaryTermFactory(term="=HYPERLINK(1)", slug="formula", definition="@SUM(A1)"),
        "proposed": GlossaryTermFactory(term="Tier bypassing", slug="tier", status=TermStatus.PROPOSED),
        "retired": GlossaryTermFactory(term="Old word", slug="old-word", status=TermStatus.RETIRED),
    }


def test_csv_download_holds_the_agreed_terms_with_formulas_neutralized(client, glossary):
    response = client.get(reverse("workstreams:glossary-download", args=["csv"]))
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="glossary.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["term", "abbreviation", "kind", "status", "definition", "agreed_at", "url"]
    by_term = {r[0]: r for r in rows[1:]}
    assert set(by_term) == {"'=HYPERLINK(1)", "Hosting capacity"}
    assert by_term["'=HYPERLINK(1)"][4] == "'@SUM(A1)"
    assert by_term["Hosting capacity"][6] == "http://testserver/glossary/hosting-capacity/"


def test_json_download_holds_the_agreed_terms(client, glossary):
    response = client.get(reverse("workstreams:glossary-download", args=["json"]))
    assert response["Content-Type"] == "application/json"
    terms = json.loads(response.content)["terms"]
    assert [t["term"] for t in terms] == ["=HYPERLINK(1)", "Hosting capacity"]
    assert terms[1]["definition"] == "What Hosting capacity means." and terms[1]["status"] == "agreed"


def test_the_list_shows_every_status_and_filters_by_one(client, glossary):
    page = client.get(reverse("workstreams:glossary")).content.decode()
    assert "Tier bypassing" in page and "Proposed" in page and "Old word" in page
    page = client.get(reverse("workstreams:glossary"), {"status": "proposed"}).content.decode()
    assert "Tier bypassing" in page and "Hosting capacity" not in page


def test_the_term_page_shows_the_history_and_offers_transitions_to_staff_only(
    client, glossary, staff, participant
):
    term = glossary["proposed"]
    url = term.get_absolute_url()
    client.force_login(participant)
    page = client.get(url).content.decode()
    assert "Wording 1" in page and "Mark agreed" not in page and "Comment on wording 1" in page
    client.force_login(staff)
    page = client.get(url).content.decode()
    assert "Mark agreed" in page and "Open for discussion" in page and "Retire" in page


def test_a_participant_proposes_through_the_page_and_may_not_agree(client, participant):
    client.force_login(participant)
    response = client.post(
        reverse("workstreams:glossary-propose"),
        {"term": "Flexible interconnection", "kind": "term", "definition": "Limits that change."},
    )
    term = GlossaryTerm.objects.get(term="Flexible interconnection")
    assert response.status_code == 302 and response["Location"] == term.get_absolute_url()
    assert term.status == TermStatus.PROPOSED
    response = client.post(reverse("workstreams:glossary-transition", args=[term.slug, "agree"]))
    assert response.status_code == 403
    term.refresh_from_db()
    assert term.status == TermStatus.PROPOSED


def test_the_public_may_not_propose(client, public_user):
    client.force_login(public_user)
    assert client.get(reverse("workstreams:glossary-propose")).status_code == 403


def test_staff_agree_a_wording_through_the_page_with_a_reason(client, staff, glossary):
    term = glossary["proposed"]
    client.force_login(staff)
    response = client.post(
        reverse("workstreams:glossary-transition", args=[term.slug, "agree"]),
        {"definition": term.definitions.get().pk, "reason": "Agreed on the May call"},
    )
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.status == TermStatus.AGREED
    assert AuditEvent.objects.get(action="glossary_term.agree").reason == "Agreed on the May call"
    # An illegal move through the page says why and changes nothing.
    response = client.post(
        reverse("workstreams:glossary-transition", args=[term.slug, "discuss"]), follow=True
    )
    assert "cannot be moved that way" in response.content.decode()


def test_comments_go_to_the_wording_they_are_about(client, participant, glossary):
    term = glossary["proposed"]
    client.force_login(participant)
    wording = term.definitions.get()
    client.post(
        reverse("workstreams:glossary-comment", args=[term.slug]),
        {"definition": wording.pk, "body": "Narrow"},
    )
    assert wording.comments.get().body == "Narrow"
    assert "Narrow" in client.get(term.get_absolute_url()).content.decode()
