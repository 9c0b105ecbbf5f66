"""Search finds what a person may read and nothing else: member-review drafts, hidden comments, minutes
and redacted words stay out for those who may not read them; a title match ranks above a body match;
the index follows every write to the source tables, bulk ones included."""

import datetime
import re

import pytest
from django.db import connection
from django.utils import timezone

from consultations.models import Comment, Paragraph, Review
from consultations.selectors.comments import comment_scope
from consultations.selectors.search import paragraph_search_scope
from discovery.models import SearchEntry
from discovery.selectors.search import SearchParams, entry_search, hits
from initiative import policy
from tests.consultations.factories import CommentFactory, ReviewFactory, make_version
from tests.factories import DeliverableFactory, EnrollmentFactory, WorkstreamFactory
from tests.webinars.factories import WebinarFactory
from tests.workstreams.factories import SessionFactory
from workstreams.models import GlossaryTerm

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")


def found(user, q, **params):
    return [(e.kind, e.object_id) for e in entry_search(user=user, params=SearchParams(q=q, **params))]


@pytest.fixture
def member_review(workstream):
    """A draft of `workstream` under a members-only review, with the word 'zephyrite' in it."""
    deliverable = DeliverableFactory(workstream=workstream)
    version = make_version(deliverable=deliverable, body="# Intro\n\nThe zephyrite interface.\n")
    return ReviewFactory(version=version, kind=Review.Kind.MEMBER_REVIEW)


@pytest.mark.django_db
def test_a_member_review_draft_and_its_comments_are_found_by_members_staff_and_committee_only(
    roles, member_review
):
    comment = CommentFactory(review=member_review, body="Our zephyrite comment.")
    para = member_review.version.paragraphs.get(text__contains="zephyrite")
    expected = {("paragraph", para.pk), ("comment", comment.pk)}
    for role in ["participant", "staff", "committee_member"]:
        assert expected <= set(found(roles[role], "zephyrite")), role
    for role in ["anonymous", "public_user"]:
        assert found(roles[role], "zephyrite") == [], role


@pytest.mark.django_db
def test_a_hidden_comment_is_found_by_staff_only(roles):
    review = ReviewFactory()
    comment = CommentFactory(review=review, body="A quarrelsome xylograph remark.")
    Comment.objects.filter(pk=comment.pk).update(
        hidden_at=timezone.now(), hidden_reason="Off topic", hidden_by=roles["staff"]
    )
    assert found(roles["staff"], "xylograph") == [("comment", comment.pk)]
    for role in ["anonymous", "public_user", "participant", "committee_member"]:
        assert found(roles[role], "xylograph") == [], role


@pytest.mark.django_db
def test_a_public_consultation_is_found_by_everyone_once_it_has_opened(roles):
    review = ReviewFactory(
        version=make_version(body="# Intro\n\nThe quillwort protocol.\n"),
        opens_at=timezone.now() + datetime.timedelta(days=2),
        closes_at=timezone.now() + datetime.timedelta(days=20),
    )
    assert found(roles["anonymous"], "quillwort") == []
    Review.objects.filter(pk=review.pk).update(opens_at=timezone.now() - datetime.timedelta(hours=1))
    para = review.version.paragraphs.get(text__contains="quillwort")
    assert found(roles["anonymous"], "quillwort") == [("paragraph", para.pk)]


@pytest.mark.django_db
def test_session_minutes_are_found_by_the_workstreams_members_staff_and_committee_only(roles, workstream):
    session = SessionFactory(
        workstream=workstream, title="Planning call", minutes="We chose the wombat option."
    )
    for role in ["participant", "staff", "committee_member"]:
        assert ("minutes", session.pk) in found(roles[role], "wombat"), role
    for role in ["anonymous", "public_user"]:
        assert found(roles[role], "wombat") == [], role
    assert ("session", session.pk) in found(roles["anonymous"], "planning call")


@pytest.mark.django_db
def test_the_scopes_agree_with_the_view_draft_rule_for_every_role(roles, member_review, workstream):
    """Per role and per version, the search scope holds a version's paragraphs exactly when the rule
    `consultations.view_draft` lets the role read that version."""
    public = ReviewFactory()
    other_members = ReviewFactory(kind=Review.Kind.MEMBER_REVIEW)
    versions = [member_review.version, public.version, other_members.version, make_version()]
    for name, user in roles.items():
        scoped = set(paragraph_search_scope(user=user).values_list("version_id", flat=True))
        for version in versions:
            assert (version.pk in scoped) == policy.can(user, "consultations.view_draft", version), (
                name,
                version,
            )


@pytest.mark.django_db
def test_search_finds_a_comment_exactly_when_the_comment_rule_shows_it(roles, member_review):
    """Per role and per comment (public or members' review, this workstream's or another's, hidden or
    not), search finds it exactly when `comment_scope`, the rule the pages use, shows it."""
    other_members = ReviewFactory(kind=Review.Kind.MEMBER_REVIEW)
    public = ReviewFactory()
    comments = [
        CommentFactory(review=review, body=f"A bandicoot remark, {n}.")
        for n, review in enumerate([public, public, member_review, member_review, other_members])
    ]
    Comment.objects.filter(pk__in=[comments[1].pk, comments[3].pk]).update(
        hidden_at=timezone.now(), hidden_reason="Off topic", hidden_by=roles["staff"]
    )
    for name, user in roles.items():
        got = {pk for kind, pk in found(user, "bandicoot") if kind == "comment"}
        for c in comments:
            shown = comment_scope(user=user, deliverable=c.version.deliverable).filter(pk=c.pk).exists()
            assert (c.pk in got) == shown, (name, c.body, c.review.kind, c.pk in got)
    assert {pk for _, pk in found(roles["staff"], "bandicoot")} == {c.pk for c in comments}
    assert {pk for _, pk in found(roles["anonymous"], "bandicoot")} == {comments[0].pk}


@pytest.mark.django_db
def test_a_deliverable_moved_to_another_workstream_takes_its_member_comments_with_it(roles, member_review):
    comment = CommentFactory(review=member_review, body="A quokka remark.")
    assert found(roles["participant"], "quokka") == [("comment", comment.pk)]
    deliverable = member_review.version.deliverable
    deliverable.workstream = WorkstreamFactory()
    deliverable.save()
    assert found(roles["participant"], "quokka") == []
    newcomer = EnrollmentFactory(workstream=deliverable.workstream).user
    assert found(newcomer, "quokka") == [("comment", comment.pk)]


@pytest.mark.django_db
def test_a_comment_shown_again_is_found_again(roles):
    comment = CommentFactory(review=ReviewFactory(), body="A wallaby remark.")
    Comment.objects.filter(pk=comment.pk).update(
        hidden_at=timezone.now(), hidden_reason="Off topic", hidden_by=roles["staff"]
    )
    assert found(roles["anonymous"], "wallaby") == []
    Comment.objects.filter(pk=comment.pk).update(hidden_at=None, hidden_reason="", hidden_by=None)
    assert found(roles["anonymous"], "wallaby") == [("comment", comment.pk)]


@pytest.mark.django_db
def test_every_kind_is_findable(roles, workstream):
    ws = WorkstreamFactory(name="Narwhal coordination")
    deliverable = DeliverableFactory(workstream=ws, title="Narwhal deliverable")
    GlossaryTerm.objects.create(term="Narwhal", definition="A whale.")
    SessionFactory(workstream=ws, title="Narwhal session")
    WebinarFactory(title="Narwhal webinar", deliverable=deliverable)
    kinds = {kind for kind, _ in found(roles["anonymous"], "narwhal")}
    assert kinds == {"workstream", "deliverable", "glossary", "session", "webinar"}
    assert {kind for kind, _ in found(roles["anonymous"], "narwhal", kinds=("glossary",))} == {"glossary"}
    assert {kind for kind, _ in found(roles["anonymous"], "narwhal", workstream_id=ws.pk)} == {
        "workstream",
        "deliverable",
        "session",
        "webinar",
    }


@pytest.mark.django_db
def test_a_date_range_keeps_dated_results_inside_it(anonymous):
    early = SessionFactory(title="Ocelot review", starts_at=timezone.now() - datetime.timedelta(days=40))
    late = SessionFactory(title="Ocelot review", starts_at=timezone.now() + datetime.timedelta(days=40))
    today = timezone.localdate()
    assert found(anonymous, "ocelot", date_from=today) == [("session", late.pk)]
    assert found(anonymous, "ocelot", date_to=today) == [("session", early.pk)]


@pytest.mark.django_db
def test_a_title_match_ranks_above_a_body_match(anonymous):
    body_match = GlossaryTerm.objects.create(term="Feeder", definition="Carries the pangolin load.")
    title_match = GlossaryTerm.objects.create(term="Pangolin", definition="An animal.")
    assert found(anonymous, "pangolin") == [("glossary", title_match.pk), ("glossary", body_match.pk)]


@pytest.mark.django_db
def test_snippets_are_escaped_with_only_mark_as_markup(anonymous):
    GlossaryTerm.objects.create(
        term="Script", definition='<script>alert("x")</script> the gazelle <b>runs</b>'
    )
    [hit] = hits(entry_search(user=anonymous, params=SearchParams(q="gazelle")), q="gazelle")
    assert re.findall(r"<[^>]*>", hit.snippet) == ["<mark>", "</mark>"]
    assert "<mark>gazelle</mark>" in hit.snippet


@pytest.mark.django_db
def test_the_index_follows_inserts_updates_bulk_updates_and_deletes():
    term = GlossaryTerm.objects.create(term="Okapi", definition="First text.")
    assert SearchEntry.objects.get(kind="glossary", object_id=term.pk).body == "First text."
    GlossaryTerm.objects.filter(pk=term.pk).update(definition="Second text.")  # no save(), no signal
    assert SearchEntry.objects.get(kind="glossary", object_id=term.pk).body == "Second text."
    term.delete()
    assert not SearchEntry.objects.filter(kind="glossary", object_id=term.pk).exists()
    version = make_version(body="# Intro\n\nOne.\n\nTwo.\n")
    assert SearchEntry.objects.filter(kind="paragraph", version_number=version.number).count() == 2
    assert set(
        SearchEntry.objects.filter(kind="paragraph", deliverable_id=version.deliverable_id).values_list(
            "object_id", flat=True
        )
    ) == set(Paragraph.objects.filter(version=version).values_list("pk", flat=True))


@pytest.mark.django_db
def test_empty_or_punctuation_only_queries_find_nothing(anonymous):
    GlossaryTerm.objects.create(term="Quokka", definition="A marsupial.")
    for q in ["", "   ", "!!!", '"', "-", "&|!"]:
        assert found(anonymous, q) == [], q


@on_postgresql
@pytest.mark.django_db
def test_accents_are_ignored_and_stems_match(anonymous):
    term = GlossaryTerm.objects.create(term="Régulation", definition="Adjusting généràtion.")
    assert found(anonymous, "regulation") == [("glossary", term.pk)]
    assert found(anonymous, "generations") == [("glossary", term.pk)]


@on_postgresql
@pytest.mark.django_db
def test_web_search_syntax_phrases_or_and_exclusion(anonymous):
    a = GlossaryTerm.objects.create(term="Alpha", definition="grid edge sensors")
    b = GlossaryTerm.objects.create(term="Beta", definition="edge of the grid")
    assert found(anonymous, '"grid edge"') == [("glossary", a.pk)]
    assert {o for _, o in found(anonymous, "sensors or beta")} == {a.pk, b.pk}
    assert found(anonymous, "grid -sensors") == [("glossary", b.pk)]
    for q in ['"unclosed', "a & b | !c", "(((", "or or", "'; DROP TABLE x; --", "\\x00"]:
        entry_search(user=anonymous, params=SearchParams(q=q)).count()  # no error on malformed input
