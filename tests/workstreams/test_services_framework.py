"""The framing questions' fit rule (data in track1.yaml) on known answers, the roadmap, the links to the
framework, and the least-regrets links to Track 2 topics."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from initiative.models import AuditEvent
from tests.workstreams.factories import TopicFactory
from workstreams.models import FramingOption, FunctionTopicLink, MatrixCell, OperatingModel, Track, Workstream
from workstreams.selectors import framework as selectors
from workstreams.services import framework as services

pytestmark = pytest.mark.django_db


def fit(answers):
    result = selectors.framing_fit(
        groups=selectors.framing_groups(), answers=answers, models=selectors.operating_models()
    )
    return [m.slug for m in result["best"]], {s["model"].slug: s["score"] for s in result["scores"]}


def test_fit_counts_the_answers_that_favor_each_model(loaded_initiative):
    best, scores = fit({"interconnection": "dso-dynamic", "planning": "dso-co-optimizes"})
    assert best == ["dso-model-3", "dso-model-4", "total-dso"]
    assert scores["dso-model-3"] == 2 and scores["total-tso"] == 0
    best, _ = fit(
        {"interconnection": "dso-dynamic", "planning": "dso-co-optimizes", "transactive": "dso-runs"}
    )
    assert best == ["dso-model-4", "total-dso"]
    best, _ = fit({"tso-interfaces": "all-users", "distribution-services": "tso-settled", "planning": "tso"})
    assert best == ["total-tso"]


def test_unsure_favors_nothing_and_iso_questions_count_only_for_an_iso(loaded_initiative):
    assert fit({"planning": "unsure", "interconnection": "unsure"}) == (
        [],
        dict.fromkeys(
            ["total-tso", "dso-model-1", "dso-model-2", "dso-model-3", "dso-model-4", "total-dso"], 0
        ),
    )
    iso_answer = {"iso-participation": "through-dso"}
    assert fit({**iso_answer, "tso-is-iso": "no"})[0] == []
    assert fit({**iso_answer, "tso-is-iso": "yes"})[0] == ["dso-model-4", "total-dso"]
    assert fit(iso_answer)[0] == ["dso-model-4", "total-dso"]  # left open: counted


def test_framing_page_answers_without_an_account_and_stores_nothing(client, loaded_initiative):
    url = reverse("workstreams:framework-framing")
    blank = client.get(url).content.decode()
    assert blank.count('type="radio"') == 12 + FramingOption.objects.count()  # each question: + "Unsure"
    assert "Is the TSO an ISO/RTO?" in blank and "<legend" in blank
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(
            url, {"jurisdiction": "NY", "interconnection": "dso-curtailable", "planning": "dso-non-wires"}
        )
    html = page.content.decode()
    assert "Models that fit New York" in html and "Best fit: <strong>DSO Model 2</strong>" in html
    assert 'name="target"' in html  # the roadmap form, preset to the best fit
    writes = [q["sql"] for q in ctx.captured_queries if q["sql"].split()[0] in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []
    assert "sessionid" not in page.cookies


def test_unknown_answers_are_reported_not_scored(client, loaded_initiative):
    page = client.get(reverse("workstreams:framework-framing"), {"planning": "bogus"}).content.decode()
    assert "Some answers were not recognized" in page and "Best fit" not in page


def test_roadmap_between_two_models(client, loaded_initiative):
    url = reverse("workstreams:framework-roadmap")
    html = client.get(url, {"current": "dso-model-1", "target": "dso-model-4"}).content.decode()
    import re

    path = re.sub(r"<[^>]+>", "", html.split("path through", 1)[1].split("</p>", 1)[0])
    assert path.strip() == "DSO Model 1 → DSO Model 2 → DSO Model 3 → DSO Model 4."
    row = html.split("DER dispatch", 1)[1].split("</tr>", 1)[0]
    assert "DSO can only curtail or isolate DER for local reliability" in row
    assert "DSO dispatches DER for distribution grid services" in row
    assert "DSO conducts security-constrained economic dispatch of DER" in row
    assert "decentralizing path" in html
    html = client.get(url, {"current": "total-tso", "target": "dso-model-2"}).content.decode()
    assert "No DSO stage in this model" in html
    data = selectors.roadmap(
        current=OperatingModel.objects.get(slug="dso-model-3"),
        target=OperatingModel.objects.get(slug="dso-model-1"),
        models=selectors.operating_models(),
    )
    assert [m.slug for m in data["path"]] == ["dso-model-3", "dso-model-2", "dso-model-1"]
    assert data["direction"] == "centralizing"
    assert [s["stage"] for s in data["rows"][0]["steps"]] == ["target", "intermediate", "current"]
    assert client.get(url, {"current": "nope", "target": "total-dso"}).status_code == 400


def test_framework_is_linked_from_track_1_and_workstream_a_only(client, loaded_initiative):
    link = reverse("workstreams:framework")
    assert link in client.get(Track.objects.get(number=1).get_absolute_url()).content.decode()
    assert link in client.get(Workstream.objects.get(code="A").get_absolute_url()).content.decode()
    assert link not in client.get(Workstream.objects.get(code="B").get_absolute_url()).content.decode()
    overview = client.get(link).content.decode()
    assert "Functions by category" in overview and "this grouping is editorial" in overview


@pytest.fixture
def dso_models(loaded_initiative):
    return list(OperatingModel.objects.filter(slug__startswith="dso-model"))


def test_staff_link_a_candidate_to_a_track2_topic(client, dso_models, staff):
    topic = TopicFactory(workstream=Workstream.objects.get(code="C"), title="Interconnection queue reform")
    client.force_login(staff)
    compare = client.get(reverse("workstreams:framework-compare"), {"models": [m.slug for m in dso_models]})
    assert (
        'action="'
        + reverse("workstreams:framework-topic-link", args=["interconnection-and-aggregation-review"])
        in compare.content.decode()
    )
    response = client.post(
        reverse("workstreams:framework-topic-link", args=["interconnection-and-aggregation-review"]),
        {"topic": topic.pk, "models": [m.slug for m in dso_models]},
    )
    assert response.status_code == 302
    link = FunctionTopicLink.objects.get()
    assert link.topic == topic and link.compared_models == [m.slug for m in dso_models]
    assert AuditEvent.objects.filter(action="least_regrets.link").count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Interconnection queue reform" in page
    client.post(reverse("workstreams:framework-topic-unlink", args=[link.pk]))
    assert not FunctionTopicLink.objects.exists()
    assert AuditEvent.objects.filter(action="least_regrets.unlink").count() == 1


def test_linking_refuses_non_candidates_and_non_track2_topics(dso_models, staff):
    from workstreams.models import GridFunction

    track2 = TopicFactory(workstream=Workstream.objects.get(code="B"))
    planning = GridFunction.objects.get(slug="distribution-planning")
    with pytest.raises(services.FrameworkError) as exc:  # Total TSO gives planning to the ISO
        services.function_topic_link(
            actor=staff, function=planning, topic=track2, models=selectors.operating_models()
        )
    assert exc.value.code == "not_candidate"
    with pytest.raises(services.FrameworkError) as exc:
        services.function_topic_link(
            actor=staff,
            function=planning,
            topic=TopicFactory(workstream=Workstream.objects.get(code="A")),
            models=dso_models,
        )
    assert exc.value.code == "not_track2"
    assert services.function_topic_link(actor=staff, function=planning, topic=track2, models=dso_models)
    assert MatrixCell.objects.filter(origin="staff").count() == 0


def test_non_staff_cannot_link(client, dso_models, participant):
    topic = TopicFactory(workstream=Workstream.objects.get(code="B"))
    client.force_login(participant)
    response = client.post(
        reverse("workstreams:framework-topic-link", args=["distribution-planning"]),
        {"topic": topic.pk, "models": [m.slug for m in dso_models]},
    )
    assert response.status_code == 403 and not FunctionTopicLink.objects.exists()
