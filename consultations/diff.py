"""Comparing two versions of a draft, paragraph by paragraph, with word-level insertions and deletions.

Paragraphs are aligned with `difflib.SequenceMatcher(autojunk=False)` over their normalized-text
digests (without `autojunk=False` long documents with repeated blocks align wrongly). Inside a
"replace" run, an old and a new paragraph that share a stable key (see `consultations.paragraphs`) are
shown as one edited paragraph with a word diff; the rest are deletions and insertions. Words inside a
paragraph are diffed with difflib too (no extra dependency; the texts are short).

The text is shown as escaped source Markdown, never rendered, so a diff cannot inject markup.
"""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import redaction
from .models import DraftVersion, Paragraph

EQUAL, CHANGED, INSERTED, DELETED = "equal", "changed", "inserted", "deleted"
_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass
class DiffRow:
    op: str  # equal | changed | inserted | deleted
    old: Paragraph | None
    new: Paragraph | None
    old_html: SafeString
    new_html: SafeString

    @property
    def key(self) -> str:
        return (self.new or self.old).key


def words_diff(old: str, new: str) -> tuple[SafeString, SafeString]:
    """(old with <del> marks, new with <ins> marks), both HTML-escaped."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    left, right = [], []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        old_part, new_part = escape("".join(a[i1:i2])), escape("".join(b[j1:j2]))
        if tag == "equal":
            left.append(old_part)
            right.append(new_part)
            continue
        if old_part:
            left.append(f"<del>{old_part}</del>")
        if new_part:
            right.append(f"<ins>{new_part}</ins>")
    return mark_safe("".join(left)), mark_safe("".join(right))  # noqa: S308 (every piece escaped above)


def _deleted(p: Paragraph) -> DiffRow:
    marked = mark_safe(f"<del>{escape(p.text)}</del>")  # noqa: S308 (escaped)
    return DiffRow(DELETED, p, None, marked, mark_safe(""))


def _inserted(p: Paragraph) -> DiffRow:
    marked = mark_safe(f"<ins>{escape(p.text)}</ins>")  # noqa: S308 (escaped)
    return DiffRow(INSERTED, None, p, mark_safe(""), marked)


def diff_paragraphs(old: list[Paragraph], new: list[Paragraph]) -> list[DiffRow]:
    rows: list[DiffRow] = []
    matcher = SequenceMatcher(None, [p.digest for p in old], [p.digest for p in new], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for p, q in zip(old[i1:i2], new[j1:j2], strict=True):
                rows.append(DiffRow(EQUAL, p, q, escape(p.text), escape(q.text)))
            continue
        olds, news = old[i1:i2], new[j1:j2]
        by_key = {p.key: p for p in olds}
        paired = {q.key for q in news if q.key in by_key}
        pending_deleted = [p for p in olds if p.key not in paired]
        for q in news:
            if q.key in paired:
                # deletions that came before this paragraph in the old text go first
                p = by_key[q.key]
                while pending_deleted and pending_deleted[0].order < p.order:
                    d = pending_deleted.pop(0)
                    rows.append(_deleted(d))
                left, right = words_diff(p.text, q.text)
                rows.append(DiffRow(CHANGED, p, q, left, right))
            else:
                rows.append(_inserted(q))
        for d in pending_deleted:
            rows.append(_deleted(d))
    return rows


def diff_versions(old: DraftVersion, new: DraftVersion, *, withheld=()) -> list[DiffRow]:
    """Rows of the side-by-side comparison of two versions (two queries), the `withheld` words masked
    before comparing (see selectors.drafts.withheld_for)."""
    olds = list(old.paragraphs.all().order_by("order"))
    news = list(new.paragraphs.all().order_by("order"))
    for p in olds + news:
        p.text = redaction.mask(p.text, withheld)
    return diff_paragraphs(olds, news)


def diff_stats(rows: list[DiffRow]) -> dict[str, int]:
    stats = {EQUAL: 0, CHANGED: 0, INSERTED: 0, DELETED: 0}
    for row in rows:
        stats[row.op] += 1
    return stats
