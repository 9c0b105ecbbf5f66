"""Writes on the glossary. Participants propose terms, propose new wordings of open terms and comment on
wordings; staff move a term through its statuses by `term_transition`, whose table below is the single
source of truth (the term page asks it which buttons to show). Each write checks the policy, locks the
term, changes it, and writes the audit log in one transaction; when the set of agreed terms changes, the
index drafts link from is rebuilt after commit."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from initiative import audit, policy

from ..models import GlossaryComment, GlossaryDefinition, GlossaryTerm, TermStatus
from ..selectors import glossary as selectors

# verb → ({statuses it may start from}, the status it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "discuss": (frozenset({TermStatus.PROPOSED}), TermStatus.UNDER_DISCUSSION),
    "agree": (
        frozenset({TermStatus.PROPOSED, TermStatus.UNDER_DISCUSSION, TermStatus.AGREED}),
        TermStatus.AGREED,
    ),
    "reopen": (frozenset({TermStatus.AGREED, TermStatus.RETIRED}), TermStatus.UNDER_DISCUSSION),
    "retire": (
        frozenset({TermStatus.PROPOSED, TermStatus.UNDER_DISCUSSION, TermStatus.AGREED}),
        TermStatus.RETIRED,
    ),
}
VERB_LABELS = {
    "discuss": gettext_lazy("Open for discussion"),
    "agree": gettext_lazy("Mark agreed"),
    "reopen": gettext_lazy("Reopen for discussion"),
    "retire": gettext_lazy("Retire"),
}
OPEN_STATUSES = frozenset({TermStatus.PROPOSED, TermStatus.UNDER_DISCUSSION})
TERM_FIELDS = ["status", "definition", "agreed_definition", "agreed_at"]


class GlossaryError(Exception):
    """A refused glossary write, with a message for the reader."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class IllegalTermTransition(GlossaryError):
    def __init__(self, *, current: str, verb: str):
        super().__init__(
            _("A term that is %(status)s cannot be moved that way (%(verb)s).")
            % {"status": TermStatus(current).label.lower(), "verb": verb}
        )
        self.current = current
        self.verb = verb


def verbs_for(term: GlossaryTerm) -> list[str]:
    """The transitions the table allows from the term's status, in table order."""
    return [verb for verb, (sources, _target) in TRANSITIONS.items() if term.status in sources]


def _unique_slug(term: str) -> str:
    base = (slugify(term) or "term")[:130]
    slug, n = base, 2
    while GlossaryTerm.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _clean(text: str, *, what: str, limit: int) -> str:
    text = (text or "").strip()
    if not text:
        raise GlossaryError(_("Give the %(what)s.") % {"what": what})
    if len(text) > limit:
        raise GlossaryError(_("The %(what)s is too long.") % {"what": what})
    return text


def term_propose(
    *, actor, term: str, definition: str, abbreviation: str = "", kind: str = GlossaryTerm.Kind.TERM
) -> GlossaryTerm:
    """A new term, `proposed`, with its first wording. A name already in the glossary (in any letter
    case) is refused: comment on that term instead."""
    policy.require(actor, "workstreams.propose_term")
    term = _clean(term, what=_("term"), limit=120)
    definition = _clean(definition, what=_("definition"), limit=5000)
    if kind not in GlossaryTerm.Kind.values:
        raise ValueError(kind)
    with transaction.atomic():
        if GlossaryTerm.objects.filter(term__iexact=term).exists():
            raise GlossaryError(_("That term is already in the glossary."))
        obj = GlossaryTerm.objects.create(
            term=term,
            slug=_unique_slug(term),
            definition=definition,
            abbreviation=abbreviation.strip()[:30],
            kind=kind,
            status=TermStatus.PROPOSED,
            proposed_by=actor,
        )
        GlossaryDefinition.objects.create(term=obj, number=1, text=definition, author=actor)
        audit.record(
            actor=actor,
            action="glossary_term.propose",
            obj=obj,
            after={"term": term, "definition": definition, "abbreviation": obj.abbreviation},
        )
    return obj


def definition_propose(*, actor, term: GlossaryTerm, text: str, note: str = "") -> GlossaryDefinition:
    """A new wording of the term's definition, numbered after the last. While the term is open it becomes
    the term's current definition; an agreed term keeps its agreed wording until staff agree this one."""
    policy.require(actor, "workstreams.revise_definition", term)
    text = _clean(text, what=_("definition"), limit=5000)
    with transaction.atomic():
        # Lock the term: wordings are numbered one after the other, and the current text follows them.
        locked = GlossaryTerm.objects.select_for_update(no_key=True).get(pk=term.pk)
        if locked.status == TermStatus.RETIRED:
            raise GlossaryError(_("This term is retired: reopen it before rewording it."))
        last = locked.definitions.aggregate(n=Max("number"))["n"] or 0
        wording = GlossaryDefinition.objects.create(
            term=locked, number=last + 1, text=text, note=note.strip()[:300], author=actor
        )
        if locked.status in OPEN_STATUSES:
            locked.definition = text
            locked.save(update_fields=["definition"])
        audit.record(
            actor=actor,
            action="glossary_definition.propose",
            obj=locked,
            after={"number": wording.number, "text": text, "note": wording.note},
        )
    term.definition = locked.definition
    return wording


def glossary_comment_create(
    *, actor, term: GlossaryTerm, definition: GlossaryDefinition, body: str
) -> GlossaryComment:
    policy.require(actor, "workstreams.comment_on_term", term)
    body = _clean(body, what=_("comment"), limit=5000)
    if definition.term_id != term.pk:
        raise ValueError("definition of another term")
    if term.status == TermStatus.RETIRED:
        raise GlossaryError(_("This term is retired: it no longer takes comments."))
    with transaction.atomic():
        comment = GlossaryComment.objects.create(term=term, definition=definition, author=actor, body=body)
        audit.record(
            actor=actor,
            action="glossary_comment.create",
            obj=term,
            after={"definition": definition.number, "comment": comment.pk},
        )
    return comment


def term_transition(
    *, actor, term: GlossaryTerm, verb: str, definition: GlossaryDefinition | None = None, reason: str = ""
) -> GlossaryTerm:
    """Move the term by `verb` (see TRANSITIONS). `agree` marks `definition` (by default the newest
    wording) as the agreed one and makes it the term's definition. Raises IllegalTermTransition when the
    table does not allow the move from the term's current status."""
    policy.require(actor, "workstreams.manage_glossary", term)
    if verb not in TRANSITIONS:
        raise IllegalTermTransition(current=term.status, verb=verb)
    sources, target = TRANSITIONS[verb]
    with transaction.atomic():
        # Lock the term: the status check and the change are one step against a concurrent transition.
        locked = GlossaryTerm.objects.select_for_update(no_key=True).get(pk=term.pk)
        if locked.status not in sources:
            raise IllegalTermTransition(current=locked.status, verb=verb)
        before = audit.snapshot(locked, ["status", "definition", "agreed_definition"])
        was_agreed = locked.status == TermStatus.AGREED
        if verb == "agree":
            wording = definition or locked.definitions.order_by("-number").first()
            if wording is None or wording.term_id != locked.pk:
                raise GlossaryError(_("Choose a wording of this term to agree."))
            if was_agreed and locked.agreed_definition_id == wording.pk:
                raise GlossaryError(_("This wording is already the agreed one."))
            locked.agreed_definition = wording
            locked.definition = wording.text
            locked.agreed_at = timezone.now()
        locked.status = target
        locked.save(update_fields=TERM_FIELDS)
        audit.record(
            actor=actor,
            action=f"glossary_term.{verb}",
            obj=locked,
            before=before,
            after=audit.snapshot(locked, ["status", "definition", "agreed_definition"]),
            reason=reason,
        )
        if was_agreed or target == TermStatus.AGREED:
            transaction.on_commit(selectors.glossary_changed)
    for name in TERM_FIELDS:
        setattr(term, name, getattr(locked, name))
    return term
