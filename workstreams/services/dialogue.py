"""Writes on the Track 3 dialogue's living documents: the four sections of each issue area (every
change kept as a numbered version), its potential solutions (tied to the Track 1 models they suit),
members' comments, the area's owners and re-evaluation date, and the re-evaluations of its vision
(opened once per date by the periodic task, with one email per person through the outbox)."""

import datetime
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from initiative import audit, outbox, policy
from initiative.models import User

from ..models import (
    SECTION_ORDER,
    AreaSection,
    IssueArea,
    OperatingModel,
    Reevaluation,
    SectionComment,
    SectionKind,
    SectionVersion,
    Solution,
)


class DialogueError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# The text of a section --------------------------------------------------------------------------------


def challenges_from_table(area: IssueArea) -> str:
    """Table 5's rows for the area as a Markdown list: the key challenges' first version."""
    return "\n".join(
        f"- **{row['name']}**: {row['description']}" if row.get("description") else f"- **{row['name']}**"
        for row in area.issues
    )


def solutions_text(intro: str, solutions: Iterable[Solution]) -> str:
    """The solutions section as one text: the introduction, then each active solution as a level-3
    heading with its description and the Track 1 models it suits. This is what a version keeps and what
    the report prints."""
    parts = [intro.strip()] if intro.strip() else []
    for s in solutions:
        if not s.is_active:
            continue
        block = [f"### {s.title.strip()}"]
        if s.description.strip():
            block.append(s.description.strip())
        names = [m.name for m in sorted(s.operating_models.all(), key=lambda m: m.position)]
        if names:
            block.append(_("*Suits: %(models)s.*") % {"models": ", ".join(names)})
        parts.append("\n\n".join(block))
    return "\n\n".join(parts)


def section_text(section: AreaSection) -> str:
    if section.kind == SectionKind.SOLUTIONS:
        solutions = Solution.objects.filter(area_id=section.area_id).prefetch_related("operating_models")
        return solutions_text(section.body, solutions)
    return section.body.strip()


def _snapshot(section: AreaSection, *, author, note: str = "") -> SectionVersion | None:
    """Record the section's current text as its next version, unless it equals the latest one. The
    caller holds the section's row lock."""
    text = section_text(section)
    latest = section.versions.order_by("-number").first()
    if latest is not None and latest.text == text:
        return None
    number = section.version + 1
    version = SectionVersion.objects.create(
        section=section, number=number, text=text, note=note.strip()[:300], author=author
    )
    section.version, section.updated_at, section.updated_by = number, version.created_at, author
    section.save(update_fields=["version", "updated_at", "updated_by"])
    return version


def area_sections_seed(*, area: IssueArea) -> int:
    """Create the area's missing sections (the key challenges from Table 5, as version 1). Returns how
    many were created; existing sections are left as the dialogue made them."""
    created = 0
    with transaction.atomic():
        for kind in SECTION_ORDER:
            body = challenges_from_table(area) if kind == SectionKind.CHALLENGES else ""
            section, new = AreaSection.objects.get_or_create(area=area, kind=kind, defaults={"body": body})
            if new:
                created += 1
                if body:
                    _snapshot(section, author=None, note=_("From the report's Table 5"))
    return created


def _lock_section(section: AreaSection) -> AreaSection:
    # lock: versions of one section are numbered one at a time
    return AreaSection.objects.select_for_update(no_key=True).select_related("area").get(pk=section.pk)


# Sections and solutions --------------------------------------------------------------------------------


def section_update(*, actor, section: AreaSection, body: str, note: str = "") -> SectionVersion | None:
    """Save a section's new text as its next version (None when nothing changed)."""
    policy.require(actor, "workstreams.draft_issue_area", section.area)
    with transaction.atomic():
        section = _lock_section(section)
        before = section.version
        section.body = body.strip()
        section.save(update_fields=["body"])
        version = _snapshot(section, author=actor, note=note)
        if version is not None:
            audit.record(
                actor=actor,
                action="issue_area.section_update",
                obj=section,
                before={"version": before},
                after={"version": version.number, "kind": section.kind},
                reason=version.note,
            )
    return version


def _solutions_section(area: IssueArea) -> AreaSection:
    section, _new = AreaSection.objects.get_or_create(area=area, kind=SectionKind.SOLUTIONS)
    return _lock_section(section)


def solution_save(
    *,
    actor,
    area: IssueArea,
    title: str,
    description: str = "",
    operating_models: Iterable[OperatingModel] = (),
    solution: Solution | None = None,
    note: str = "",
) -> Solution:
    """Add a potential solution to the area, or change one; the solutions section gets a new version."""
    policy.require(actor, "workstreams.draft_issue_area", area)
    if not title.strip():
        raise DialogueError(_("A solution needs a title."))
    if solution is not None and solution.area_id != area.pk:
        raise DialogueError(_("This solution belongs to another issue area."))
    with transaction.atomic():
        section = _solutions_section(area)
        if solution is None:
            solution = Solution.objects.create(
                area=area,
                title=title.strip()[:300],
                description=description.strip(),
                order=Solution.objects.filter(area=area).count(),
                created_by=actor,
            )
            action = "issue_area.solution_create"
        else:
            solution.title, solution.description = title.strip()[:300], description.strip()
            solution.save(update_fields=["title", "description"])
            action = "issue_area.solution_update"
        solution.operating_models.set(list(operating_models or []))
        version = _snapshot(section, author=actor, note=note or solution.title)
        audit.record(
            actor=actor,
            action=action,
            obj=solution,
            after={
                "title": solution.title,
                "models": [m.slug for m in solution.operating_models.all()],
                "version": version.number if version else section.version,
            },
        )
    return solution


def solution_retire(*, actor, solution: Solution) -> Solution:
    """Take a solution out of the document (kept, and in the earlier versions)."""
    policy.require(actor, "workstreams.draft_issue_area", solution.area)
    with transaction.atomic():
        section = _solutions_section(solution.area)
        if Solution.objects.filter(pk=solution.pk, is_active=True).update(is_active=False):
            solution.is_active = False
            _snapshot(section, author=actor, note=_("Withdrawn: %(t)s") % {"t": solution.title})
            audit.record(actor=actor, action="issue_area.solution_retire", obj=solution)
    return solution


def section_comment_create(*, actor, section: AreaSection, body: str) -> SectionComment:
    policy.require(actor, "workstreams.comment_on_issue_area", section.area)
    if not body.strip():
        raise DialogueError(_("Write a comment first."))
    with transaction.atomic():
        comment = SectionComment.objects.create(
            section=section, version_number=section.version, author=actor, body=body.strip()
        )
        audit.record(
            actor=actor,
            action="issue_area.comment",
            obj=comment,
            after={"section": section.pk, "version": section.version},
        )
    return comment


def area_update(
    *, actor, area: IssueArea, owners: Iterable[User], reevaluate_on: datetime.date | None
) -> IssueArea:
    """Staff set who leads the area and when its vision is next re-evaluated."""
    policy.require(actor, "workstreams.manage_issue_area", area)
    owners = list(owners)
    with transaction.atomic():
        # lock: the re-evaluation task reads the date under the same lock
        area = IssueArea.objects.select_for_update(no_key=True).get(pk=area.pk)
        before = {
            "owners": sorted(area.owners.values_list("pk", flat=True)),
            "reevaluate_on": area.reevaluate_on.isoformat() if area.reevaluate_on else None,
        }
        area.reevaluate_on = reevaluate_on
        area.save(update_fields=["reevaluate_on"])
        area.owners.set(owners)
        audit.record(
            actor=actor,
            action="issue_area.update",
            obj=area,
            before=before,
            after={
                "owners": sorted(u.pk for u in owners),
                "reevaluate_on": reevaluate_on.isoformat() if reevaluate_on else None,
            },
        )
    return area


# Re-evaluation ------------------------------------------------------------------------------------------


def area_people(area: IssueArea) -> list[User]:
    """Who is told when the area's vision is due: its owners and the participants of its workshops and
    sessions (attendees), active accounts only."""
    ids = set(area.owners.values_list("pk", flat=True)) | set(
        User.objects.filter(sessions_attended__issue_areas=area).values_list("pk", flat=True)
    )
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def _reevaluation_context(ref: str) -> dict | None:
    reevaluation = (
        Reevaluation.objects.select_related("area")
        .filter(pk=int(ref), status=Reevaluation.Status.OPEN)
        .first()
    )
    if reevaluation is None:
        return None
    return {"reevaluation": reevaluation, "area": reevaluation.area}


REEVALUATION_OPENED = outbox.register("workstreams.reevaluation_opened", shared=_reevaluation_context).name


def reevaluation_open(*, area_id: int, today: datetime.date | None = None) -> Reevaluation | None:
    """Open the re-evaluation of the area's vision that its date calls for, and plan one email to each
    of its people. Once per date: a rerun (or a redelivered task) finds the row and does nothing, and
    the outbox's unique (event, address) rows mean nobody gets a second email."""
    today = today or timezone.localdate()
    with transaction.atomic():
        area = (
            IssueArea.objects.select_for_update(no_key=True)  # lock: one opener per area
            .filter(pk=area_id, reevaluate_on__lte=today)
            .first()
        )
        if area is None:
            return None
        if Reevaluation.objects.filter(area=area).filter(due_on=area.reevaluate_on).exists():
            return None
        if Reevaluation.objects.filter(area=area, status=Reevaluation.Status.OPEN).exists():
            return None  # the one still open covers it
        try:
            with transaction.atomic():
                reevaluation = Reevaluation.objects.create(area=area, due_on=area.reevaluate_on)
        except IntegrityError:
            return None
        audit.record(
            actor=None,
            action="issue_area.reevaluation_open",
            obj=reevaluation,
            after={"due_on": reevaluation.due_on.isoformat()},
        )
        event = outbox.plan(
            kind=REEVALUATION_OPENED,
            ref=reevaluation.pk,
            template="workstreams_reevaluation_opened",
            recipients={
                u.email: {"name": str(u.display_name), "language": u.language} for u in area_people(area)
            },
        )
    transaction.on_commit(lambda: outbox.deliver(event))
    return reevaluation


def reevaluations_open_due(*, today: datetime.date | None = None) -> int:
    """The periodic sweep: open every re-evaluation that has come and is not open or done yet."""
    today = today or timezone.localdate()
    ids = list(IssueArea.objects.filter(reevaluate_on__lte=today).values_list("pk", flat=True))
    return sum(1 for pk in ids if reevaluation_open(area_id=pk, today=today) is not None)


def reevaluation_complete(
    *, actor, reevaluation: Reevaluation, note: str = "", next_on: datetime.date | None = None
) -> Reevaluation:
    """Close the re-evaluation on the vision as it now stands (its latest version) and set the next
    date. The page compares that version with the one the previous re-evaluation settled on."""
    policy.require(actor, "workstreams.manage_issue_area", reevaluation.area)
    today = timezone.localdate()
    if next_on is not None and next_on <= today:
        raise DialogueError(_("The next re-evaluation must be after today."))
    with transaction.atomic():
        reevaluation = (
            Reevaluation.objects.select_for_update(no_key=True, of=("self",))  # lock: one completion
            .select_related("area")
            .get(pk=reevaluation.pk)
        )
        if reevaluation.status != Reevaluation.Status.OPEN:
            raise DialogueError(_("This re-evaluation is already complete."))
        vision = AreaSection.objects.filter(area=reevaluation.area, kind=SectionKind.VISION).first()
        latest = vision.versions.order_by("-number").first() if vision else None
        reevaluation.status = Reevaluation.Status.DONE
        reevaluation.completed_at, reevaluation.completed_by = timezone.now(), actor
        reevaluation.vision_version, reevaluation.note = latest, note.strip()
        reevaluation.save(update_fields=["status", "completed_at", "completed_by", "vision_version", "note"])
        area = reevaluation.area
        area.reevaluate_on = next_on
        area.save(update_fields=["reevaluate_on"])
        audit.record(
            actor=actor,
            action="issue_area.reevaluation_complete",
            obj=reevaluation,
            after={
                "vision_version": latest.number if latest else None,
                "next_on": next_on.isoformat() if next_on else None,
            },
            reason=reevaluation.note,
        )
    return reevaluation
