"""Redactions on an approved version and rendering its published copy.

Redactions can be marked while the version is approved and not yet published; the publication, once
rendered, is never changed (a correction goes through the workflow as a new version)."""

from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from initiative import audit, markdown, policy, readcache

from .. import redaction
from ..models import Paragraph, Publication, Redaction
from ..models.approvals import Decision


class RedactionError(Exception):
    pass


def _check_editable(version) -> None:
    if not version.approvals.filter(decision=Decision.APPROVED).exists():
        raise RedactionError(_("Redactions are marked on an approved version."))
    if Publication.objects.filter(version=version).exists():
        raise RedactionError(_("This version is published; its published copy can no longer change."))


def redaction_create(
    *, actor, version, paragraph_key: str, text: str, reason: str, occurrence: int = 1, note: str = ""
) -> Redaction:
    """Redact the `occurrence`-th appearance of `text` in the paragraph `paragraph_key` of `version`."""
    policy.require(actor, "consultations.redact", version.deliverable)
    if reason not in Redaction.Reason.values:
        raise RedactionError(_("Choose the reason: commercial, security or privacy."))
    if not text:
        raise RedactionError(_("Give the exact text to redact."))
    with transaction.atomic():
        paragraph = Paragraph.objects.filter(version=version, key=paragraph_key).first()
        if paragraph is None:
            raise RedactionError(_("No such paragraph in this version."))
        _check_editable(version)
        start = -1
        for _i in range(max(1, occurrence)):
            start = paragraph.text.find(text, start + 1)
            if start < 0:
                raise RedactionError(_("That text does not appear in the paragraph (as many times)."))
        end = start + len(text)
        clash = Redaction.objects.filter(
            version=version, paragraph_key=paragraph_key, start__lt=end, end__gt=start
        )
        if clash.exists():
            raise RedactionError(_("That span overlaps a redaction already marked."))
        row = Redaction.objects.create(
            version=version,
            paragraph_key=paragraph_key,
            start=start,
            end=end,
            reason=reason,
            note=note.strip(),
            created_by=actor,
        )
        audit.record(
            actor=actor,
            action="redaction.create",
            obj=row,
            after={"paragraph": paragraph_key, "start": start, "end": end, "reason": reason},
        )
    return row


def redaction_delete(*, actor, redaction_obj: Redaction) -> None:
    policy.require(actor, "consultations.redact", redaction_obj.version.deliverable)
    with transaction.atomic():
        _check_editable(redaction_obj.version)
        audit.record(
            actor=actor,
            action="redaction.delete",
            obj=redaction_obj,
            before={
                "paragraph": redaction_obj.paragraph_key,
                "start": redaction_obj.start,
                "end": redaction_obj.end,
                "reason": redaction_obj.reason,
            },
        )
        redaction_obj.delete()


def withheld_entry(deliverable_id: int) -> tuple[str, str]:
    """Where `withheld_phrases` keeps a deliverable's in the read cache (for `readcache.prefetch`)."""
    return f"withheld:{deliverable_id}", get_language() or ""


def withheld_phrases(*, deliverable_id: int) -> list[redaction.Withheld]:
    """The exact words that redactions withhold in any version of the deliverable, each with the notice
    the published copy shows for them (from the shared cache; else two queries, one when nothing is
    redacted). Every page other than the published copy masks them with `redaction.mask` for readers
    who may not see the original."""
    rows = readcache.read(*withheld_entry(deliverable_id), lambda: _withheld_rows(deliverable_id))
    labels = dict(Redaction.Reason.choices)
    return [redaction.Withheld(phrase, redaction.notice(str(labels.get(r, r)))) for phrase, r in rows]


def _withheld_rows(deliverable_id: int) -> list[tuple[str, str]]:
    """(phrase, reason of its first redaction), in the phrases' order."""
    rows = list(
        Redaction.objects.filter(version__deliverable_id=deliverable_id).values_list(
            "version_id", "paragraph_key", "start", "end", "reason"
        )
    )
    if not rows:
        return []
    texts = {
        (v, k): t
        for v, k, t in Paragraph.objects.filter(
            reduce(or_, (Q(version_id=v, key=k) for v, k, _s, _e, _r in rows))
        ).values_list("version_id", "key", "text")
    }
    reasons: dict[str, str] = {}
    for v, k, start, end, reason in rows:
        phrase = texts.get((v, k), "")[start:end]
        if phrase:
            reasons.setdefault(phrase, reason)
    return sorted(reasons.items())


def redacted_markdown(version) -> str:
    spans: dict[str, list[redaction.Span]] = {}
    for r in version.redactions.all():
        spans.setdefault(r.paragraph_key, []).append(
            redaction.Span(r.start, r.end, redaction.notice(r.get_reason_display()))
        )
    sections = list(version.sections.values_list("order", "level", "title"))
    paragraphs = list(version.paragraphs.order_by("order").values_list("key", "section__order", "text"))
    return redaction.rebuild(sections, paragraphs, spans, title=version.title)


def unredacted_occurrences(version) -> list[str]:
    """The words redacted somewhere in `version` that its published text would still show elsewhere (in
    another paragraph, a second occurrence in the same one, or a heading). Publishing is refused while
    this is not empty, so a redacted word never reaches the public copy."""
    phrases = {}
    spans: dict[str, list[redaction.Span]] = {}
    texts = dict(version.paragraphs.values_list("key", "text"))
    for r in version.redactions.all():
        phrases[texts.get(r.paragraph_key, "")[r.start : r.end]] = r.paragraph_key
        spans.setdefault(r.paragraph_key, []).append(redaction.Span(r.start, r.end, ""))
    phrases.pop("", None)
    if not phrases:
        return []
    sections = list(version.sections.values_list("order", "level", "title"))
    paragraphs = list(version.paragraphs.order_by("order").values_list("key", "section__order", "text"))
    rest = version.title + "\n" + redaction.rebuild(sections, paragraphs, spans, title="")
    return sorted(p for p in phrases if p in rest)


def citation_for(publication: Publication) -> str:
    from initiative.models import Initiative

    initiative = Initiative.objects.first()
    body = initiative.short_name if initiative else "DER Integration Initiative"
    ws = publication.deliverable.workstream
    decided = timezone.localtime(publication.approval.decided_at)
    published = timezone.localtime(publication.published_at)
    return (
        f"{body}, {ws.code}: {ws.name}. “{publication.title}” (version {publication.version.number}). "
        f"Approved by the steering committee on {decided:%B %-d, %Y}; published {published:%B %-d, %Y}."
    )


def publication_render(*, publication_id: int) -> bool:
    """Render the published copy (redacted Markdown → HTML → PDF) once. Returns False when it was
    already rendered (a redelivered task does nothing). The slow rendering runs outside any lock; the
    result is stored by a conditional UPDATE so two concurrent runs store one copy."""
    from .. import rendering  # WeasyPrint is heavy: only the worker that renders imports it

    publication = (
        Publication.objects.select_related("version", "deliverable__workstream__track", "approval")
        .filter(pk=publication_id)
        .first()
    )
    if publication is None or publication.rendered_at is not None:
        return False
    body = redacted_markdown(publication.version)
    body_html = str(markdown.render(body))
    publication.citation = citation_for(publication)
    html = rendering.document_html(publication=publication, body_html=body_html)
    pdf = rendering.pdf_from_html(html)
    updated = Publication.objects.filter(pk=publication.pk, rendered_at__isnull=True).update(
        body=body,
        html=body_html,
        pdf=pdf,
        citation=publication.citation,
        rendered_at=timezone.now(),
    )
    if updated:
        audit.record(
            actor=None,
            action="publication.render",
            obj=publication,
            after={"pdf_bytes": len(pdf), "html_chars": len(body_html)},
        )
    return bool(updated)
