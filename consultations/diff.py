"""Comparing two versions of a draft, paragraph by paragraph, with word-level insertions and deletions.

Paragraphs are aligned with `difflib.SequenceMatcher(autojunk=False)` over their normalized-text
digests (without `autojunk=False` long documents with repeated blocks align wrongly). Inside a
"replace" run, an old and a new paragraph that share a stable key (see `consultations.paragraphs`) are
shown as one edited paragraph with a word diff; the rest are deletions and insertions. Words inside a
paragraph are diffed by `initiative.textdiff.words_diff`, shared with the Track 3 section history.

The text is shown as escaped source Markdown, never rendered, so a diff cannot inject markup.
"""

from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from initiative.textdiff import words_diff

from . import redaction
from .models import DraftVersion, Paragraph

EQUAL, CHANGED, INSERTED, DELETED = "equal", "changed", "inserted", "deleted"


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
