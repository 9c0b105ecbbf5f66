"""The Track 3 issue area pages: what each role sees and may do (asked of the policy), editing a section
from its page, comments, staff settings, action items with the accountable organization, empty states,
and a query count that does not grow with the document."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import EnrollmentFactory, OrganizationFactory, TrackFactory, WorkstreamFactory
from tests.workstreams.factories import LOCAL_CACHE, IssueAreaFactory
from workstreams.models import ActionItem, AreaSection, SectionComment, SectionKind
from workstreams.services import dialogue


@pytest.fixture
def dialogue_ws(db):
    return WorkstreamFactory(
        track=TrackFactory(number=3, name="Dialogue"), code="T3", slug="track-3-dialogue"
    )


@pytest.fixture
def area(db):
    area = IssueAreaFactory(
        name="Market Regulation", issues=[{"name": "State-federal jurisdiction", "description": "Overlaps"}]
    )
    dialogue.area_sections_seed(area=area)
    return area


@pytest.fixture
def t3_participant(dialogue_ws):
    return EnrollmentFactory(workstream=dialogue_ws).user


def url(area, rest=""):
    return f"/track-3/issue-areas/{area.slug}/{rest}"


@pytest.mark.django_db
def test_the_public_reads_the_document_with_empty_states_and_no_edit_links(client, area):
    page = client.get(url(area)).content.decode()
    assert "Longer-term vision" in page and "Nearer-term priorities" in page
    assert "State-federal jurisdiction" in page  # the key challenges from Table 5
    assert "Nothing here yet: the workshops have not drafted this section." in page
    assert "No potential solutions yet." in page and "Not re-evaluated yet." in page
    assert "/edit/" not in page and "Add a potential solution" not in page
    assert "Sign in" in page
    assert client.get(url(area, "vision/edit/")).status_code == 302  # to the login page
    assert client.post(url(area, "vision/comments/"), {"body": "Hi"}).status_code == 302
    assert not SectionComment.objects.exists()


@pytest.mark.django_db
def test_a_dialogue_participant_edits_a_section_and_a_member_comments(
    client, area, t3_participant, participant
):
    client.force_login(t3_participant)
    assert "Edit<span" in client.get(url(area)).content.decode()
    response = client.post(url(area, "vision/edit/"), {"body": "A shared vision.", "note": "First draft"})
    assert response.status_code == 302
    vision = AreaSection.objects.get(area=area, kind=SectionKind.VISION)
    assert vision.version == 1 and vision.body == "A shared vision."
    page = client.get(url(area)).content.decode()
    assert "A shared vision." in page and "Version 1" in page

    client.force_login(participant)  # a participant of another workstream: a member, not a drafter
    assert client.get(url(area, "vision/edit/")).status_code == 403
    assert client.post(url(area, "vision/edit/"), {"body": "Mine"}).status_code == 403
    client.post(url(area, "vision/comments/"), {"body": "Please mention ISOs."})
    assert SectionComment.objects.get().version_number == 1
    assert "Please mention ISOs." in client.get(url(area)).content.decode()


@pytest.mark.django_db
def test_staff_set_owners_and_date_and_record_action_items_with_the_accountable_organization(
    client, area, dialogue_ws, staff, t3_participant
):
    client.force_login(t3_participant)
    assert client.get(url(area, "settings/")).status_code == 403
    assert client.get(url(area, "action-items/new/")).status_code == 403
    client.force_login(staff)
    due = timezone.localdate() + datetime.timedelta(days=30)
    client.post(url(area, "settings/"), {"owners": [t3_participant.pk], "reevaluate_on": due.isoformat()})
    area.refresh_from_db()
    assert list(area.owners.all()) == [t3_participant] and area.reevaluate_on == due
    org = OrganizationFactory(name="Commonwealth Utility Commission")
    response = client.post(
        url(area, "action-items/new/"),
        {
            "description": "Convene regulators on jurisdiction",
            "owner": t3_participant.pk,
            "owner_organization": org.pk,
            "due_date": due.isoformat(),
        },
    )
    assert response.status_code == 302
    item = ActionItem.objects.get()
    assert (item.issue_area, item.workstream, item.owner_organization) == (area, dialogue_ws, org)
    page = client.get(url(area)).content.decode()
    assert "Convene regulators on jurisdiction" in page and "Commonwealth Utility Commission" in page
    assert f"Next re-evaluation: <strong>{due:%B} {due.day}, {due.year}</strong>" in page


@pytest.mark.django_db
def test_solution_form_ties_models_and_bad_input_is_refused_clearly(client, area, staff):
    from workstreams.models import OperatingModel

    model = OperatingModel.objects.create(slug="total-dso", name="Total DSO", position=5)
    client.force_login(staff)
    bad = client.post(url(area, "solutions/new/"), {"title": "", "operating_models": [model.pk]})
    assert bad.status_code == 422 and "This field is required" in bad.content.decode()
    client.post(url(area, "solutions/new/"), {"title": "Local markets", "operating_models": [model.pk]})
    page = client.get(url(area)).content.decode()
    assert "Local markets" in page and "Total DSO" in page


@pytest.mark.django_db
def test_the_area_page_query_count_does_not_grow_with_the_document(
    client, area, staff, settings, django_assert_max_num_queries
):
    settings.CACHES = LOCAL_CACHE
    client.get(url(area))
    for kind in SectionKind.values:
        section = AreaSection.objects.get(area=area, kind=kind)
        for n in range(3):
            dialogue.section_update(actor=staff, section=section, body=f"Text {n} of {kind}")
            dialogue.section_comment_create(actor=staff, section=section, body=f"Comment {n}")
    for n in range(5):
        dialogue.solution_save(actor=staff, area=area, title=f"Solution {n}")
    with django_assert_max_num_queries(30):
        assert client.get(url(area)).status_code == 200


@pytest.mark.django_db
def test_the_list_shows_the_agenda_empty_state_and_participants_may_propose(
    client, area, dialogue_ws, t3_participant
):
    page = client.get("/track-3/issue-areas/").content.decode()
    assert "No prioritization round of the Track 3 dialogue has closed yet" in page
    assert "Propose a candidate topic" not in page
    client.force_login(t3_participant)
    assert "Propose a candidate topic" in client.get("/track-3/issue-areas/").content.decode()
    response = client.post(
        "/workstreams/track-3-dialogue/topics/propose/", {"title": "Resilience hubs", "issue_area": area.pk}
    )
    assert response.status_code == 302
    listing = client.get("/workstreams/track-3-dialogue/topics/propose/").content.decode()
    assert "Resilience hubs" in listing and "Proposed by a participant" in listing
