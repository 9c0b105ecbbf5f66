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


@dataclass(frozen=True)
class Withheld:
    """Words a redaction of the deliverable withholds, and the notice that stands in for them."""

    phrase: str
    notice: str


def spans_of(text: str, withheld) -> list[Span]:
    """The spans of `text` where a withheld phrase appears, in any letter case (a commenter quoting the
    words may not have kept their case); longer phrases first, never overlapping."""
    spans: list[Span] = []
    folded = text.casefold() if len(text.casefold()) == len(text) else None
    for item in sorted(withheld, key=lambda w: len(w.phrase), reverse=True):
        needle = item.phrase.casefold() if folded is not None else item.phrase
        haystack = folded if folded is not None else text
        start = haystack.find(needle)
        while needle and start >= 0:
            end = start + len(needle)
            if not any(s.start < end and start < s.end for s in spans):
                spans.append(Span(start, end, item.notice))
            start = haystack.find(needle, end)
    return spans


def mask(text: str, withheld, *, escape: bool = False) -> str:
    """`text` with each withheld phrase replaced by its notice, by the same `apply` that builds the
    published copy: draft versions, comments, the matrix, summaries and paragraph pickers shown to
    someone who may not read the original. `escape` for text rendered as Markdown."""
    if not text or not withheld:
        return text
    return apply(text, spans_of(text, withheld), escape=escape)


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
