"""Applying redactions to a version's text, and rebuilding the version's Markdown from its sections and
paragraphs. Pure functions over plain data: the published copy is built only from their output, so the
redacted words never reach the public HTML, PDF or API."""

from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    notice: str


def notice(reason_label: str) -> str:
    return _("[Redacted — %(reason)s]") % {"reason": reason_label}


def mask(text: str, phrases) -> str:
    """`text` with every occurrence of each withheld phrase replaced by a short notice: for the places
    outside the published copy that quote a paragraph (review summaries, paragraph pickers)."""
    for phrase in sorted(phrases, key=len, reverse=True):
        text = text.replace(phrase, _("[Redacted]"))
    return text


def apply(text: str, spans: list[Span], *, escape: bool = True) -> str:
    """`text` with each span replaced by its notice. Spans must not overlap (the service refuses that).
    With `escape`, the notice's brackets are escaped so Markdown prints them literally."""
    out, pos = [], 0
    for span in sorted(spans, key=lambda s: s.start):
        if span.start < pos:
            raise ValueError("Overlapping redactions.")
        out.append(text[pos : span.start])
        out.append(span.notice.replace("[", "\\[").replace("]", "\\]") if escape else span.notice)
        pos = span.end
    out.append(text[pos:])
    return "".join(out)


def rebuild(sections, paragraphs, spans_by_key: dict[str, list[Span]], *, title: str = "") -> str:
    """Markdown of a version from its sections [(order, level, title)] and paragraphs
    [(key, section_order|None, text)] in order, with redactions applied to the paragraphs.

    The published page and PDF carry the title as their own heading, so a leading level-1 heading equal
    to `title` is left out and the other headings move down one level (the page has one h1)."""
    sections = sorted(sections)
    if sections and sections[0][1] == 1 and sections[0][2].strip() == title.strip():
        sections[0] = (sections[0][0], 0, "")
    sections = [(order, min(level + 1, 6) if level else 0, text) for order, level, text in sections]
    emitted = 0
    parts: list[str] = []
    for key, section_order, text in paragraphs:
        while section_order is not None and emitted < len(sections) and sections[emitted][0] <= section_order:
            _order, level, heading = sections[emitted]
            if level:
                parts.append("#" * level + " " + heading)
            emitted += 1
        parts.append(apply(text, spans_by_key.get(key, [])))
    for _order, level, heading in sections[emitted:]:
        if level:
            parts.append("#" * level + " " + heading)
    return "\n\n".join(parts) + "\n"
