"""Reads on the Track 3 dialogue's living documents: an area's sections with their comments, the
version history with a diff, the re-evaluations with what each changed, and the Track 3 agenda (the
areas in the order the latest closed Track 3 round ranked them).

The diff is computed here, on the sections' Markdown source: `consultations.diff` compares draft
versions paragraph by paragraph but lives in an app this one must not import, and a section is short
enough for a block diff with a word diff inside changed blocks."""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from initiative.textdiff import words_diff

from ..models import (
    SECTION_ORDER,
    AreaSection,
    IssueArea,
    PrioritizationRound,
    Reevaluation,
    RoundStatus,
    SectionComment,
    SectionKind,
    SectionVersion,
    Solution,
    Workstream,
)

# The diff ---------------------------------------------------------------------------------------------


@dataclass
class DiffBlock:
    op: str  # equal | changed | inserted | deleted
    old_html: SafeString
    new_html: SafeString


def _blocks(text: str) -> list[str]:
    return [b.strip() for b in re.split(r"\n\s*\n", text or "") if b.strip()]


def text_diff(old: str, new: str) -> list[DiffBlock]:
    """Two texts compared block by block (blank-line separated); a replaced block pairs with its
    counterpart and shows its words inserted and deleted. Everything is escaped source, never rendered."""
    a, b = _blocks(old), _blocks(new)
    rows: list[DiffBlock] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            rows += [DiffBlock("equal", escape(x), escape(x)) for x in a[i1:i2]]
            continue
        olds, news = a[i1:i2], b[j1:j2]
        for k in range(max(len(olds), len(news))):
            if k < len(olds) and k < len(news):
                rows.append(DiffBlock("changed", *words_diff(olds[k], news[k])))
            elif k < len(olds):
                rows.append(DiffBlock("deleted", mark_safe(f"<del>{escape(olds[k])}</del>"), mark_safe("")))  # noqa: S308
            else:
                rows.append(DiffBlock("inserted", mark_safe(""), mark_safe(f"<ins>{escape(news[k])}</ins>")))  # noqa: S308
    return rows


def diff_changed(rows: list[DiffBlock]) -> bool:
    return any(r.op != "equal" for r in rows)


# Areas, sections, history -------------------------------------------------------------------------------


def area_get(*, slug: str) -> IssueArea:
    return get_object_or_404(
        IssueArea.objects.select_related("track2_workstream").prefetch_related("owners"), slug=slug
    )


def area_sections(area: IssueArea) -> list[AreaSection]:
    """The area's sections in the report's order, each with its comments (authors joined) and count."""
    sections = list(
        AreaSection.objects.filter(area=area)
        .select_related("updated_by")
        .annotate(comment_count=Count("comments"))
        .prefetch_related(
            Prefetch(
                "comments",
                queryset=SectionComment.objects.select_related("author", "author__organization").order_by(
                    "-created_at"
                ),
            )
        )
    )
    sections.sort(key=lambda s: SECTION_ORDER.index(s.kind))
    return sections


def area_solutions(area: IssueArea) -> list[Solution]:
    return list(Solution.objects.filter(area=area, is_active=True).prefetch_related("operating_models"))


def section_get(*, area: IssueArea, kind: str) -> AreaSection:
    if kind not in SectionKind.values:
        from django.http import Http404

        raise Http404
    return get_object_or_404(AreaSection.objects.select_related("area"), area=area, kind=kind)


def section_versions(section: AreaSection) -> QuerySet[SectionVersion]:
    return section.versions.select_related("author").order_by("-number")


def version_compare(section: AreaSection, *, old: int | None, new: int | None) -> dict | None:
    """Versions `old` and `new` of the section (default: the latest and the one before) and their diff;
    None when the section has fewer than one version or a number does not exist."""
    versions = {v.number: v for v in section.versions.all()}
    if not versions:
        return None
    new = new or max(versions)
    old = old if old is not None else new - 1
    if new not in versions:
        return None
    before = versions.get(old)
    if old and before is None:
        return None
    return {
        "old": before,
        "new": versions[new],
        "rows": text_diff(before.text if before else "", versions[new].text),
    }


def reevaluation_history(area: IssueArea) -> dict:
    """The open re-evaluation (if any), and each completed one with what changed in the vision since
    the one before it (from the vision's first version for the first)."""
    reevaluations = list(
        Reevaluation.objects.filter(area=area)
        .select_related("completed_by", "vision_version")
        .order_by("due_on")
    )
    vision = AreaSection.objects.filter(area=area, kind=SectionKind.VISION).first()
    first = vision.versions.order_by("number").first() if vision else None
    previous = first
    done = []
    for r in reevaluations:
        if r.status != Reevaluation.Status.DONE:
            continue
        current = r.vision_version
        r.previous_version = previous
        r.diff = text_diff(previous.text if previous else "", current.text if current else "")
        r.changed = diff_changed(r.diff) or (previous is None and current is not None)
        if previous is not None and current is not None and previous.pk == current.pk:
            r.changed = False
        previous = current or previous
        done.append(r)
    done.reverse()
    return {
        "open": next((r for r in reevaluations if r.status == Reevaluation.Status.OPEN), None),
        "done": done,
        "last": done[0] if done else None,
    }


# The Track 3 agenda ---------------------------------------------------------------------------------------


def track3_agenda() -> dict | None:
    """The latest closed round of the Track 3 dialogue: its rows (best first) with each topic's issue
    area, and the per-stakeholder-type rankings beside it. None before the first round closes."""
    rnd = (
        PrioritizationRound.objects.filter(
            workstream__track__number=3, status=RoundStatus.CLOSED, result__isnull=False
        )
        .select_related("workstream")
        .order_by("-closed_at")
        .first()
    )
    if rnd is None:
        return None
    topics = {t.pk: t for t in rnd.topics.select_related("issue_area")}
    rows = []
    for row in rnd.result.get("rows", []):
        topic = topics.get(row["topic"])
        rows.append({**row, "topic_obj": topic, "area": topic.issue_area if topic else None})
    return {"round": rnd, "rows": rows, "result": rnd.result}


def dialogue_workstream() -> Workstream | None:
    return Workstream.objects.filter(track__number=3).order_by("code").first()


def area_list_ranked(agenda: dict | None = None) -> list[IssueArea]:
    """The issue areas with their Track 3 agenda rank (None when not ranked), ranked ones first
    (`agenda`: `track3_agenda()`, read here when not given)."""
    from .sessions import issue_area_list

    agenda = agenda if agenda is not None else track3_agenda()
    ranks = {r["area"].pk: r["rank"] for r in agenda["rows"] if r["area"]} if agenda else {}
    areas = list(issue_area_list())
    for a in areas:
        a.agenda_rank = ranks.get(a.pk)
    areas.sort(key=lambda a: (a.agenda_rank is None, a.agenda_rank or 0, a.order))
    return areas
