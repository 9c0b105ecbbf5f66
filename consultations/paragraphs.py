"""Splitting a Markdown draft into sections and paragraphs, and carrying paragraph keys across versions.

A "paragraph" is one top-level Markdown block (a paragraph, list, table, quote or code block); headings
start sections. A block in the new version keeps the key of a block in the previous version when
- its normalized text is identical (any position), or
- it is the best remaining match with a word-level similarity of at least SIMILAR (an edit, not a
  rewrite: comments on it carry over and are shown "on version N").
Anything else gets a fresh key; a previous key that finds no match is "removed" and its comments go to
the orphaned list.
"""

import hashlib
import re
import secrets
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from markdown_it import MarkdownIt

SIMILAR = 0.6
_md = MarkdownIt("js-default").enable("table")


@dataclass
class Block:
    text: str
    section: int | None  # index into the sections list
    key: str = ""

    @property
    def digest(self) -> str:
        return digest(self.text)


@dataclass
class Heading:
    title: str
    level: int
    key: str = ""


@dataclass
class Split:
    sections: list[Heading] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)


def normalize(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def digest(text: str) -> str:
    return hashlib.sha256(normalize(text).encode()).hexdigest()


def new_key(prefix: str = "p") -> str:
    return f"{prefix}-{secrets.token_hex(4)}"


def split(markdown: str) -> Split:
    """Top-level blocks of `markdown`, with the headings that group them."""
    lines = markdown.replace("\r\n", "\n").split("\n")
    out = Split()
    current: int | None = None
    tokens = _md.parse(markdown)
    for i, token in enumerate(tokens):
        if token.level != 0 or token.map is None or token.nesting == -1:
            continue
        start, end = token.map
        text = "\n".join(lines[start:end]).strip()
        if token.type == "heading_open":
            title = tokens[i + 1].content.strip() if i + 1 < len(tokens) else text.lstrip("#").strip()
            out.sections.append(Heading(title=title[:300], level=int(token.tag[1])))
            current = len(out.sections) - 1
        elif text:
            out.blocks.append(Block(text=text, section=current))
    return out


def _words(text: str) -> list[str]:
    return normalize(text).lower().split(" ")


def similarity(a: str, b: str) -> float:
    matcher = SequenceMatcher(None, _words(a), _words(b), autojunk=False)
    if matcher.real_quick_ratio() < SIMILAR or matcher.quick_ratio() < SIMILAR:
        return 0.0
    return matcher.ratio()


def carry_keys(
    previous: list[tuple[str, str]], blocks: list, prefix: str = "p", text=lambda b: b.text
) -> None:
    """Give each of `blocks` a key: the key of the previous block it continues, or a new one.

    `previous` is [(key, text)] of the previous version in order. Mutates `block.key`.
    """
    unused = dict(previous)
    by_digest: dict[str, list[str]] = {}
    for key, prev_text in previous:
        by_digest.setdefault(digest(prev_text), []).append(key)
    pending = []
    for block in blocks:
        keys = by_digest.get(digest(text(block)))
        while keys and keys[0] not in unused:
            keys.pop(0)
        if keys:
            block.key = keys.pop(0)
            del unused[block.key]
        else:
            pending.append(block)
    # Edited blocks: best pairs first, so one edit can't steal another's better match.
    order = {key: i for i, (key, _) in enumerate(previous)}
    candidates = []
    for bi, block in enumerate(pending):
        for key, prev_text in unused.items():
            score = similarity(text(block), prev_text)
            if score >= SIMILAR:
                candidates.append((-score, abs(order[key] - bi), bi, key))
    taken_blocks: set[int] = set()
    for _, _, bi, key in sorted(candidates):
        if bi in taken_blocks or key not in unused:
            continue
        pending[bi].key = key
        taken_blocks.add(bi)
        del unused[key]
    used = {b.key for b in blocks if b.key}
    for block in blocks:
        if not block.key:
            key = new_key(prefix)
            while key in used:
                key = new_key(prefix)
            block.key = key
            used.add(key)
