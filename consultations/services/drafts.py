"""Creating draft versions. A version is immutable; saving splits it into sections and paragraphs and
carries paragraph keys over from the previous version (see consultations.paragraphs)."""

import re

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext

from initiative import audit, policy
from initiative.translation import in_default_language
from workstreams.models import ActionItem, ActionItemStatus, Deliverable, DeliverableKind, ReviewStage
from workstreams.selectors import dialogue

from .. import paragraphs
from ..models import DraftVersion, Paragraph, Section
from . import following


class DraftError(Exception):
    pass


@in_default_language  # the text is the English version; `draft_version_translate` writes the Spanish
def draft_version_create(
    *, actor, deliverable: Deliverable, body: str, change_note: str = "", title: str = ""
) -> DraftVersion:
    """Save a new numbered version of `deliverable`'s text."""
    policy.require(actor, "consultations.write_draft", deliverable)
    if not body.strip():
        raise DraftError("A draft needs some text.")
    with transaction.atomic():
        # lock: version numbers are assigned one at a time per deliverable
        Deliverable.objects.select_for_update(no_key=True).filter(pk=deliverable.pk).first()
        previous = DraftVersion.objects.filter(deliverable=deliverable).order_by("-number").first()
        number = (
            DraftVersion.objects.filter(deliverable=deliverable).aggregate(n=Max("number"))["n"] or 0
        ) + 1
        version = DraftVersion.objects.create(
            deliverable=deliverable,
            number=number,
            title=(title or deliverable.title).strip()[:300],
            body=body,
            change_note=change_note.strip(),
            created_by=actor if actor.is_authenticated else None,
        )
        parsed = paragraphs.split(body)
        prev_sections = list(previous.sections.values_list("key", "title")) if previous else []
        prev_paragraphs = list(previous.paragraphs.values_list("key", "text")) if previous else []
        paragraphs.carry_keys(prev_sections, parsed.sections, prefix="s", text=lambda h: h.title)
        paragraphs.carry_keys(prev_paragraphs, parsed.blocks, prefix="p")
        sections = Section.objects.bulk_create(
            Section(version=version, key=h.key, order=i, level=h.level, title=h.title)
            for i, h in enumerate(parsed.sections)
        )
        Paragraph.objects.bulk_create(
            Paragraph(
                version=version,
                section=sections[b.section] if b.section is not None else None,
                key=b.key,
                order=i,
                text=b.text,
                digest=b.digest,
            )
            for i, b in enumerate(parsed.blocks)
        )
        audit.record(
            actor=actor,
            action="draft.version_create",
            obj=version,
            after={"deliverable": deliverable.pk, "number": number, "paragraphs": len(parsed.blocks)},
            reason=version.change_note,
        )
        following.version_posted_notify(version=version, actor=actor)
    return version


# The Track 3 report, assembled from the issue areas' sections --------------------------------------------

TRACK3_REPORT_SLUG = "track-3-longer-term-vision-report"
# Assembling writes a new version; while a version is under review, voted on or published the text
# the workflow is looking at must not change underneath it.
ASSEMBLE_STAGES = frozenset({ReviewStage.DRAFTING, ReviewStage.REVISING, ReviewStage.CHANGES_REQUESTED})
_HEADING = re.compile(r"^(#{1,6})(\s)", re.MULTILINE)
_FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)


def demote_headings(text: str, by: int) -> str:
    """Push the text's ATX headings `by` levels down (never past level 6), leaving fenced code alone,
    so a section's own headings nest under the report's area and section headings."""

    def shift(chunk: str) -> str:
        return _HEADING.sub(lambda m: "#" * min(6, len(m.group(1)) + by) + m.group(2), chunk)

    out, last = [], 0
    for fence in _FENCE.finditer(text):
        out += [shift(text[last : fence.start()]), fence.group(0)]
        last = fence.end()
    out.append(shift(text[last:]))
    return "".join(out)


def _area_markdown(area, *, level: int) -> tuple[str, list[str]]:
    """One area's part of the report: its sections in the report's order (empty ones left out), then
    its action items with the accountable organization. Returns the text and the versions it used."""
    h = "#" * level
    parts, used = [], []
    for section in dialogue.area_sections(area):
        version = section.versions.order_by("-number").first()
        if version is None or not version.text.strip():
            continue
        used.append(f"{section.kind} v{version.number}")
        parts.append(
            f"{h} {section.get_kind_display()}\n\n{demote_headings(version.text.strip(), level - 1)}"
        )
    items = list(
        ActionItem.objects.filter(issue_area=area)
        .exclude(status=ActionItemStatus.DROPPED)
        .select_related("owner_organization", "owner")
        .order_by("due_date", "pk")
    )
    if items:
        lines = []
        for item in items:
            who = item.owner_organization.name if item.owner_organization else item.owner.display_name
            lines.append(
                f"- {' '.join(item.description.split())} ({who}; due {item.due_date:%B} {item.due_date.day}, "
                f"{item.due_date.year}; {item.get_status_display().lower()})"
            )
        parts.append(f"{h} {gettext('Action items and accountability')}\n\n" + "\n".join(lines))
    return "\n\n".join(parts), used


def track3_report_body(*, area=None) -> tuple[str, str, str]:
    """(title, Markdown, change note) of the Track 3 report: one area's, or every area's in the order
    the Track 3 agenda ranked them."""
    if area is not None:
        text, used = _area_markdown(area, level=2)
        title = gettext("Track 3 report: %(area)s") % {"area": area.name}
        return title, f"# {area.name}\n\n{text}" if text else "", ", ".join(used)
    chunks, notes = [], []
    for a in dialogue.area_list_ranked():
        text, used = _area_markdown(a, level=3)
        if text:
            chunks.append(f"## {a.name}\n\n{text}")
            notes.append(f"{a.name}: {', '.join(used)}")
    title = gettext("Longer-term issues report")
    return title, "\n\n".join(chunks), "; ".join(notes)


def track3_report_deliverable(*, area=None) -> Deliverable:
    """The deliverable the report is assembled into: the Track 3 report the content lists (one for all
    areas), or an area's own report, created on first assembly."""
    dialogue_ws = dialogue.dialogue_workstream()
    if dialogue_ws is None:
        raise DraftError(gettext("The Track 3 dialogue has not been loaded."))
    if area is None:
        deliverable = Deliverable.objects.filter(workstream=dialogue_ws, slug=TRACK3_REPORT_SLUG).first()
        if deliverable is not None:
            return deliverable
        slug, title = TRACK3_REPORT_SLUG, gettext("Longer-term issues report")
    else:
        slug, title = (
            f"track-3-report-{area.slug}"[:120],
            gettext("Track 3 report: %(area)s") % {"area": area.name},
        )
    deliverable, _created = Deliverable.objects.get_or_create(
        workstream=dialogue_ws,
        slug=slug,
        defaults={
            "title": title,
            "kind": DeliverableKind.REPORT,
            "is_key": True,
            "description": gettext(
                "Documents the workshops' discussions: a longer-term vision, key challenges, potential "
                "solutions and nearer-term priorities, with the action items each area closed with."
            ),
        },
    )
    return deliverable


def track3_report_assemble(*, actor, area=None) -> DraftVersion:
    """Assemble the Track 3 report (every area, or one) from the areas' latest section versions into a
    new draft version of its deliverable, which then goes through the review workflow like any other
    (member review, public consultation, committee approval, publication). Refused while the
    deliverable's text is under review, voted on or published, and when there is nothing to assemble."""
    policy.require(actor, "consultations.write_draft")  # before anything is created on the actor's behalf
    with transaction.atomic():
        deliverable = track3_report_deliverable(area=area)
    policy.require(actor, "consultations.write_draft", deliverable)
    if deliverable.stage not in ASSEMBLE_STAGES:
        raise DraftError(
            gettext(
                "The report is at the stage “%(stage)s”; it can be reassembled while drafting or revising."
            )
            % {"stage": deliverable.get_stage_display()}
        )
    title, body, note = track3_report_body(area=area)
    if not body.strip():
        raise DraftError(gettext("No section has any text yet; draft the issue areas' sections first."))
    latest = DraftVersion.objects.filter(deliverable=deliverable).order_by("-number").first()
    if latest is not None and latest.body == body:
        raise DraftError(gettext("Nothing changed since version %(n)d.") % {"n": latest.number})
    return draft_version_create(
        actor=actor,
        deliverable=deliverable,
        body=body,
        title=title,
        change_note=gettext("Assembled from the issue areas' sections (%(used)s)") % {"used": note[:900]},
    )


def draft_version_translate(*, actor, version: DraftVersion, title_es: str, texts: dict[str, str]) -> int:
    """Save the Spanish version of a draft's title and paragraphs (`texts`: paragraph key → Spanish
    text; an empty text clears it, so the page shows the English paragraph with its note). Comments stay
    on the paragraph whichever language it is read in. Returns how many paragraphs have Spanish text."""
    policy.require(actor, "consultations.write_draft", version.deliverable)
    with transaction.atomic():
        version = DraftVersion.objects.select_for_update(no_key=True).get(pk=version.pk)  # lock: one edit
        version.title_es = title_es.strip()[:300] or None
        version.save(update_fields=["title_es"])
        changed = []
        for paragraph in version.paragraphs.all():
            text = (texts.get(paragraph.key) or "").strip() or None
            if paragraph.text_es != text:
                paragraph.text_es = text
                changed.append(paragraph)
        Paragraph.objects.bulk_update(changed, ["text_es"])
        translated = version.paragraphs.exclude(text_es__isnull=True).exclude(text_es="").count()
        audit.record(
            actor=actor,
            action="draft.version_translate",
            obj=version,
            after={"language": "es", "paragraphs_changed": len(changed), "paragraphs_in_spanish": translated},
        )
    return translated
