"""Demo data of the Track 3 dialogue: a closed prioritization round (regulators' ballots weighted) that
sets the agenda, two issue areas with drafted sections (several versions), solutions tied to Track 1
models, comments, owners, a completed re-evaluation that changed the vision, and the next one due.
Written through the services so the history, audit and versions are what users would have made.
Idempotent: skipped once the Track 3 round exists."""

import datetime

from django.utils import timezone

from initiative.demo import demo_user
from initiative.models import User

from ..models import (
    AreaSection,
    Ballot,
    Electorate,
    IssueArea,
    OperatingModel,
    PrioritizationRound,
    Reevaluation,
    RoundStatus,
    SectionKind,
    Workstream,
)
from ..services import dialogue
from ..services.prioritization import round_compute

VISIONS = {
    "distribution-operations": [
        "Distribution system operators coordinate with ISOs in real time, with clear roles for monitoring, "
        "dispatch and control of DERs.",
        "Distribution system operators coordinate with ISOs in real time, with clear roles for monitoring, "
        "dispatch and control of DERs, and the same operating picture is shared with DER aggregators.\n\n"
        "How this coordination works depends on the operating model a jurisdiction moves toward: it will be "
        "very different under the more decentralized versus the more centralized DSO models.",
    ],
    "data-sharing-and-communications": [
        "Utilities, ISOs and aggregators exchange the data each needs, at the granularity and frequency "
        "operations require, through common protocols.",
    ],
}
PRIORITIES = {
    "distribution-operations": "- Inventory today's monitoring and control capabilities.\n"
    "- Agree the operating needs and functional responsibilities of future DSOs.",
    "data-sharing-and-communications": "- Agree the distribution data utilities share with aggregators.",
}
SOLUTIONS = {
    "distribution-operations": [
        (
            "Hierarchical dispatch through the DSO",
            "The DSO aggregates and dispatches DERs for the ISO.",
            [4, 5],
        ),
        (
            "ISO dispatch with DSO safety checks",
            "The ISO dispatches; the DSO checks distribution limits.",
            [0, 1],
        ),
    ],
    "data-sharing-and-communications": [
        ("Common DSO–ISO data exchange", "Standard interfaces for real-time operational data.", []),
    ],
}


def load() -> None:
    dialogue_ws = Workstream.objects.filter(track__number=3).order_by("code").first()
    if dialogue_ws is None or PrioritizationRound.objects.filter(workstream=dialogue_ws).exists():
        return
    staff = demo_user("staff@demo.example.org")
    now, today = timezone.now(), timezone.localdate()

    # The agenda: regulators weighted three times, as the report asks them to lead.
    topics = list(
        dialogue_ws.topics.filter(is_active=True, issue_area__isnull=False).order_by("issue_area__order")
    )
    if len(topics) >= 2:
        rnd = PrioritizationRound.objects.create(
            workstream=dialogue_ws,
            title="Track 3 priorities",
            opens_at=now - datetime.timedelta(days=50),
            closes_at=now - datetime.timedelta(days=36),
            electorate=Electorate.REGULATORS_WEIGHTED,
            regulator_weight=3,
            created_by=staff,
        )
        rnd.topics.set(topics)
        ids = [t.pk for t in topics]
        members = list(
            User.objects.filter(enrollments__workstream=dialogue_ws, enrollments__status="active")
            .select_related("organization")
            .order_by("pk")
        )
        for k, voter in enumerate(members):
            # the regulator puts operations and market regulation first; the others rotate the report's order
            ranking = (
                ids[3:5] + ids[:3] + ids[5:]
                if voter.effective_stakeholder_type == "state_regulator"
                else ids[k:] + ids[:k]
            )
            Ballot.objects.create(
                round=rnd, voter=voter, stakeholder_type=voter.effective_stakeholder_type, ranking=ranking
            )
        rnd.result = round_compute(rnd)
        rnd.status, rnd.closed_at = RoundStatus.CLOSED, rnd.closes_at
        rnd.save()

    models = {m.position: m for m in OperatingModel.objects.all()}
    participant = User.objects.filter(enrollments__workstream=dialogue_ws).order_by("pk").first()
    for slug, visions in VISIONS.items():
        area = IssueArea.objects.filter(slug=slug).first()
        if area is None:
            continue
        dialogue.area_sections_seed(area=area)
        vision = AreaSection.objects.get(area=area, kind=SectionKind.VISION)
        dialogue.section_update(
            actor=staff, section=vision, body=visions[0], note="Drafted at the first workshop"
        )
        priorities = AreaSection.objects.get(area=area, kind=SectionKind.PRIORITIES)
        dialogue.section_update(actor=staff, section=priorities, body=PRIORITIES[slug])
        for title, description, positions in SOLUTIONS[slug]:
            dialogue.solution_save(
                actor=staff,
                area=area,
                title=title,
                description=description,
                operating_models=[models[p] for p in positions if p in models],
            )
        owners = [staff] + ([participant] if participant else [])
        dialogue.area_update(actor=staff, area=area, owners=owners, reevaluate_on=None)
        if participant is not None:
            dialogue.section_comment_create(
                actor=participant,
                section=vision,
                body="The vision should say who shares data with aggregators.",
            )
        if len(visions) > 1:
            # a first re-evaluation confirmed the vision; a year on, the second changed it
            Reevaluation.objects.create(
                area=area,
                due_on=today - datetime.timedelta(days=365),
                status=Reevaluation.Status.DONE,
                opened_at=now - datetime.timedelta(days=365),
                completed_at=now - datetime.timedelta(days=360),
                completed_by=staff,
                vision_version=vision.versions.order_by("-number").first(),
                note="Confirmed as written.",
            )
            dialogue.section_update(
                actor=staff, section=vision, body=visions[1], note="Re-evaluation: aggregators"
            )
            # history, not news: recorded directly so loading the demo emails nobody
            Reevaluation.objects.create(
                area=area,
                due_on=today,
                status=Reevaluation.Status.DONE,
                opened_at=now,
                completed_at=now,
                completed_by=staff,
                vision_version=vision.versions.order_by("-number").first(),
                note="Aggregators added; the models' differences made explicit.",
            )
            IssueArea.objects.filter(pk=area.pk).update(reevaluate_on=today + datetime.timedelta(days=365))
        else:
            IssueArea.objects.filter(pk=area.pk).update(reevaluate_on=today + datetime.timedelta(days=90))
