"""Reads on the glossary: the list and search, one term with its history, the exports, and the index of
agreed terms that drafts and publications link from.

The index is one compiled regular expression over every agreed term's phrases, built once per glossary
revision and kept in the process. The revision is a token in the shared cache that the glossary services
replace when the agreed set changes (`glossary_changed`), so every process rebuilds on its next render."""

import re
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from initiative import revisions

from ..models import GlossaryComment, GlossaryDefinition, GlossaryTerm, TermStatus

REVISION_KEY = "workstreams:glossary:revision"
EXPORT_FIELDS = ["term", "abbreviation", "kind", "status", "definition", "agreed_at", "url"]


def glossary_search(q: str = "", status: str = "") -> QuerySet[GlossaryTerm]:
    terms = GlossaryTerm.objects.all()
    if status in TermStatus.values:
        terms = terms.filter(status=status)
    if q:
        terms = terms.filter(Q(term__icontains=q) | Q(definition__icontains=q) | Q(abbreviation__iexact=q))
    return terms


def term_get(*, slug: str) -> GlossaryTerm:
    """One term with its wordings (oldest first) and their comments and authors, in three queries."""
    return get_object_or_404(
        GlossaryTerm.objects.select_related("proposed_by", "agreed_definition").prefetch_related(
            Prefetch(
                "definitions",
                queryset=GlossaryDefinition.objects.select_related("author").prefetch_related(
                    Prefetch("comments", queryset=GlossaryComment.objects.select_related("author"))
                ),
            )
        ),
        slug=slug,
    )


def glossary_export_rows(*, base_url: str = "") -> list[dict]:
    """The agreed glossary as plain rows for the CSV and JSON downloads (retired and open terms are left
    out: the download is the vocabulary the initiative uses)."""
    return [
        {
            "term": t.term,
            "abbreviation": t.abbreviation,
            "kind": t.kind,
            "status": t.status,
            "definition": t.definition,
            "agreed_at": t.agreed_at.isoformat() if t.agreed_at else "",
            "url": base_url + t.get_absolute_url() if t.slug else "",
        }
        for t in GlossaryTerm.objects.filter(status=TermStatus.AGREED).order_by("term")
    ]


# The index of agreed terms ------------------------------------------------------------------------------

PAREN = re.compile(r"^(?P<name>.+?)\s*\((?P<inner>[^()]+)\)\s*$")
ABBREVIATION_LIKE = re.compile(r"^[A-Z0-9][A-Za-z0-9&/\-]*$")
QUOTES = str.maketrans("", "", '"“”')


@dataclass(frozen=True)
class TermRef:
    slug: str
    term: str
    definition: str


@dataclass(frozen=True)
class TermIndex:
    """`pattern` finds any agreed phrase as a whole word; `refs[i]` is the term of the phrase matched by
    group `p<i>`. Abbreviation-like phrases ("DER", "DERs") match in their own case only, others in any."""

    pattern: re.Pattern | None
    refs: tuple[TermRef, ...]

    def ref_of(self, match: re.Match) -> TermRef:
        return self.refs[int(match.lastgroup[1:])]


def is_abbreviation_like(phrase: str) -> bool:
    return bool(ABBREVIATION_LIKE.match(phrase)) and sum(c.isupper() for c in phrase) >= 2


def phrases_of(term: GlossaryTerm) -> list[str]:
    """What a draft may write for the term: its name, its name without a parenthesised part, the
    abbreviation in those parentheses ("Distributed energy resources (DERs)"), and its abbreviation."""
    name = term.term.translate(QUOTES).strip()
    found = [name]
    m = PAREN.match(name)
    if m:
        found.append(m["name"].strip())
        if is_abbreviation_like(m["inner"].strip()):
            found.append(m["inner"].strip())
    if term.abbreviation.strip():
        found.append(term.abbreviation.strip())
    return [p for p in dict.fromkeys(found) if len(p) >= 2]


def build_index(terms) -> TermIndex:
    """One alternation over every phrase, longest first (so "DER integration" wins over "DER"). When two
    terms share a phrase, a defined term wins over an abbreviation entry, then the first by name."""
    chosen: dict[str, GlossaryTerm] = {}
    ordered = sorted(terms, key=lambda t: (t.kind != GlossaryTerm.Kind.TERM, t.term.casefold()))
    for term in ordered:
        for phrase in phrases_of(term):
            key = phrase if is_abbreviation_like(phrase) else phrase.casefold()
            chosen.setdefault(key, term)
    if not chosen:
        return TermIndex(None, ())
    refs: list[TermRef] = []
    alternatives: list[str] = []
    for key, term in sorted(chosen.items(), key=lambda kv: (-len(kv[0]), kv[0])):
        body = r"\s+".join(re.escape(word) for word in key.split())
        alternatives.append(
            f"(?P<p{len(refs)}>{body})" if is_abbreviation_like(key) else f"(?P<p{len(refs)}>(?i:{body}))"
        )
        refs.append(TermRef(slug=term.slug or "", term=term.term, definition=term.definition))
    # Whole words only: no letter, digit, underscore or hyphen may touch either end.
    pattern = re.compile(r"(?<![\w\-])(?:" + "|".join(alternatives) + r")(?![\w\-])")
    return TermIndex(pattern, tuple(refs))


_index_by_revision: dict[str, TermIndex] = {}


def glossary_revision() -> str:
    return revisions.current(REVISION_KEY)


def glossary_changed() -> None:
    """The agreed set changed: every process builds a new index on its next render. Run on commit."""
    revisions.replace(REVISION_KEY)


def agreed_term_index() -> TermIndex:
    """The index of the agreed terms at the current revision: one cache read when nothing changed, one
    query and a compile when it did."""
    revision = glossary_revision()
    index = _index_by_revision.get(revision)
    if index is None:
        terms = GlossaryTerm.objects.filter(status=TermStatus.AGREED).exclude(slug=None)
        index = build_index(list(terms.only("term", "slug", "definition", "kind", "abbreviation")))
        _index_by_revision.clear()  # one revision at a time: the old one is never asked for again
        _index_by_revision[revision] = index
    return index
