"""Agreed glossary terms linked in rendered drafts and publications: the first use per section, as a
whole word, never inside code, headings, links or redacted text, with the definition given to screen
readers; the stored text never changes."""

import re

import pytest
from django.urls import reverse

from consultations.termlinks import TermLinker
from initiative import markdown
from tests.workstreams.factories import GlossaryTermFactory
from workstreams.models import GlossaryTerm, TermStatus
from workstreams.selectors.glossary import agreed_term_index, build_index

pytestmark = pytest.mark.django_db

DER_URL = "/glossary/distributed-energy-resources-ders/"


def terms():
    return [
        GlossaryTerm(
            term="Distributed energy resources (DERs)",
            slug="distributed-energy-resources-ders",
            definition="Generation, storage and responsive load on the distribution system.",
            kind="term",
        ),
        GlossaryTerm(term="DER", slug="der", definition="Distributed energy resource", kind="abbreviation"),
        GlossaryTerm(
            term="Distribution system operator",
            slug="dso-term",
            abbreviation="DSO",
            definition='Operates the distribution system <safely> & "reliably".',
        ),
        GlossaryTerm(term="Hosting capacity", slug="hosting-capacity", definition="How much DER fits."),
    ]


def linker(**kwargs):
    return TermLinker(index=build_index(terms()), **kwargs)


def render(text, **kwargs):
    return str(linker(**kwargs).link(markdown.render(text)))


def links(html):
    return re.findall(r'<a class="glossary-link" href="([^"]+)"[^>]*>([^<]+)</a>', html)


def test_the_first_use_in_a_paragraph_is_linked_and_the_definition_is_given_to_screen_readers():
    html = render("A DER here and a DER there.")
    assert links(html) == [("/glossary/der/", "DER")]
    ident = re.search(r'aria-describedby="([^"]+)"', html)[1]
    hidden = re.search(rf'<span id="{ident}" hidden>([^<]+)</span>', html)
    assert hidden and hidden[1] == "DER: Distributed energy resource"
    assert html.count("DER") == 3  # the two uses and the hidden definition's name: nothing lost


def test_a_term_and_its_abbreviation_link_to_the_same_entry_and_only_once():
    html = render("Distributed energy resources grow. DERs are everywhere.")
    assert links(html) == [(DER_URL, "Distributed energy resources")]
    html = render("DERs are everywhere, and so are distributed energy resources.")
    assert links(html) == [(DER_URL, "DERs")]


def test_a_term_given_with_an_abbreviation_field_is_found_by_it():
    assert links(render("The DSO decides.")) == [("/glossary/dso-term/", "DSO")]


def test_abbreviations_match_in_their_own_case_and_terms_in_any_case():
    assert links(render("the der is lower case")) == []
    assert links(render("HOSTING CAPACITY maps")) == [("/glossary/hosting-capacity/", "HOSTING CAPACITY")]


def test_never_a_term_inside_another_word():
    html = render("DERMS, underDER, border, DER_x, pre-DER and hosting capacityfoo are not terms.")
    assert links(html) == []


def test_nothing_inside_code_spans_code_blocks_headings_or_existing_links():
    text = (
        "## DER adoption\n\n"
        "Use `DER` in code.\n\n"
        "```\nDER block\n```\n\n"
        "    DER indented code\n\n"
        "See [DER facts](https://example.org/der) and [Hosting capacity](https://example.org).\n"
    )
    html = render(text)
    assert links(html) == []
    assert "<h2>DER adoption</h2>" in html
    assert "<code>DER</code>" in html


def test_a_heading_starts_a_new_section_where_the_term_is_linked_again():
    html = render("A DER.\n\nAnother DER.\n\n## Next\n\nA DER again.")
    assert links(html) == [("/glossary/der/", "DER"), ("/glossary/der/", "DER")]


def test_a_redaction_notice_and_withheld_words_are_never_linked():
    html = render(r"The \[Redacted — DER pricing\] stays. Later a DER.")
    assert "[Redacted — DER pricing]" in html
    assert links(html) == [("/glossary/der/", "DER")]
    assert html.index("glossary-link") > html.index("[Redacted")
    # A reader who may see the original reads the withheld words; they stay unlinked too.
    from consultations.redaction import Withheld

    html = render("Our DER tariff secret. Hosting capacity.", withheld=[Withheld("DER tariff secret", "x")])
    assert links(html) == [("/glossary/hosting-capacity/", "Hosting capacity")]


def test_text_inside_emphasis_is_linked_and_markup_and_entities_are_kept():
    html = render("**DER** & <b>raw</b> 5 < 6")
    assert '<strong><a class="glossary-link" href="/glossary/der/"' in html
    assert "&amp;" in html and "&lt;b&gt;raw&lt;/b&gt;" in html and "5 &lt; 6" in html


def test_definitions_are_escaped_in_the_title_and_the_hidden_text():
    html = render("The DSO acts.")
    assert 'title="Operates the distribution system &lt;safely&gt; &amp; &quot;reliably&quot;."' in html
    assert "<safely>" not in html


def test_html_without_any_term_is_returned_unchanged():
    source = markdown.render("Nothing to see, `code` and *emphasis* &amp; more.")
    assert str(linker().link(source)) == str(source)


def test_only_agreed_terms_are_in_the_index_and_agreement_rebuilds_it(
    django_capture_on_commit_callbacks,
):
    """The index is built once per glossary revision; agreeing a term through the service replaces the
    revision after commit, so the next render links it; retiring it unlinks it."""
    from tests.factories import BodyMembershipFactory
    from workstreams.services import glossary as services

    GlossaryTermFactory(term="Hosting capacity", slug="hosting-capacity")
    proposed = GlossaryTermFactory(term="Flexible interconnection", slug="flex", status=TermStatus.PROPOSED)
    text = markdown.render("Hosting capacity and flexible interconnection.")
    assert [t for _u, t in links(str(TermLinker().link(text)))] == ["Hosting capacity"]
    assert agreed_term_index() is agreed_term_index()  # cached while nothing changes
    staff = BodyMembershipFactory(implementation_team=True).user
    with django_capture_on_commit_callbacks(execute=True):
        services.term_transition(actor=staff, term=proposed, verb="agree")
    assert [t for _u, t in links(str(TermLinker().link(text)))] == [
        "Hosting capacity",
        "flexible interconnection",
    ]
    with django_capture_on_commit_callbacks(execute=True):
        services.term_transition(actor=staff, term=proposed, verb="retire")
    assert [t for _u, t in links(str(TermLinker().link(text)))] == ["Hosting capacity"]


def test_the_draft_page_links_terms_without_changing_the_stored_text(client):
    """The draft page links the first use per section; the version's stored paragraphs keep their text."""
    from tests.consultations.factories import ReviewFactory, make_version

    GlossaryTermFactory(term="DER", slug="der", kind="abbreviation", definition="Distributed energy resource")
    body = "# Plan\n\nThe DER forecast and the DER plan.\n\nA second DER paragraph.\n\n## Data\n\nDER data.\n"
    version = make_version(body=body)
    ReviewFactory(version=version)
    before = list(version.paragraphs.values_list("text", flat=True))
    html = client.get(
        reverse("consultations:draft-detail", args=[version.deliverable_id, version.number])
    ).content.decode()
    assert len(links(html)) == 2  # the first in "Plan" and the first in "Data"
    assert list(version.paragraphs.values_list("text", flat=True)) == before
    version.refresh_from_db()
    assert version.body == body
