"""Prioritization rounds through the API: seen only by the workstream's active members, staff and the
committee (as the round page), results once the round closes, and ballots cast only by active members
(not feedback providers), with refusals as problem documents."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from initiative import services as initiative_services
from tests.api_roles import MEMBERS, WITH_FEEDBACK_PROVIDER, queries, sign_in
from tests.factories import EnrollmentFactory, WorkstreamFactory
from tests.workstreams.factories import LOCAL_CACHE, BallotFactory, RoundFactory
from workstreams.models import Ballot
from workstreams.services import prioritization

pytestmark = pytest.mark.django_db


def _ranking(rnd) -> list[int]:
    return sorted(rnd.topics.values_list("pk", flat=True), reverse=True)


@pytest.mark.parametrize("role", WITH_FEEDBACK_PROVIDER)
def test_rounds_are_listed_and_read_only_by_the_workstreams_members(client, role):
    rnd = RoundFactory()
    RoundFactory()  # another workstream's round: only staff and the committee see it
    sign_in(client, role, rnd.workstream)
    listed = client.get(reverse("api:round-list"))
    detail = client.get(reverse("api:round-detail", args=[rnd.pk]))
    if role == "anonymous":
        assert listed.status_code == detail.status_code == 401
        assert listed["Content-Type"] == "application/problem+json"
        assert listed["WWW-Authenticate"] == "Bearer"
        return
    assert listed.status_code == 200
    ids = {r["id"] for r in listed.json()["results"]}
    expected = {"participant": {rnd.pk}, "staff": None, "committee": None}.get(role, set())
    if expected is None:
        assert rnd.pk in ids and len(ids) == 2
    else:
        assert ids == expected
    if role in MEMBERS:
        assert detail.status_code == 200
        body = detail.json()
        assert body["workstream"] == rnd.workstream.code and body["result"] is None
        assert len(body["topics"]) == 3 and body["ballot_count"] == 0
    else:
        assert detail.status_code == 403
        assert detail.json()["status"] == 403


@pytest.mark.parametrize("role", WITH_FEEDBACK_PROVIDER)
def test_only_active_members_cast_a_ballot(client, role):
    rnd = RoundFactory()
    user = sign_in(client, role, rnd.workstream)
    response = client.post(
        reverse("api:round-ballot", args=[rnd.pk]),
        {"ranking": _ranking(rnd)},
        content_type="application/json",
    )
    expected = {"anonymous": 401, "participant": 200}.get(role, 403)
    assert response.status_code == expected, response.content
    if expected == 200:
        ballot = Ballot.objects.get(round=rnd, voter=user)
        assert response.json()["ranking"] == ballot.ranking == _ranking(rnd)
        assert response.json()["round"] == rnd.pk
    else:
        assert response["Content-Type"] == "application/problem+json"
        assert not Ballot.objects.exists()


def test_a_ballot_is_replaced_read_back_and_checked(client, participant, workstream):
    rnd = RoundFactory(workstream=workstream)
    client.force_login(participant)
    url = reverse("api:round-ballot", args=[rnd.pk])
    assert client.get(url).status_code == 404  # not voted yet
    first = _ranking(rnd)
    assert client.post(url, {"ranking": first}, content_type="application/json").status_code == 200
    second = list(reversed(first))
    assert client.post(url, {"ranking": second}, content_type="application/json").status_code == 200
    assert client.get(url).json()["ranking"] == second
    assert Ballot.objects.filter(round=rnd).count() == 1
    bad = client.post(url, {"ranking": first[:2]}, content_type="application/json")
    assert bad.status_code == 400 and "ranking" in bad.json()["errors"]
    missing = client.post(
        reverse("api:round-ballot", args=[rnd.pk + 999]), {"ranking": first}, content_type="application/json"
    )
    assert missing.status_code == 404


def test_a_ballot_after_the_deadline_is_a_conflict_and_the_result_then_shows(client, participant, workstream):
    rnd = RoundFactory(workstream=workstream)
    BallotFactory(round=rnd, voter=EnrollmentFactory(workstream=workstream).user)
    rnd.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    rnd.save(update_fields=["closes_at"])
    client.force_login(participant)
    refused = client.post(
        reverse("api:round-ballot", args=[rnd.pk]),
        {"ranking": _ranking(rnd)},
        content_type="application/json",
    )
    assert refused.status_code == 409 and refused["Content-Type"] == "application/problem+json"
    assert refused.json()["round_status"] == "closed"
    assert prioritization.round_close(round_id=rnd.pk)
    result = client.get(reverse("api:round-detail", args=[rnd.pk])).json()["result"]
    assert result["ballots"] == 1 and [row["rank"] for row in result["rows"]] == [1, 2, 3]
    assert {row["title"] for row in result["rows"]} == set(rnd.topics.values_list("title", flat=True))


def test_a_read_token_may_not_vote_and_a_write_token_may(client, participant, workstream):
    rnd = RoundFactory(workstream=workstream)
    url = reverse("api:round-ballot", args=[rnd.pk])
    for scope, expected in (("read", 403), ("write", 200)):
        secret = initiative_services.api_token_create(
            actor=participant, name=scope, scope=scope, lifetime_days=30
        )[1]
        response = client.post(
            url,
            {"ranking": _ranking(rnd)},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {secret}",
        )
        assert response.status_code == expected


def test_the_round_list_makes_as_many_queries_for_twenty_rounds_as_for_two(client, staff, settings):
    settings.CACHES = LOCAL_CACHE
    client.force_login(staff)
    url = reverse("api:round-list")
    for _ in range(2):
        BallotFactory(round=RoundFactory(workstream=WorkstreamFactory()))
    few = queries(client, url)
    for _ in range(18):
        BallotFactory(round=RoundFactory(workstream=WorkstreamFactory()))
    assert queries(client, url) == few


@pytest.mark.django_db
def test_the_api_refuses_a_ballot_outside_a_regulators_only_round_and_shows_the_electorate(
    client, workstream
):
    from tests.factories import EnrollmentFactory, OrganizationFactory

    rnd = RoundFactory(workstream=workstream, electorate="regulators_only")
    ranking = sorted(rnd.topics.values_list("pk", flat=True))
    url = reverse("api:round-ballot", args=[rnd.pk])
    utility = EnrollmentFactory(workstream=workstream, organization=OrganizationFactory(type="iou")).user
    client.force_login(utility)
    assert client.post(url, {"ranking": ranking}, content_type="application/json").status_code == 403
    assert client.get(reverse("api:round-detail", args=[rnd.pk])).json()["electorate"] == "regulators_only"
    regulator = EnrollmentFactory(
        workstream=workstream, organization=OrganizationFactory(type="federal_agency")
    ).user
    client.force_login(regulator)
    assert client.post(url, {"ranking": ranking}, content_type="application/json").status_code == 200
