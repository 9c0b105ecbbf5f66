"""Word-level differences between two texts, escaped for a page: the one word diff that every version
history uses (drafts in `consultations.diff`, Track 3 sections in `workstreams`), here in the governance
core so each app may import it. Words are diffed with difflib (no extra dependency; the texts are short)."""

import re
from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


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
