"""Publication with redactions: the redacted words never reach the public HTML, PDF or API; the PDF
opens and carries the title; the original stays visible to staff and the committee only."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from pypdf import PdfReader

from consultations import rendering
from consultations.models import Publication, Redaction
from consultations.services import publication as svc
from consultations.services import workflow as wf
from consultations.tasks.workflow import build_publication
from tests.consultations.factories_workflow import deliverable_at, staff_user
from tests.oncommit import queued_tasks

SECRET = "ACME-SECRET-PRICE"


def _cost_paragraph(version):
    return next(p for p in version.paragraphs.all() if SECRET in p.text)


@pytest.fixture
def published(db, django_capture_on_commit_callbacks):
    staff = staff_user()
    deliverable = deliverable_at("approved", staff=staff)
    version = deliverable.approvals.get().version
    svc.redaction_create(
        actor=staff,
        version=version,
        paragraph_key=_cost_paragraph(version).key,
        text=SECRET,
        reason=Redaction.Reason.COMMERCIAL,
        note="Vendor quote under NDA",
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        wf.deliverable_transition(actor=staff, deliverable=deliverable, name="publish")
    # queued after commit: the rendering of the publication, and its notification to followers
    queued = queued_tasks(callbacks)
    assert queued == ["consultations.build_publication", "initiative.fan_out_notification"]
    publication = Publication.objects.get(deliverable=deliverable)
    assert (
        publication.rendered_at is None
        and not Publication.objects.public().filter(pk=publication.pk).exists()
    )
    assert build_publication.run(publication.pk) is True
    publication.refresh_from_db()
    return publication, staff


@pytest.mark.django_db
def test_published_html_and_pdf_replace_the_span_with_a_notice(published):
    publication, _ = published
    assert publication.rendered_at is not None
    assert SECRET not in publication.html and SECRET not in publication.body
    assert "[Redacted — Commercial]" in publication.html
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(bytes(publication.pdf))).pages)
    assert publication.title in text
    assert SECRET not in text
    assert "Redacted" in text
    assert "hosting capacity data" in text  # the rest is there


@pytest.mark.django_db
def test_public_pages_and_api_never_show_the_redacted_text(client, published):
    publication, _ = published
    urls = [
        reverse("consultations:library"),
        reverse("consultations:publication-detail", args=[publication.pk]),
        reverse("consultations:publication-pdf", args=[publication.pk]),
        reverse("api:library-list"),
        reverse("api:library-detail", args=[publication.pk]),
        reverse("consultations:decision-detail", args=[publication.approval_id]),
        reverse("consultations:decision-list"),
        reverse("api:decision-list"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert SECRET.encode() not in response.content, url
    detail = client.get(reverse("api:library-detail", args=[publication.pk])).json()
    assert "[Redacted — Commercial]" in detail["html"]
    assert detail["citation"] and detail["decision_url"].endswith(f"/decisions/{publication.approval_id}/")


@pytest.mark.django_db
def test_original_is_for_staff_and_committee_only(client, published, roles):
    publication, _ = published
    url = reverse("consultations:publication-original", args=[publication.pk])
    for role in ["staff", "committee_member"]:
        client.force_login(roles[role])
        response = client.get(url)
        assert response.status_code == 200 and SECRET.encode() in response.content
    for role in ["public_user", "participant"]:
        client.force_login(roles[role])
        assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


@pytest.mark.django_db
def test_a_published_copy_never_changes(published):
    publication, staff = published
    version = publication.version
    with pytest.raises(svc.RedactionError, match="published"):
        svc.redaction_create(
            actor=staff,
            version=version,
            paragraph_key=version.paragraphs.first().key,
            text="utility",
            reason="privacy",
        )
    before = (publication.html, bytes(publication.pdf))
    assert build_publication.run(publication.pk) is False  # redelivered: renders nothing again
    publication.refresh_from_db()
    assert (publication.html, bytes(publication.pdf)) == before


@pytest.mark.django_db
def test_a_correction_is_a_new_version_through_the_workflow(published):
    publication, staff = published
    deliverable = publication.deliverable
    wf.deliverable_transition(actor=staff, deliverable=deliverable, name="start_correction", reason="Typo")
    deliverable.refresh_from_db()
    assert deliverable.stage == "drafting"
    assert Publication.objects.public().filter(pk=publication.pk).exists()  # stays in the library


@pytest.mark.django_db
def test_redactions_need_an_approved_version_and_staff(roles):
    deliverable = deliverable_at("revising")
    version = deliverable.versions.first()
    with pytest.raises(svc.RedactionError, match="approved"):
        svc.redaction_create(
            actor=roles["staff"],
            version=version,
            paragraph_key=_cost_paragraph(version).key,
            text=SECRET,
            reason="security",
        )
    for role in ["committee_member", "participant", "public_user"]:
        with pytest.raises(PermissionDenied):
            svc.redaction_create(
                actor=roles[role], version=version, paragraph_key="x", text="y", reason="security"
            )


@pytest.mark.django_db
def test_overlapping_or_missing_spans_are_refused():
    staff = staff_user()
    deliverable = deliverable_at("approved", staff=staff)
    version = deliverable.approvals.get().version
    key = _cost_paragraph(version).key
    svc.redaction_create(actor=staff, version=version, paragraph_key=key, text=SECRET, reason="commercial")
    with pytest.raises(svc.RedactionError, match="overlaps"):
        svc.redaction_create(actor=staff, version=version, paragraph_key=key, text="SECRET", reason="privacy")
    with pytest.raises(svc.RedactionError, match="does not appear"):
        svc.redaction_create(
            actor=staff, version=version, paragraph_key=key, text="not in there", reason="privacy"
        )


def test_pdf_fetcher_refuses_files_and_the_network():
    fetcher = rendering.RefusingURLFetcher()
    html = (
        '<h1>Title here</h1><img src="file:///etc/passwd"><img src="http://127.0.0.1:9/x.png">'
        '<link rel="stylesheet" href="https://example.org/x.css">'
    )
    pdf = rendering.pdf_from_html(html, fetcher=fetcher)
    assert pdf.startswith(b"%PDF")
    assert set(fetcher.refused) == {
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.png",
        "https://example.org/x.css",
    }
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Title here" in text and "root:" not in text


def test_rebuild_keeps_order_drops_the_title_heading_and_applies_spans():
    from consultations import redaction

    sections = [(0, 1, "Report"), (1, 2, "Costs"), (2, 2, "Empty"), (3, 2, "Tail")]
    paragraphs = [
        ("p1", None, "Before any heading."),
        ("p2", 0, "Intro."),
        ("p3", 1, "Price is 42 dollars."),
        ("p4", 3, "End."),
    ]
    spans = {"p3": [redaction.Span(9, 11, "[Redacted — Commercial]")]}
    out = redaction.rebuild(sections, paragraphs, spans, title="Report")
    assert out == (
        "Before any heading.\n\nIntro.\n\n### Costs\n\nPrice is \\[Redacted — Commercial\\] dollars."
        "\n\n### Empty\n\n### Tail\n\nEnd.\n"
    )


@pytest.mark.django_db
def test_the_consultation_summary_and_matrix_mask_the_redacted_words(client, published):
    """The public consultation's summary and matrix quote the start of each paragraph: the redacted
    words are replaced there too, and the rest of the paragraph stays."""
    publication, _ = published
    review = publication.version.reviews.get(kind="public_consultation")
    for url in [
        reverse("consultations:review-summary", args=[review.pk]),
        reverse("consultations:matrix", args=[review.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"ACME-SECRET" not in response.content, url
        assert "The vendor quoted [Redacted — Commercial]".encode() in response.content, url


@pytest.mark.django_db
def test_publishing_is_refused_while_the_redacted_words_appear_elsewhere_unredacted():
    """Staff redact the price in one paragraph but it is quoted again in another: publishing would put
    the words in the public copy, so it is refused until every occurrence is redacted."""
    from tests.consultations.factories_workflow import drive
    from tests.factories import DeliverableFactory

    staff = staff_user()
    body = (
        "# Scope\n\nThe vendor quoted ACME-SECRET-PRICE for the pilot.\n\n"
        "## Costs\n\nAgain: ACME-SECRET-PRICE is the figure.\n"
    )
    deliverable = drive(DeliverableFactory(is_key=True), "approved", staff=staff, body=body)
    version = deliverable.approvals.get().version
    first, second = [p for p in version.paragraphs.order_by("order") if SECRET in p.text]
    svc.redaction_create(
        actor=staff, version=version, paragraph_key=first.key, text=SECRET, reason="commercial"
    )
    with pytest.raises(wf.TransitionInputError, match="ACME-SECRET-PRICE"):
        wf.deliverable_transition(actor=staff, deliverable=deliverable, name="publish")
    deliverable.refresh_from_db()
    assert deliverable.stage == "approved" and not Publication.objects.filter(version=version).exists()
    svc.redaction_create(
        actor=staff, version=version, paragraph_key=second.key, text=SECRET, reason="commercial"
    )
    wf.deliverable_transition(actor=staff, deliverable=deliverable, name="publish")
    publication = Publication.objects.get(version=version)
    assert build_publication.run(publication.pk) is True
    publication.refresh_from_db()
    assert SECRET not in publication.html and publication.html.count("[Redacted — Commercial]") == 2


@pytest.mark.django_db
def test_the_consultations_list_links_the_public_to_the_masked_draft(client, published, roles):
    """A closed consultation of a redacted version stays listed and linked: the public reads its draft
    with the redacted words masked (the list says so); staff keep the link too."""
    publication, _ = published
    draft_url = reverse(
        "consultations:draft-detail", args=[publication.deliverable_id, publication.version.number]
    )
    response = client.get(reverse("consultations:consultation-list"))
    assert response.status_code == 200
    assert draft_url.encode() in response.content
    assert "some words masked since its publication" in response.content.decode()
    draft = client.get(draft_url)
    assert draft.status_code == 200 and SECRET.encode() not in draft.content
    client.force_login(roles["staff"])
    assert draft_url.encode() in client.get(reverse("consultations:consultation-list")).content


def _sign_up(client, email: str, ip: str = "198.51.100.20"):
    return client.post(reverse("consultations:list-subscribe"), {"email": email}, REMOTE_ADDR=ip)


@pytest.mark.django_db
def test_one_address_gets_a_few_confirmation_emails_then_a_429(client, mailoutbox, settings, private_cache):
    """The mailing-list sign-up sends a confirmation email per request: one address gets a few, then a
    429 that says why, whatever network the requests come from."""
    settings.MAILING_LIST_SIGNUP_RATE_PER_ADDRESS = "3/h"
    statuses = [_sign_up(client, "Victim@Example.org", ip=f"203.0.113.{n}").status_code for n in range(12)]
    assert statuses[:3] == [302] * 3 and set(statuses[3:]) == {429}
    assert len(mailoutbox) == 3
    refused = _sign_up(client, "victim@example.org", ip="203.0.113.99")
    assert "Too many confirmation emails requested" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    assert _sign_up(client, "someone-else@example.org").status_code == 302  # other addresses still can


@pytest.mark.django_db
def test_one_client_gets_a_few_sign_ups_then_a_429(client, mailoutbox, settings, private_cache):
    """One client signing up many addresses is refused after ten an hour; another client is not."""
    settings.MAILING_LIST_SIGNUP_RATE = "10/h"
    statuses = [_sign_up(client, f"reader{n}@example.org").status_code for n in range(12)]
    assert statuses[:10] == [302] * 10 and statuses[10:] == [429, 429]
    assert len(mailoutbox) == 10
    assert _sign_up(client, "reader99@example.org", ip="198.51.100.21").status_code == 302
