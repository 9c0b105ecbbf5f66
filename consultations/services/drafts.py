"""Creating draft versions. A version is immutable; saving splits it into sections and paragraphs and
carries paragraph keys over from the previous version (see consultations.paragraphs)."""

from django.db import transaction
from django.db.models import Max

from initiative import audit, policy
from initiative.translation import in_default_language
from workstreams.models import Deliverable

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
