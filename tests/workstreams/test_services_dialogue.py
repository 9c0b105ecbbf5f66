"""Track 3 issue areas as living documents: every change to a section is a numbered version with a
diff, solutions tied to Track 1 models are part of the solutions section's versions, who may draft and
comment, and the re-evaluation task that opens once per date and emails each person once."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from initiative.models import AuditEvent, Delivery
from tests.factories import (
    EnrollmentFactory,
    OrganizationFactory,
    TrackFactory,
    UserFactory,
    WorkstreamFactory,
)
from tests.workstreams.factories import IssueAreaFactory, SessionFactory
from workstreams import tasks
from workstreams.models import AreaSection, OperatingModel, Reevaluation, SectionKind, SectionVersion
from workstreams.selectors import dialogue as selectors
from workstreams.services import dialogue


@pytest.fixture
def dialogue_ws(db):
    return WorkstreamFactory(
        track=TrackFactory(number=3, name="Dialogue"), code="T3", slug="track-3-dialogue"
    )


@pytest.fixture
def area(db):
    area = IssueAreaFactory(
        name="Distribution Operations",
        issues=[{"name": "DSO functions", "description": "Operating needs and roles of future DSOs"}],
    )
    dialogue.area_sections_seed(area=area)
    return area


@pytest.fixture
def t3_participant(dialogue_ws):
    return EnrollmentFactory(workstream=dialogue_ws).user


def section(area, kind):
    return AreaSection.objects.get(area=area, kind=kind)


@pytest.mark.django_db
def test_seeding_gives_four_sections_and_the_challenges_from_table_5_as_version_1(area):
    kinds = sorted(AreaSection.objects.filter(area=area).values_list("kind", flat=True))
    assert kinds == sorted(SectionKind.values)
    challenges = section(area, SectionKind.CHALLENGES)
    assert challenges.version == 1
    assert "**DSO functions**: Operating needs and roles of future DSOs" in challenges.versions.get().text
    assert section(area, SectionKind.VISION).version == 0
    # seeding again changes nothing
    assert dialogue.area_sections_seed(area=area) == 0
    assert SectionVersion.objects.filter(section__area=area).count() == 1


@pytest.mark.django_db
def test_each_change_is_a_new_version_and_the_history_diff_shows_it(area, t3_participant, staff):
    vision = section(area, SectionKind.VISION)
    v1 = dialogue.section_update(actor=staff, section=vision, body="Utilities plan with shared data.")
    v2 = dialogue.section_update(
        actor=t3_participant,
        section=vision,
        body="Utilities and ISOs plan with shared data.",
        note="ISOs too",
    )
    assert (v1.number, v2.number) == (1, 2)
    # saving the same text again makes no version
    assert (
        dialogue.section_update(actor=staff, section=vision, body="Utilities and ISOs plan with shared data.")
        is None
    )
    vision.refresh_from_db()
    assert vision.version == 2 and vision.updated_by == t3_participant
    assert list(vision.versions.order_by("number").values_list("text", flat=True)) == [
        "Utilities plan with shared data.",
        "Utilities and ISOs plan with shared data.",
    ]
    rows = selectors.version_compare(vision, old=1, new=2)["rows"]
    assert [r.op for r in rows] == ["changed"]
    assert rows[0].new_html == "Utilities<ins> and ISOs</ins> plan with shared data."
    assert AuditEvent.objects.filter(action="issue_area.section_update").count() == 2


@pytest.mark.django_db
def test_history_page_shows_versions_and_the_diff(client, area, staff):
    vision = section(area, SectionKind.VISION)
    dialogue.section_update(actor=staff, section=vision, body="First <b>vision</b>.")
    dialogue.section_update(actor=staff, section=vision, body="Second vision.", note="Reworded")
    page = client.get(f"/track-3/issue-areas/{area.slug}/vision/history/").content.decode()
    assert "Version 1 → version 2" in page
    assert "Reworded" in page
    assert "<del>First</del>" in page and "&lt;b&gt;" in page  # escaped source, never rendered
    assert client.get(f"/track-3/issue-areas/{area.slug}/vision/history/?old=1&new=9").status_code == 404
    assert client.get(f"/track-3/issue-areas/{area.slug}/nonsense/history/").status_code == 404


@pytest.mark.django_db
def test_solutions_tied_to_models_are_versions_of_the_solutions_section(area, staff):
    m1 = OperatingModel.objects.create(slug="dso-1", name="DSO Model 1", position=2)
    m4 = OperatingModel.objects.create(slug="dso-4", name="DSO Model 4", position=5)
    sol = dialogue.solution_save(
        actor=staff,
        area=area,
        title="Hierarchical dispatch",
        description="The DSO dispatches.",
        operating_models=[m4, m1],
    )
    solutions = section(area, SectionKind.SOLUTIONS)
    assert solutions.version == 1
    assert "### Hierarchical dispatch" in solutions.versions.get().text
    assert "*Suits: DSO Model 1, DSO Model 4.*" in solutions.versions.get().text
    dialogue.solution_retire(actor=staff, solution=sol)
    solutions.refresh_from_db()
    assert solutions.version == 2
    assert "Hierarchical dispatch" not in solutions.versions.get(number=2).text
    assert "Hierarchical dispatch" in solutions.versions.get(number=1).text


@pytest.mark.django_db
def test_drafting_is_for_staff_owners_and_dialogue_participants_comments_for_members(
    area, t3_participant, participant, public_user, staff
):
    vision = section(area, SectionKind.VISION)
    # a participant of another workstream is a member: may comment, may not draft
    with pytest.raises(PermissionDenied):
        dialogue.section_update(actor=participant, section=vision, body="Mine.")
    comment = dialogue.section_comment_create(actor=participant, section=vision, body="Add ISOs.")
    assert comment.version_number == 0
    with pytest.raises(PermissionDenied):
        dialogue.section_comment_create(actor=public_user, section=vision, body="Me too.")
    with pytest.raises(PermissionDenied):
        dialogue.section_update(actor=public_user, section=vision, body="Mine.")
    # an owner who is not in the dialogue may draft
    dialogue.area_update(actor=staff, area=area, owners=[public_user], reevaluate_on=None)
    assert dialogue.section_update(actor=public_user, section=vision, body="Owner's text.").number == 1
    assert (
        dialogue.section_update(actor=t3_participant, section=vision, body="Participant's text.").number == 2
    )
    with pytest.raises(PermissionDenied):
        dialogue.area_update(actor=t3_participant, area=area, owners=[], reevaluate_on=None)


# Re-evaluation ------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_reevaluation_task_opens_once_and_emails_each_person_once(dialogue_ws, area, staff):
    owner = UserFactory(organization=OrganizationFactory())
    attendee = UserFactory()
    session = SessionFactory(workstream=dialogue_ws)
    session.issue_areas.add(area)
    session.attendees.add(attendee, owner)  # the owner attended too: still one email
    due = timezone.localdate() + datetime.timedelta(days=3)
    dialogue.area_update(actor=staff, area=area, owners=[owner], reevaluate_on=due)
    mail.outbox.clear()

    assert tasks.open_reevaluations.apply().get() == 0  # not yet due
    with time_machine.travel(timezone.now() + datetime.timedelta(days=4)):
        assert tasks.open_reevaluations.apply().get() == 1
        assert tasks.open_reevaluations.apply().get() == 0  # the second run finds it open

    assert Reevaluation.objects.filter(area=area).count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([owner.email, attendee.email])
    assert all(area.name in m.subject for m in mail.outbox)
    assert Delivery.objects.filter(kind="workstreams.reevaluation_opened", status="sent").count() == 2


@pytest.mark.django_db
def test_completed_reevaluations_show_when_and_what_changed(client, area, staff):
    vision = section(area, SectionKind.VISION)
    dialogue.section_update(actor=staff, section=vision, body="A vision for 2030.")
    today = timezone.localdate()
    dialogue.area_update(actor=staff, area=area, owners=[], reevaluate_on=today)
    first = dialogue.reevaluation_open(area_id=area.pk, today=today)
    dialogue.reevaluation_complete(
        actor=staff, reevaluation=first, next_on=today + datetime.timedelta(days=365)
    )
    dialogue.section_update(actor=staff, section=vision, body="A vision for 2035.")
    with time_machine.travel(timezone.now() + datetime.timedelta(days=366)):
        second = dialogue.reevaluation_open(area_id=area.pk)
        assert second is not None
        dialogue.reevaluation_complete(actor=staff, reevaluation=second, note="Horizon moved.")
        history = selectors.reevaluation_history(area)
        page = client.get(area.get_absolute_url()).content.decode()
    assert history["last"].pk == second.pk and history["last"].changed
    # the first re-evaluation confirmed the vision as first written: nothing changed
    assert not history["done"][1].changed
    assert "The vision was confirmed as it stood." in page
    assert "<del>2030</del>" in page and "<ins>2035</ins>" in page
    assert "Last re-evaluated on" in page and "Horizon moved." in page
    with pytest.raises(dialogue.DialogueError):
        dialogue.reevaluation_complete(actor=staff, reevaluation=second)


@pytest.mark.django_db
def test_the_loader_seeds_every_area_and_links_its_candidate_topic(loaded_initiative):
    from workstreams.loader import load_initiative
    from workstreams.models import IssueArea, Topic

    areas = list(IssueArea.objects.all())
    assert len(areas) == 7
    for a in areas:
        assert AreaSection.objects.filter(area=a).count() == 4
        challenges = AreaSection.objects.get(area=a, kind=SectionKind.CHALLENGES)
        assert challenges.version == 1 and a.issues[0]["name"] in challenges.body
        assert Topic.objects.get(workstream__code="T3", issue_area=a).title == a.name
    load_initiative()  # again: nothing new
    assert SectionVersion.objects.count() == 7
    assert Topic.objects.filter(workstream__code="T3").count() == 7


@pytest.mark.django_db
def test_staff_open_a_weighted_round_from_the_form(client, dialogue_ws, staff):
    from tests.workstreams.factories import TopicFactory
    from workstreams.models import PrioritizationRound

    topics = [TopicFactory(workstream=dialogue_ws) for _ in range(3)]
    client.force_login(staff)
    form = client.get(f"/workstreams/{dialogue_ws.slug}/rounds/new/").content.decode()
    assert "State and federal regulators only" in form
    data = {
        "title": "Track 3 priorities",
        "closes_on": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
        "closes_time": "17:00",
        "time_zone": "America/New_York",
        "topics": [t.pk for t in topics],
        "electorate": "regulators_weighted",
        "regulator_weight": "",
    }
    bad = client.post(f"/workstreams/{dialogue_ws.slug}/rounds/new/", data)
    assert bad.status_code == 422 and "A weighted round needs a weight from 2 to 10." in bad.content.decode()
    client.post(f"/workstreams/{dialogue_ws.slug}/rounds/new/", {**data, "regulator_weight": "3"})
    rnd = PrioritizationRound.objects.get()
    assert (rnd.electorate, rnd.regulator_weight) == ("regulators_weighted", 3)
    assert "ballot counts as 3" in client.get(rnd.get_absolute_url()).content.decode()
