"""Linking agreed glossary terms in rendered drafts and publications.

The first use of each agreed term (or its abbreviation) in a section becomes a link to the term's glossary
entry, with the definition given to screen readers as the link's description (`aria-describedby` to a
hidden element) and to pointer users as its `title`. It runs at render time over the sanitized HTML, never
over the stored text: an HTML-aware pass (`html.parser`) that re-emits the document unchanged except in
text nodes outside code, preformatted text, headings, existing links and marked or redacted text. A
redaction's notice ("[Redacted — …]") and the words a redaction withholds are never linked either.
"""

import re
from html import escape
from html.parser import HTMLParser

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from workstreams.selectors import glossary as glossary_selectors

from . import redaction

SKIP_TAGS = frozenset({"code", "pre", "kbd", "samp", "a", "mark", "h1", "h2", "h3", "h4", "h5", "h6"})
SECTION_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)


def _notice_pattern() -> re.Pattern:
    head, _sep, tail = redaction.notice("\x00").partition("\x00")
    return re.compile(re.escape(head) + r".*?" + re.escape(tail), re.DOTALL)


class TermLinker:
    """Links terms across one page. `seen` holds the terms already linked in the current section: a new
    section starts at each heading (for a whole document) or by `new_section()` (for a page rendered
    paragraph by paragraph). `withheld` are redacted phrases that must stay unlinked even where the
    reader may see them."""

    def __init__(self, *, index=None, id_prefix: str = "gl", withheld=()):
        self.index = index if index is not None else glossary_selectors.agreed_term_index()
        self.id_prefix = id_prefix
        self.withheld = list(withheld)
        self.seen: set[str] = set()
        self.count = 0
        self.notice = _notice_pattern()
        self.glossary_url = reverse("workstreams:glossary")

    def new_section(self) -> None:
        self.seen = set()

    def link(self, html: str) -> SafeString:
        """Sanitized `html` with the first use per section of each agreed term linked; unchanged when no
        term applies (the input itself is returned, marked safe as it was)."""
        if self.index.pattern is None or not html:
            return mark_safe(html)  # noqa: S308  (the caller's sanitized HTML, untouched)
        parser = _Pass(self)
        parser.feed(str(html))
        parser.close()
        if not parser.changed:
            return mark_safe(html)  # noqa: S308  (the caller's sanitized HTML, untouched)
        # Re-emitted tag by tag from the sanitized input; the only new markup is ours, with escaped text.
        return mark_safe("".join(parser.out))  # noqa: S308

    def _blocked_spans(self, text: str) -> list[tuple[int, int]]:
        spans = [(m.start(), m.end()) for m in self.notice.finditer(text)]
        if self.withheld:
            spans += [(s.start, s.end) for s in redaction.spans_of(text, self.withheld)]
        return spans

    def link_text(self, text: str) -> str | None:
        """The escaped text with links added, or None when nothing in it is linked."""
        pattern = self.index.pattern
        blocked = None
        out: list[str] = []
        pos = 0
        for match in pattern.finditer(text):
            ref = self.index.ref_of(match)
            if ref.slug in self.seen or not ref.slug:
                continue
            if blocked is None:
                blocked = self._blocked_spans(text)
            if any(s < match.end() and match.start() < e for s, e in blocked):
                continue
            self.seen.add(ref.slug)
            self.count += 1
            ident = f"{self.id_prefix}-{self.count}"
            href = reverse("workstreams:glossary-term", kwargs={"slug": ref.slug})
            out.append(escape(text[pos : match.start()], quote=False))
            out.append(
                f'<a class="glossary-link" href="{escape(href)}" title="{escape(ref.definition)}" '
                f'aria-describedby="{ident}">{escape(match.group(0), quote=False)}</a>'
                f'<span id="{ident}" hidden>{escape(ref.term)}: {escape(ref.definition, quote=False)}</span>'
            )
            pos = match.end()
        if not out:
            return None
        out.append(escape(text[pos:], quote=False))
        return "".join(out)


class _Pass(HTMLParser):
    def __init__(self, linker: TermLinker):
        super().__init__(convert_charrefs=True)
        self.linker = linker
        self.out: list[str] = []
        self.skip_depth = 0
        self.stack: list[str] = []
        self.changed = False

    def handle_starttag(self, tag, attrs):
        self.out.append(self.get_starttag_text())
        if tag in VOID_TAGS:
            return
        if tag in SECTION_TAGS:
            self.linker.new_section()
        skip = tag in SKIP_TAGS or "redacted" in (dict(attrs).get("class") or "").split()
        self.stack.append(tag if not skip else f"!{tag}")
        if skip:
            self.skip_depth += 1

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        self.out.append(f"</{tag}>")
        # Close up to the matching open element (sanitized HTML is well formed; be lenient anyway).
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i].lstrip("!") == tag:
                for name in self.stack[i:]:
                    if name.startswith("!"):
                        self.skip_depth -= 1
                del self.stack[i:]
                break

    def handle_data(self, data):
        if not self.skip_depth:
            linked = self.linker.link_text(data)
            if linked is not None:
                self.out.append(linked)
                self.changed = True
                return
        self.out.append(escape(data, quote=False))

    def handle_entityref(self, name):  # only without convert_charrefs; kept for completeness
        self.out.append(f"&{name};")

    def handle_charref(self, name):
        self.out.append(f"&#{name};")

    def handle_comment(self, data):
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        self.out.append(f"<!{decl}>")
