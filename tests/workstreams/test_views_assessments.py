"""Saved self-assessments: regulators and utilities save answers to the framing questions with a sharing
level, update and compare them; who may read each level; and the public map, which names nobody."""

import re

import pytest
from django.urls import reverse

from initiative.models import AuditEvent, StakeholderType
from tests.factories import OrganizationFactory, UserFactory
from tests.workstreams.factories_framework import OperatingModelFactory
from workstreams.models import FramingGroup, FramingOption, FramingQuestion, SelfAssessment, Sharing
from workstreams.services import framework as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def framing():
    central = OperatingModelFactory(slug="total-tso", name="Total TSO", position=0)
    hybrid = OperatingModelFactory(slug="hybrid", name="Hybrid DSO", position=1)
    decentral = OperatingModelFactory(slug="total-dso", name="Total DSO", position=2)
    group = FramingGroup.objects.create(slug="g", name="Design")
    q1 = FramingQuestion.objects.create(slug="q1", group=group, text="Who dispatches DERs?", order=1)
    q2 = FramingQuestion.objects.create(slug="q2", group=group, text="Who runs the market?", order=2)
    FramingOption.objects.create(question=q1, slug="tso", label="The TSO", order=1).favors.set([central])
    FramingOption.objects.create(question=q1, slug="dso", label="The DSO").favors.set([decentral])
    FramingOption.objects.create(question=q2, slug="tso", label="The ISO", order=1).favors.set([central])
    FramingOption.objects.create(question=q2, slug="dso", label="A DSO market").favors.set(
        [decentral, hybrid]
    )
    return {"central": central, "hybrid": hybrid, "decentral": decentral}


@pytest.fixture
def utility():
    return OrganizationFactory(
        name="Prairie Power", type=StakeholderType.IOU, jurisdiction_kind="state", jurisdiction="KS"
    )


@pytest.fixture
def people(utility):
    return {
        "owner": UserFactory(full_name="Olive Owner", organization=utility),
        "colleague": UserFactory(full_name="Colin Colleague", organization=utility),
        "other": UserFactory(
            full_name="Otto Other", organization=OrganizationFactory(type=StakeholderType.STATE_REGULATOR)
        ),
    }


def save(owner, sharing, *, answers=None, jurisdiction="KS", title="Baseline"):
    return services.assessment_save(
        actor=owner,
        title=title,
        answers=answers if answers is not None else {"q1": "dso", "q2": "dso"},
        sharing=sharing,
        jurisdiction=jurisdiction,
    )


# who reads what: (sharing, viewer) -> (status code, owner named)
EXPECTED = {
    (Sharing.PRIVATE, "owner"): (200, True),
    (Sharing.PRIVATE, "colleague"): (404, False),
    (Sharing.PRIVATE, "other"): (404, False),
    (Sharing.PRIVATE, "anonymous"): (404, False),
    (Sharing.ORGANIZATION, "owner"): (200, True),
    (Sharing.ORGANIZATION, "colleague"): (200, True),
    (Sharing.ORGANIZATION, "other"): (404, False),
    (Sharing.ORGANIZATION, "anonymous"): (404, False),
    (Sharing.PUBLISHED, "owner"): (200, True),
    (Sharing.PUBLISHED, "colleague"): (200, True),
    (Sharing.PUBLISHED, "other"): (200, False),
    (Sharing.PUBLISHED, "anonymous"): (200, False),
}


@pytest.mark.parametrize(("sharing", "viewer"), list(EXPECTED))
def test_who_may_read_an_assessment_at_each_sharing_level(client, framing, people, sharing, viewer):
    """Private: the owner only. Organization: the owner's organization. Published: anyone, but only the
    owner's organization sees whose it is."""
    assessment = save(people["owner"], sharing)
    if viewer != "anonymous":
        client.force_login(people[viewer])
    response = client.get(assessment.get_absolute_url())
    status, named = EXPECTED[(sharing, viewer)]
    assert response.status_code == status
    content = response.content.decode()
    assert ("Olive Owner" in content) is named
    assert ("Prairie Power" in content) is named
    if viewer != "anonymous":
        listed = client.get(reverse("workstreams:assessment-list")).content.decode()
        assert ("Baseline" in listed) is (viewer == "owner" or (named and viewer == "colleague"))


def test_only_the_owner_updates_and_each_update_is_a_revision(client, framing, people):
    assessment = save(people["owner"], Sharing.ORGANIZATION)
    client.force_login(people["colleague"])
    assert client.get(reverse("workstreams:assessment-edit", args=[assessment.pk])).status_code == 403
    client.force_login(people["owner"])
    edit = reverse("workstreams:assessment-edit", args=[assessment.pk])
    page = client.get(edit).content.decode()
    assert 'value="Baseline"' in page
    assert re.search(r'name="q1" value="dso" class="usa-radio__input" id="id_q1_\d" checked', page)
    response = client.post(
        edit,
        {
            "title": "After the rate case",
            "sharing": "published",
            "jurisdiction": "KS",
            "q1": "tso",
            "q2": "tso",
        },
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.title == "After the rate case" and assessment.revision == 2
    assert assessment.answers == {"q1": "tso", "q2": "tso"} and assessment.sharing == Sharing.PUBLISHED
    assert AuditEvent.objects.filter(action="self_assessment.update", actor=people["owner"]).count() == 1
    page = client.get(assessment.get_absolute_url()).content.decode()
    assert "Best fit:" in page and "Total TSO" in page


def test_saving_is_for_regulators_and_utilities(client, framing, people):
    advocate = UserFactory(organization=OrganizationFactory(type=StakeholderType.CONSUMER_ADVOCATE))
    client.force_login(advocate)
    assert client.get(reverse("workstreams:assessment-create")).status_code == 403
    client.force_login(people["other"])  # a state regulator
    response = client.post(
        reverse("workstreams:assessment-create"),
        {"title": "Commission view", "sharing": "private", "jurisdiction": "NY", "q1": "dso", "q2": "bogus"},
    )
    assert response.status_code == 422  # an unknown option is refused by the form
    response = client.post(
        reverse("workstreams:assessment-create"),
        {"title": "Commission view", "sharing": "private", "jurisdiction": "NY", "q1": "dso", "q2": "unsure"},
    )
    saved = SelfAssessment.objects.get(title="Commission view")
    assert response["Location"] == saved.get_absolute_url()
    assert saved.owner == people["other"] and saved.answers == {"q1": "dso", "q2": "unsure"}


def test_compare_two_saved_assessments_side_by_side(client, framing, people):
    first = save(people["owner"], Sharing.PRIVATE, title="2026", answers={"q1": "tso", "q2": "tso"})
    second = save(people["owner"], Sharing.PRIVATE, title="2028", answers={"q1": "tso", "q2": "dso"})
    client.force_login(people["owner"])
    page = client.get(
        reverse("workstreams:assessment-compare"), {"a": first.pk, "b": second.pk}
    ).content.decode()
    assert "1 answer differs." in page
    assert "The ISO" in page and "A DSO market" in page
    # Someone else's private assessment cannot be compared (it is not among the choices).
    client.force_login(people["colleague"])
    response = client.get(reverse("workstreams:assessment-compare"), {"a": first.pk, "b": second.pk})
    assert response.status_code == 400


def test_the_public_map_places_published_assessments_by_jurisdiction_and_names_nobody(
    client, framing, people
):
    save(people["owner"], Sharing.PUBLISHED, answers={"q1": "dso", "q2": "dso"})  # Total DSO, KS
    save(people["colleague"], Sharing.PUBLISHED, answers={"q1": "tso", "q2": "tso"})  # Total TSO, KS
    save(people["other"], Sharing.PUBLISHED, jurisdiction="PJM", answers={"q1": "tso", "q2": "tso"})
    save(people["owner"], Sharing.ORGANIZATION, jurisdiction="NY", title="Not public")
    save(people["owner"], Sharing.PRIVATE, jurisdiction="TX", title="Not public")
    page = client.get(reverse("workstreams:assessment-map")).content.decode()
    assert "3 published self-assessments" in page
    assert "Kansas" in page and "PJM Interconnection" in page
    assert "New York" not in page and "Texas" not in page
    for name in ("Olive", "Colin", "Otto", "Prairie Power", "Baseline", "Not public"):
        assert name not in page
    assert '<svg role="img" aria-labelledby="map-title map-desc"' in page
    # The table: Kansas has 2, one fitting Total TSO best and one Total DSO; on average, the hybrid.
    row = page[page.index('<th scope="row">Kansas</th>') :].split("</tr>")[0]
    assert "<td>2</td><td>1</td><td>0</td><td>1</td><td>Hybrid DSO</td>" in row.replace("\n", "")
