"""The Track 3 report assembled from the issue areas' sections into a draft version of its deliverable,
which then goes through the same review workflow as any deliverable, up to publication with a PDF."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from pypdf import PdfReader

from consultations.models import Publication
from consultations.services import workflow as wf
from consultations.services.drafts import DraftError, demote_headings, track3_report_assemble
from consultations.tasks.workflow import build_publication
from tests.consultations.factories_workflow import drive, staff_user
from tests.factories import (
    DeliverableFactory,
    OrganizationFactory,
    TrackFactory,
    UserFactory,
    WorkstreamFactory,
)
from tests.workstreams.factories import ActionItemFactory, IssueAreaFactory
from workstreams.models import AreaSection, SectionKind
from workstreams.services import dialogue


@pytest.fixture
def dialogue_ws(db):
    return WorkstreamFactory(
        track=TrackFactory(number=3, name="Dialogue"), code="T3", slug="track-3-dialogue"
    )


@pytest.fixture
def report(dialogue_ws):
    return DeliverableFactory(
        workstream=dialogue_ws, slug="track-3-longer-term-vision-report", title="Longer-term issues report"
    )


def written_area(staff, name, vision):
    area = IssueAreaFactory(name=name, issues=[{"name": f"{name} issue", "description": "Why it is hard"}])
    dialogue.area_sections_seed(area=area)
    section = AreaSection.objects.get(area=area, kind=SectionKind.VISION)
    dialogue.section_update(actor=staff, section=section, body=f"{vision}\n\n## A sub-heading\n\nMore.")
    priorities = AreaSection.objects.get(area=area, kind=SectionKind.PRIORITIES)
    dialogue.section_update(actor=staff, section=priorities, body="- Start the dialogue now.")
    dialogue.solution_save(actor=staff, area=area, title=f"{name} solution", description="Do it.")
    return area


def test_demote_headings_leaves_code_alone():
    text = "# Title\n\nText\n\n```\n# not a heading\n```\n\n### Deep"
    assert demote_headings(text, 2) == "### Title\n\nText\n\n```\n# not a heading\n```\n\n##### Deep"


@pytest.mark.django_db
def test_the_report_is_assembled_from_the_sections_and_goes_through_the_workflow(
    report, django_capture_on_commit_callbacks
):
    staff = staff_user()
    ops = written_area(staff, "Distribution Operations", "DSOs coordinate with ISOs.")
    written_area(staff, "Market Regulation", "Jurisdiction is settled.")
    ActionItemFactory(
        workstream=report.workstream,
        issue_area=ops,
        description="Draft a DSO functions paper",
        owner=UserFactory(),
        owner_organization=OrganizationFactory(name="Commonwealth Utility Commission"),
    )

    version = track3_report_assemble(actor=staff)
    assert version.deliverable == report and version.number == 1
    body = version.body
    # each area, its sections in the report's order, headings nested under them
    assert body.index("## Distribution Operations") < body.index("### Longer-term vision")
    assert (
        body.index("### Longer-term vision")
        < body.index("### Key challenges")
        < body.index("### Potential solutions")
        < body.index("### Nearer-term priorities")
    )
    assert "#### A sub-heading" in body and "#### Distribution Operations solution" in body
    assert "**Distribution Operations issue**: Why it is hard" in body
    assert "Draft a DSO functions paper (Commonwealth Utility Commission; due" in body
    assert "## Market Regulation" in body
    assert "vision v1" in version.change_note
    assert version.sections.filter(title="Distribution Operations").exists()

    # nothing changed: no empty new version
    with pytest.raises(DraftError):
        track3_report_assemble(actor=staff)
    # a section changes: reassembling makes version 2
    vision = AreaSection.objects.get(area=ops, kind=SectionKind.VISION)
    dialogue.section_update(actor=staff, section=vision, body="DSOs and ISOs share real-time data.")
    assert track3_report_assemble(actor=staff).number == 2

    # the same workflow as any deliverable, to publication with a PDF
    drive(report, "approved", staff=staff)
    with django_capture_on_commit_callbacks(execute=False):
        wf.deliverable_transition(actor=staff, deliverable=report, name="publish")
    publication = Publication.objects.get(version__deliverable=report)
    assert build_publication.run(publication.pk) is True  # the task the publish transition queued
    publication.refresh_from_db()
    assert publication.version.number == 2
    pdf_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(bytes(publication.pdf))).pages)
    assert "DSOs and ISOs share real-time data." in pdf_text
    # once under review, voted on or published the text cannot be reassembled underneath it
    with pytest.raises(DraftError):
        track3_report_assemble(actor=staff)


@pytest.mark.django_db
def test_one_report_per_area_and_only_staff_assemble(dialogue_ws, participant):
    staff = staff_user()
    area = written_area(staff, "ISO Market Design", "Demand bids matter.")
    version = track3_report_assemble(actor=staff, area=area)
    assert version.deliverable.slug == f"track-3-report-{area.slug}"
    assert version.deliverable.workstream == dialogue_ws
    assert version.body.startswith("# ISO Market Design\n\n## Longer-term vision")
    with pytest.raises(PermissionDenied):
        track3_report_assemble(actor=participant, area=area)


@pytest.mark.django_db
def test_nothing_to_assemble_is_a_clear_error(report):
    area = IssueAreaFactory(issues=[])
    dialogue.area_sections_seed(area=area)
    with pytest.raises(DraftError, match="No section has any text"):
        track3_report_assemble(actor=staff_user())


@pytest.mark.django_db
def test_the_assemble_button_posts_and_lands_on_the_new_version(client, report):
    staff = staff_user()
    written_area(staff, "Distribution Interconnection", "Flexible interconnection is normal.")
    client.force_login(staff)
    response = client.post("/track-3/report/assemble/")
    assert response.status_code == 302 and response["Location"].endswith(f"/drafts/{report.pk}/v1/")
    page = client.get(response["Location"]).content.decode()
    assert "Flexible interconnection is normal." in page
    again = client.post("/track-3/report/assemble/", follow=True).content.decode()
    assert "Nothing changed since version 1" in again
