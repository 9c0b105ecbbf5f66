"""The glossary's lifecycle: participants propose terms, reword open ones and comment; staff move terms
through the transition table, each move audited; illegal moves are refused with the current status."""

import pytest
from django.core.exceptions import PermissionDenied

from initiative.models import AuditEvent
from tests.workstreams.factories import GlossaryTermFactory
from workstreams.models import GlossaryTerm, TermStatus
from workstreams.services import glossary as services

pytestmark = pytest.mark.django_db


def test_a_participant_proposes_a_term_with_its_first_wording(participant):
    term = services.term_propose(
        actor=participant,
        term="Hosting capacity",
        definition="How much DER a feeder takes.",
        abbreviation="HC",
    )
    assert term.status == TermStatus.PROPOSED and term.proposed_by == participant
    assert term.slug == "hosting-capacity"
    assert list(term.definitions.values_list("number", "text")) == [(1, "How much DER a feeder takes.")]
    event = AuditEvent.objects.get(action="glossary_term.propose")
    assert event.actor == participant and event.after["term"] == "Hosting capacity"


def test_someone_outside_the_workstreams_may_not_propose(public_user, anonymous):
    for user in (public_user, anonymous):
        with pytest.raises(PermissionDenied):
            services.term_propose(actor=user, term="X term", definition="Y")
    assert not GlossaryTerm.objects.exists()


def test_a_name_already_in_the_glossary_is_refused_in_any_case(participant):
    GlossaryTermFactory(term="Hosting capacity")
    with pytest.raises(services.GlossaryError):
        services.term_propose(actor=participant, term="hosting CAPACITY", definition="Again")


@pytest.mark.parametrize(
    ("start", "verb", "end"),
    [
        (TermStatus.PROPOSED, "discuss", TermStatus.UNDER_DISCUSSION),
        (TermStatus.PROPOSED, "agree", TermStatus.AGREED),
        (TermStatus.UNDER_DISCUSSION, "agree", TermStatus.AGREED),
        (TermStatus.UNDER_DISCUSSION, "retire", TermStatus.RETIRED),
        (TermStatus.AGREED, "retire", TermStatus.RETIRED),
        (TermStatus.AGREED, "reopen", TermStatus.UNDER_DISCUSSION),
        (TermStatus.RETIRED, "reopen", TermStatus.UNDER_DISCUSSION),
    ],
)
def test_staff_move_a_term_by_the_table_and_each_move_is_audited(staff, start, verb, end):
    term = GlossaryTermFactory(status=start)
    services.term_transition(actor=staff, term=term, verb=verb, reason="Workstream A meeting")
    term.refresh_from_db()
    assert term.status == end
    event = AuditEvent.objects.get(action=f"glossary_term.{verb}")
    assert event.actor == staff and event.reason == "Workstream A meeting"
    assert event.before["status"] == start and event.after["status"] == end


@pytest.mark.parametrize(
    ("start", "verb"),
    [
        (TermStatus.PROPOSED, "reopen"),
        (TermStatus.UNDER_DISCUSSION, "discuss"),
        (TermStatus.AGREED, "discuss"),
        (TermStatus.RETIRED, "agree"),
        (TermStatus.RETIRED, "retire"),
        (TermStatus.AGREED, "explode"),
    ],
)
def test_an_illegal_move_names_the_current_status_and_changes_nothing(staff, start, verb):
    term = GlossaryTermFactory(status=start)
    with pytest.raises(services.IllegalTermTransition) as caught:
        services.term_transition(actor=staff, term=term, verb=verb)
    assert caught.value.current == start
    term.refresh_from_db()
    assert term.status == start
    assert not AuditEvent.objects.filter(action__startswith="glossary_term.").exists()


def test_only_staff_mark_a_definition_agreed(roles):
    term = GlossaryTermFactory(status=TermStatus.UNDER_DISCUSSION)
    for name, user in roles.items():
        if name == "staff":
            continue
        with pytest.raises(PermissionDenied):
            services.term_transition(actor=user, term=term, verb="agree")
    services.term_transition(actor=roles["staff"], term=term, verb="agree")
    term.refresh_from_db()
    assert term.status == TermStatus.AGREED


def test_each_change_of_definition_is_a_row_and_agreement_picks_one(participant, staff):
    term = services.term_propose(actor=participant, term="Tier bypassing", definition="First wording.")
    services.definition_propose(actor=participant, term=term, text="Second wording.", note="Clearer")
    term.refresh_from_db()
    assert term.definition == "Second wording."
    first = term.definitions.get(number=1)
    services.term_transition(actor=staff, term=term, verb="agree", definition=first)
    term.refresh_from_db()
    assert term.status == TermStatus.AGREED
    assert term.definition == "First wording." and term.agreed_definition == first
    # A later wording of an agreed term waits for agreement: the agreed text stays current.
    services.definition_propose(actor=staff, term=term, text="Third wording.")
    term.refresh_from_db()
    assert term.definition == "First wording."
    assert list(term.definitions.values_list("number", flat=True)) == [1, 2, 3]
    services.term_transition(actor=staff, term=term, verb="agree")
    term.refresh_from_db()
    assert term.definition == "Third wording." and term.agreed_definition.number == 3
    assert AuditEvent.objects.filter(action="glossary_definition.propose").count() == 2
    assert AuditEvent.objects.filter(action="glossary_term.agree").count() == 2


def test_participants_reword_open_terms_only(participant):
    term = GlossaryTermFactory(status=TermStatus.AGREED)
    with pytest.raises(PermissionDenied):
        services.definition_propose(actor=participant, term=term, text="Mine instead.")


def test_participants_and_committee_comment_on_a_wording_but_not_the_public(
    participant, committee_member, public_user
):
    term = GlossaryTermFactory(status=TermStatus.UNDER_DISCUSSION)
    wording = term.definitions.get()
    for user in (participant, committee_member):
        services.glossary_comment_create(actor=user, term=term, definition=wording, body="Too narrow.")
    assert wording.comments.count() == 2
    with pytest.raises(PermissionDenied):
        services.glossary_comment_create(actor=public_user, term=term, definition=wording, body="Hm")


def test_a_retired_term_takes_no_comments(participant):
    term = GlossaryTermFactory(status=TermStatus.RETIRED)
    with pytest.raises(services.GlossaryError):
        services.glossary_comment_create(
            actor=participant, term=term, definition=term.definitions.get(), body="Still?"
        )


def test_verbs_offered_follow_the_table():
    assert services.verbs_for(GlossaryTerm(status=TermStatus.PROPOSED)) == ["discuss", "agree", "retire"]
    assert services.verbs_for(GlossaryTerm(status=TermStatus.RETIRED)) == ["reopen"]


def test_the_report_terms_become_agreed_in_the_data_migration():
    """Rows that existed before the lifecycle (from the report) become agreed with wording 1 and a slug."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("workstreams.migrations.0005_glossary_from_report_agreed")
    GlossaryTerm.objects.create(term="Soft curtailment", definition="Limits output.", slug=None)
    GlossaryTerm.objects.create(term="Soft  curtailment!", definition="Duplicate slug.", slug=None)
    migration.forwards(apps, None)
    rows = list(GlossaryTerm.objects.order_by("pk"))
    assert [t.status for t in rows] == [TermStatus.AGREED, TermStatus.AGREED]
    assert [t.slug for t in rows] == ["soft-curtailment", "soft-curtailment-2"]
    assert rows[0].agreed_definition.number == 1 and rows[0].agreed_definition.text == "Limits output."


def test_loaded_report_terms_are_agreed(loaded_initiative):
    der = GlossaryTerm.objects.get(term="DER")
    assert der.status == TermStatus.AGREED and der.agreed_definition.text == "Distributed energy resource"
    assert not GlossaryTerm.objects.exclude(status=TermStatus.AGREED).exists()
