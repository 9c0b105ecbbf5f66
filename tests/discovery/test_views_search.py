"""The header's search box on every page, the results page (filters, pagination, highlighted snippets)
and the same search in the API, documented in the schema; query counts do not grow with the data."""

import pytest
from django.urls import reverse

from tests.consultations.factories import ReviewFactory, bulk_comments, make_version
from workstreams.models import GlossaryTerm


@pytest.mark.django_db
def test_every_page_has_a_labelled_search_landmark_in_the_header(client):
    html = client.get(reverse("consultations:library")).content.decode()
    header = html[html.index("<header") : html.index("</header>")]
    assert 'role="search"' in header and 'aria-label="Site search"' in header
    assert '<label class="usa-sr-only" for="site-search-q">Search the initiative</label>' in header
    assert f'action="{reverse("discovery:search")}"' in header


@pytest.mark.django_db
def test_results_page_ranks_highlights_and_keeps_the_query_in_the_box(client):
    GlossaryTerm.objects.create(term="Capybara", definition="A large rodent.")
    GlossaryTerm.objects.create(term="Rodent", definition="Such as the capybara.")
    response = client.get(reverse("discovery:search"), {"q": "capybara"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 results for “capybara”" in html
    assert html.index("<mark>Capybara</mark>") < html.index("Such as the <mark>capybara</mark>")
    assert 'value="capybara"' in html
    assert html.count("<h1") == 1


@pytest.mark.django_db
def test_no_query_shows_help_and_no_results(client):
    response = client.get(reverse("discovery:search"))
    assert response.status_code == 200 and b"Type words to find" in response.content


@pytest.mark.django_db
def test_filters_and_pagination_keep_the_other_parameters(client):
    review = ReviewFactory()
    bulk_comments(review, 45, body="Bulk remark about tapirs.")
    url = reverse("discovery:search")
    first = client.get(url, {"q": "tapirs", "kind": "comment"}).content.decode()
    assert "45 results" in first and "Page 1 of 3" in first
    assert "?q=tapirs&amp;kind=comment&amp;page=2" in first
    assert "Page 3 of 3" in client.get(url, {"q": "tapirs", "kind": "comment", "page": 3}).content.decode()
    assert "0 results" in client.get(url, {"q": "tapirs", "kind": "glossary"}).content.decode()


@pytest.mark.django_db
def test_an_invalid_filter_is_reported_not_a_server_error(client):
    response = client.get(
        reverse("discovery:search"),
        {"q": "x", "date_from": "2026-02-30", "workstream": "abc", "kind": "nope"},
    )
    assert response.status_code == 200
    assert b"usa-error-message" in response.content
    api = client.get(reverse("api:search"), {"q": "x", "date_from": "2026-03-10", "date_to": "2026-03-01"})
    assert api.status_code == 400 and "date_to" in api.json()["errors"]
    assert client.get(reverse("api:search")).status_code == 400


@pytest.mark.django_db
def test_query_count_does_not_grow_with_matches(client, django_assert_max_num_queries, staff):
    review = ReviewFactory(version=make_version(body="# Intro\n\nLemur paragraph.\n"))
    bulk_comments(review, 5, body="A lemur comment.")
    client.force_login(staff)
    url = reverse("discovery:search")
    with django_assert_max_num_queries(14) as small:
        client.get(url, {"q": "lemur"})
    bulk_comments(review, 200, body="Another lemur comment.")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url, {"q": "lemur"})
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("api:search"), {"q": "lemur"})


@pytest.mark.django_db
def test_api_returns_paginated_hits_with_the_same_visibility(client):
    GlossaryTerm.objects.create(term="Axolotl", definition="An <em>amphibian</em>.")
    data = client.get(reverse("api:search"), {"q": "axolotl", "kind": "glossary"}).json()
    assert data["count"] == 1
    [hit] = data["results"]
    assert hit["kind"] == "glossary" and hit["title"] == "<mark>Axolotl</mark>"
    assert hit["url"].startswith(reverse("workstreams:glossary"))
    assert "<em>" not in hit["snippet"]


@pytest.mark.django_db
def test_schema_documents_the_search_operation(client):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/search/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {
        "q",
        "kind",
        "workstream",
        "date_from",
        "date_to",
        "page",
    }
    assert {"200", "400"} <= set(operation["responses"])  # and the errors every operation documents


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["active_member", "feedback_provider"])
def test_session_minutes_are_found_by_active_members_not_feedback_providers(client, role):
    """A feedback provider of the workstream is enrolled but outside its members' area: neither the
    results page nor the API finds its sessions' minutes (the session itself stays public)."""
    from tests.factories import EnrollmentFactory
    from tests.workstreams.factories import SessionFactory

    session = SessionFactory(title="Planning call", minutes="We chose the wombat option.")
    client.force_login(EnrollmentFactory(workstream=session.workstream, role=role).user)
    page = client.get(reverse("discovery:search"), {"q": "wombat"})
    api = client.get(reverse("api:search"), {"q": "wombat"}).json()
    assert page.status_code == 200
    if role == "active_member":
        assert b"<mark>wombat</mark>" in page.content
        assert session.get_absolute_url().encode() in page.content
        assert [h["kind"] for h in api["results"]] == ["minutes"]
    else:
        assert b"<mark>wombat</mark>" not in page.content
        assert session.get_absolute_url().encode() not in page.content
        assert api["count"] == 0
        assert client.get(reverse("api:search"), {"q": "planning call"}).json()["count"] == 1
