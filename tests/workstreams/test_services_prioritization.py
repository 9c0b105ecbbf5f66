"""Step 4: the Borda count on known inputs (ties as ties), the ballot rules, opening rounds, and the
task that closes rounds on time."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from initiative.models import AuditEvent
from tests.factories import EnrollmentFactory, OrganizationFactory
from tests.workstreams.factories import BallotFactory, RoundFactory, TopicFactory
from workstreams import tasks
from workstreams.models import Ballot, PrioritizationRound
from workstreams.services import prioritization
from workstreams.services.prioritization import RoundError, borda

# The method on known inputs ---------------------------------------------------------------------------


def test_borda_known_inputs():
    # 3 topics: first choice 2 points, second 1, last 0.
    rows = borda([[1, 2, 3], [1, 3, 2], [2, 1, 3]], [1, 2, 3])
    assert [(r["topic"], r["points"], r["rank"], r["tied"]) for r in rows] == [
        (1, 5, 1, False),
        (2, 3, 2, False),
        (3, 1, 3, False),
    ]


def test_borda_ties_share_a_rank_and_are_flagged():
    # A and B tie for first; C and D tie for third; the next rank after a tie skips (1, 1, 3, 3).
    rows = borda([[1, 2, 3, 4], [2, 1, 4, 3]], [1, 2, 3, 4])
    assert [(r["topic"], r["points"], r["rank"], r["tied"]) for r in rows] == [
        (1, 5, 1, True),
        (2, 5, 1, True),
        (3, 1, 3, True),
        (4, 1, 3, True),
    ]


def test_borda_with_no_ballots_is_a_tie_of_everything():
    rows = borda([], [7, 8])
    assert all(r["rank"] == 1 and r["tied"] and r["points"] == 0 for r in rows)


def test_borda_middle_tie():
    rows = borda([[1, 2, 3], [1, 3, 2]], [1, 2, 3])
    assert [(r["topic"], r["rank"], r["tied"]) for r in rows] == [(1, 1, False), (2, 2, True), (3, 2, True)]


# Ballot rules ----------------------------------------------------------------------------------------


@pytest.fixture
def rnd(workstream):
    return RoundFactory(workstream=workstream)


def ranking(rnd, reverse=False):
    return sorted(rnd.topics.values_list("pk", flat=True), reverse=reverse)


@pytest.mark.django_db
def test_one_ballot_per_participant_editable_until_the_deadline(participant, rnd):
    prioritization.ballot_cast(actor=participant, round=rnd, ranking=ranking(rnd))
    prioritization.ballot_cast(actor=participant, round=rnd, ranking=ranking(rnd, reverse=True))
    ballot = Ballot.objects.get(round=rnd)
    assert ballot.ranking == ranking(rnd, reverse=True)
    assert ballot.stakeholder_type == "iou"
    assert list(
        AuditEvent.objects.filter(action__startswith="ballot.")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["ballot.cast", "ballot.change"]


@pytest.mark.django_db
def test_ballot_after_the_deadline_is_refused_even_before_the_task_closes_the_round(participant, rnd):
    with time_machine.travel(rnd.closes_at + datetime.timedelta(seconds=1)):
        with pytest.raises(RoundError):
            prioritization.ballot_cast(actor=participant, round=rnd, ranking=ranking(rnd))
    assert not Ballot.objects.exists()
    rnd.refresh_from_db()
    assert rnd.status == "open"  # nobody closed it; the server still refused


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["public_user", "staff", "committee_member", "anonymous"])
def test_non_members_cannot_vote(roles, rnd, role):
    with pytest.raises(PermissionDenied):
        prioritization.ballot_cast(actor=roles[role], round=rnd, ranking=ranking(rnd))


@pytest.mark.django_db
def test_member_of_another_workstream_cannot_vote(rnd):
    outsider = EnrollmentFactory().user
    with pytest.raises(PermissionDenied):
        prioritization.ballot_cast(actor=outsider, round=rnd, ranking=ranking(rnd))


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["partial", "duplicate", "foreign"])
def test_a_ranking_must_order_every_topic_once(participant, rnd, bad):
    ids = ranking(rnd)
    ballot = {
        "partial": ids[:2],
        "duplicate": [ids[0], ids[0], ids[1]],
        "foreign": ids[:2] + [TopicFactory().pk],
    }[bad]
    with pytest.raises(RoundError):
        prioritization.ballot_cast(actor=participant, round=rnd, ranking=ballot)


@pytest.mark.django_db
def test_closed_round_refuses_ballots(participant, staff, rnd):
    prioritization.round_close(round_id=rnd.pk, actor=staff, early=True)
    with pytest.raises(RoundError):
        prioritization.ballot_cast(actor=participant, round=rnd, ranking=ranking(rnd))


# Opening -------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_staff_open_a_round_over_active_topics_one_at_a_time(staff, workstream):
    TopicFactory.create_batch(2, workstream=workstream)
    TopicFactory(workstream=workstream, is_active=False)
    rnd = prioritization.round_open(
        actor=staff,
        workstream=workstream,
        title="Round 1",
        closes_at=timezone.now() + datetime.timedelta(days=3),
    )
    assert rnd.topics.count() == 2 and rnd.status == "open"
    assert AuditEvent.objects.filter(action="round.open").exists()
    with pytest.raises(RoundError):
        prioritization.round_open(
            actor=staff,
            workstream=workstream,
            title="Round 2",
            closes_at=timezone.now() + datetime.timedelta(days=3),
        )


@pytest.mark.django_db
def test_round_needs_a_future_deadline_and_two_topics(staff, workstream):
    TopicFactory(workstream=workstream)
    with pytest.raises(RoundError):
        prioritization.round_open(
            actor=staff,
            workstream=workstream,
            title="R",
            closes_at=timezone.now() + datetime.timedelta(days=3),
        )
    TopicFactory(workstream=workstream)
    with pytest.raises(RoundError):
        prioritization.round_open(
            actor=staff,
            workstream=workstream,
            title="R",
            closes_at=timezone.now() - datetime.timedelta(minutes=1),
        )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["participant", "public_user", "committee_member"])
def test_only_staff_open_rounds(roles, workstream, role):
    TopicFactory.create_batch(2, workstream=workstream)
    with pytest.raises(PermissionDenied):
        prioritization.round_open(
            actor=roles[role],
            workstream=workstream,
            title="R",
            closes_at=timezone.now() + datetime.timedelta(days=1),
        )


# Closing on time ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_closing_task_closes_past_due_rounds_once_with_the_result(workstream):
    rnd = RoundFactory(workstream=workstream)
    a, b, c = ranking(rnd)
    iou = EnrollmentFactory(workstream=workstream).user
    lab = EnrollmentFactory(workstream=workstream, organization=OrganizationFactory(type="national_lab")).user
    for voter, order in ((iou, [a, b, c]), (lab, [b, a, c])):
        prioritization.ballot_cast(actor=voter, round=rnd, ranking=order)
    other = RoundFactory(closes_at=timezone.now() + datetime.timedelta(days=30))  # deadline ahead
    assert tasks.close_rounds() == 0
    with time_machine.travel(rnd.closes_at + datetime.timedelta(minutes=1)):
        assert tasks.close_rounds() == 1
        assert tasks.close_rounds() == 0  # a rerun changes nothing
    rnd.refresh_from_db()
    assert rnd.status == "closed" and rnd.closed_at is not None
    assert rnd.result["ballots"] == 2
    assert rnd.result["stakeholder_types"] == {"iou": 1, "national_lab": 1}
    assert [(r["topic"], r["rank"], r["tied"]) for r in rnd.result["rows"]] == [
        (a, 1, True),
        (b, 1, True),
        (c, 3, False),
    ]
    assert AuditEvent.objects.filter(action="round.close").count() == 1
    other.refresh_from_db()
    assert other.status == "open"


@pytest.mark.django_db
def test_sweep_does_not_close_early(workstream):
    rnd = RoundFactory(workstream=workstream)
    assert prioritization.round_close(round_id=rnd.pk) is False
    assert PrioritizationRound.objects.get(pk=rnd.pk).status == "open"


@pytest.mark.django_db
def test_result_becomes_the_deep_dive_agenda_on_the_workstream_page(client, workstream, staff):
    rnd = RoundFactory(workstream=workstream)
    BallotFactory(round=rnd, voter=EnrollmentFactory(workstream=workstream).user)
    prioritization.round_close(round_id=rnd.pk, actor=staff, early=True)
    page = client.get(workstream.get_absolute_url()).content.decode()
    assert "Deep-dive agenda" in page
    first = rnd.topics.order_by("pk").first()
    assert first.title in page


# Pages ----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_participant_ranks_topics_on_the_round_page(client, participant, rnd):
    client.force_login(participant)
    a, b, c = ranking(rnd)
    page = client.get(rnd.get_absolute_url())
    assert page.status_code == 200 and "Rank the topics" in page.content.decode()
    response = client.post(rnd.get_absolute_url(), {f"topic_{a}": "3", f"topic_{b}": "1", f"topic_{c}": "2"})
    assert response.status_code == 302
    assert Ballot.objects.get(round=rnd, voter=participant).ranking == [b, c, a]
    # Same rank twice: refused with a message, ballot unchanged.
    response = client.post(rnd.get_absolute_url(), {f"topic_{a}": "1", f"topic_{b}": "1", f"topic_{c}": "2"})
    assert response.status_code == 422
    assert Ballot.objects.get(round=rnd, voter=participant).ranking == [b, c, a]


@pytest.mark.django_db
def test_htmx_ballot_returns_the_panel(client, participant, rnd):
    client.force_login(participant)
    a, b, c = ranking(rnd)
    response = client.post(
        rnd.get_absolute_url(),
        {f"topic_{a}": "1", f"topic_{b}": "2", f"topic_{c}": "3"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and 'id="ballot-panel"' in body and "<h1>" not in body
    assert "HX-Request" in response["Vary"]


@pytest.mark.django_db
def test_round_page_is_refused_to_the_public(client, public_user, rnd):
    client.force_login(public_user)
    assert client.get(rnd.get_absolute_url()).status_code == 403


@pytest.mark.django_db
def test_closed_round_shows_result_with_ballots_and_types(client, participant, staff, rnd):
    BallotFactory(round=rnd, voter=participant)
    prioritization.round_close(round_id=rnd.pk, actor=staff, early=True)
    client.force_login(participant)
    page = client.get(rnd.get_absolute_url()).content.decode()
    assert "1 ballot." in page
    assert "Investor-owned distribution utility" in page
    assert "Save my ranking" not in page


@pytest.mark.django_db
def test_closing_an_already_closed_round_says_so(client, staff, rnd):
    client.force_login(staff)
    first = client.post(f"/rounds/{rnd.pk}/close/", follow=True).content.decode()
    assert "The round is closed and its result computed." in first
    again = client.post(f"/rounds/{rnd.pk}/close/", follow=True).content.decode()
    assert "already closed" in again and "result computed" not in again


@pytest.mark.django_db
def test_htmx_ballot_updates_the_ballot_count_in_the_header(client, participant, rnd):
    client.force_login(participant)
    a, b, c = ranking(rnd)
    body = client.post(
        rnd.get_absolute_url(),
        {f"topic_{a}": "1", f"topic_{b}": "2", f"topic_{c}": "3"},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert '<span id="ballot-count" hx-swap-oob="true">1 ballot cast</span>' in body


@pytest.mark.django_db
def test_a_round_closed_early_says_when_it_actually_closed(client, staff, participant, rnd):
    """Staff close a round two days before its deadline: its page gives the time it closed, and says
    the deadline it did not reach, instead of claiming it closed on its deadline."""
    closed = rnd.closes_at - datetime.timedelta(days=2)
    client.force_login(staff)
    with time_machine.travel(closed, tick=False):
        client.post(f"/rounds/{rnd.pk}/close/")
    client.force_login(participant)
    page = client.get(rnd.get_absolute_url()).content.decode()
    when = timezone.localtime(closed)
    deadline = timezone.localtime(rnd.closes_at)
    assert f"closed {when:%A, %B %-d, %Y}" in page
    assert f"(early; its deadline was {deadline:%A, %B %-d, %Y}" in page


# Regulators lead: a round limited to, or weighted towards, state and federal regulators --------------


def _member(workstream, kind):
    return EnrollmentFactory(workstream=workstream, organization=OrganizationFactory(type=kind)).user


@pytest.mark.django_db
def test_a_round_limited_to_regulators_refuses_other_ballots(workstream, staff):
    topics = [TopicFactory(workstream=workstream) for _ in range(2)]
    rnd = prioritization.round_open(
        actor=staff,
        workstream=workstream,
        title="Track 3 priorities",
        closes_at=timezone.now() + datetime.timedelta(days=7),
        topics=topics,
        electorate="regulators_only",
    )
    state, federal = _member(workstream, "state_regulator"), _member(workstream, "federal_agency")
    utility, aggregator = _member(workstream, "iou"), _member(workstream, "der_developer")
    order = [t.pk for t in topics]
    prioritization.ballot_cast(actor=state, round=rnd, ranking=order)
    prioritization.ballot_cast(actor=federal, round=rnd, ranking=order[::-1])
    for other in (utility, aggregator):
        with pytest.raises(PermissionDenied):
            prioritization.ballot_cast(actor=other, round=rnd, ranking=order)
    assert sorted(Ballot.objects.filter(round=rnd).values_list("stakeholder_type", flat=True)) == [
        "federal_agency",
        "state_regulator",
    ]


@pytest.mark.django_db
def test_the_regulators_only_round_page_tells_others_why_they_cannot_vote(client, workstream, staff):
    rnd = RoundFactory(workstream=workstream, electorate="regulators_only")
    utility = _member(workstream, "iou")
    client.force_login(utility)
    page = client.get(rnd.get_absolute_url()).content.decode()
    assert "limited to state and federal regulators" in page
    assert "Save my ranking" not in page
    regulator = _member(workstream, "state_regulator")
    client.force_login(regulator)
    assert "Save my ranking" in client.get(rnd.get_absolute_url()).content.decode()
    ranking = sorted(rnd.topics.values_list("pk", flat=True))
    client.force_login(utility)
    response = client.post(rnd.get_absolute_url(), {f"topic_{pk}": i + 1 for i, pk in enumerate(ranking)})
    assert response.status_code in (302, 403)
    assert not Ballot.objects.filter(round=rnd).exists()


@pytest.mark.django_db
def test_weighted_result_on_known_ballots_with_each_type_beside_it(workstream):
    """Three topics A, B, C. Two utilities rank A > B > C; one state regulator ranks C > B > A.
    One vote each would put A first (A 4, B 3, C 2); weighted 3, the regulator's order wins."""
    a, b, c = (TopicFactory(workstream=workstream, title=t) for t in "ABC")
    rnd = RoundFactory(
        workstream=workstream, topics=[a, b, c], electorate="regulators_weighted", regulator_weight=3
    )
    BallotFactory(round=rnd, stakeholder_type="iou", ranking=[a.pk, b.pk, c.pk])
    BallotFactory(round=rnd, stakeholder_type="iou", ranking=[a.pk, b.pk, c.pk])
    BallotFactory(round=rnd, stakeholder_type="state_regulator", ranking=[c.pk, b.pk, a.pk])
    assert prioritization.round_close(round_id=rnd.pk, now=rnd.closes_at)
    rnd.refresh_from_db()
    result = rnd.result
    # points: A = 2+2+0*3 = 4; B = 1+1+1*3 = 5; C = 0+0+2*3 = 6
    assert [(r["title"], r["points"], r["rank"]) for r in result["rows"]] == [
        ("C", 6, 1),
        ("B", 5, 2),
        ("A", 4, 3),
    ]
    assert result["counted_weight"] == 5 and result["ballots"] == 3
    by_type = {g["stakeholder_type"]: g for g in result["by_stakeholder_type"]}
    assert [(r["title"], r["points"]) for r in by_type["iou"]["rows"]] == [("A", 4), ("B", 2), ("C", 0)]
    assert [(r["title"], r["points"]) for r in by_type["state_regulator"]["rows"]] == [
        ("C", 2),
        ("B", 1),
        ("A", 0),
    ]
    assert by_type["state_regulator"]["weight"] == 3


@pytest.mark.django_db
def test_an_unweighted_round_counts_everyone_once(workstream):
    a, b = TopicFactory(workstream=workstream), TopicFactory(workstream=workstream)
    rnd = RoundFactory(workstream=workstream, topics=[a, b])
    BallotFactory(round=rnd, stakeholder_type="iou", ranking=[a.pk, b.pk])
    BallotFactory(round=rnd, stakeholder_type="state_regulator", ranking=[b.pk, a.pk])
    prioritization.round_close(round_id=rnd.pk, now=rnd.closes_at)
    rnd.refresh_from_db()
    assert all(r["tied"] for r in rnd.result["rows"])


@pytest.mark.django_db
def test_participants_propose_candidate_topics_staff_topics_are_marked_as_such(
    workstream, participant, staff, public_user
):
    topic = prioritization.topic_propose(actor=participant, workstream=workstream, title="Dynamic limits")
    assert topic.source == "participant" and topic.proposed_by == participant
    assert prioritization.topic_propose(actor=staff, workstream=workstream, title="Tariffs").source == "staff"
    with pytest.raises(RoundError):
        prioritization.topic_propose(actor=participant, workstream=workstream, title="dynamic LIMITS")
    with pytest.raises(PermissionDenied):
        prioritization.topic_propose(actor=public_user, workstream=workstream, title="Mine")


@pytest.mark.django_db
def test_weighted_round_needs_a_weight(workstream, staff):
    with pytest.raises(RoundError):
        prioritization.round_open(
            actor=staff,
            workstream=workstream,
            title="x",
            closes_at=timezone.now() + datetime.timedelta(days=1),
            topics=[TopicFactory(workstream=workstream) for _ in range(2)],
            electorate="regulators_weighted",
            regulator_weight=1,
        )
