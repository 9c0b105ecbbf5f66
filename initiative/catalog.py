"""The Spanish message catalog (`locale/es/LC_MESSAGES/django.po` and its compiled `.mo`), kept with Babel
so that neither extracting nor compiling needs GNU gettext on the machine.

What the catalog must cover is the public site and its emails: the templates listed in `PUBLIC_TEMPLATES`
and the Python modules in `PUBLIC_MODULES` (forms, choices and messages those pages show). Staff and
committee pages stay English-only; strings of theirs that are not in the catalog fall back to English.
Templates are extracted the way `makemessages` does it (Django's `templatize`, then a Python extractor),
so the message ids are the ones Django looks up at run time.
"""

import datetime
import gettext
import io
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from django.conf import settings
from django.utils.translation.template import templatize

LOCALE = "es"

PUBLIC_TEMPLATES = [
    "_base.html",
    "403.html",
    "404.html",
    "429.html",
    "500.html",
    "components/*.html",
    "initiative/home.html",
    "initiative/governance.html",
    "initiative/notification_list.html",
    "initiative/notification_preferences.html",
    "initiative/notification_unsubscribe.html",
    "discovery/search/search_results.html",
    "discovery/activity/activity_list.html",
    "workstreams/_crumbs.html",
    "workstreams/workstreams/track_detail.html",
    "workstreams/workstreams/workstream_detail.html",
    "workstreams/workstreams/_workstream_work.html",
    "workstreams/glossary/glossary_list.html",
    "workstreams/glossary/term_detail.html",
    "workstreams/glossary/term_propose.html",
    "workstreams/dialogue/issue_area_list.html",
    "workstreams/dialogue/issue_area_detail.html",
    "workstreams/dialogue/_diff.html",
    "workstreams/sessions/_action_table.html",
    "workstreams/sessions/session_list.html",
    "workstreams/sessions/session_detail.html",
    "workstreams/sessions/_session_table.html",
    "workstreams/framework/overview.html",
    "workstreams/framework/_crumbs.html",
    "workstreams/framework/_tools.html",
    "consultations/drafts/consultation_list.html",
    "consultations/drafts/draft_detail.html",
    "consultations/drafts/_*.html",
    "consultations/drafts/version_compare.html",
    "consultations/components/version_diff.html",
    "consultations/comments/paragraph_comments.html",
    "consultations/comments/_comment_quote.html",
    "consultations/comments/comment_flag.html",
    "consultations/endorsements/_summary.html",
    "consultations/publication/library.html",
    "consultations/publication/publication_detail.html",
    "consultations/approvals/decision_list.html",
    "consultations/approvals/decision_detail.html",
    "consultations/mailing/*.html",
    "webinars/webinar_list.html",
    "webinars/webinar_detail.html",
    "webinars/_*.html",
    "webinars/registration_*.html",
    "webinars/rate_limited.html",
    "emails/_webinar_*",
    "emails/webinar_*",
    "emails/consultations_list_confirm*",
    "emails/consultations_consultation_opened*",
    "emails/consultations_decision*",
    "emails/consultations_outreach_*",
    "emails/notification*",
    "emails/comment_hidden*",
    "emails/invitation*",
    "emails/workstreams_reevaluation_opened*",
    "allauth/layouts/base.html",
    "account/lockout.html",
    "mfa/authenticate.html",
]

PUBLIC_MODULES = [
    "initiative/models.py",
    "initiative/forms.py",
    "initiative/templatetags/initiative_tags.py",
    "initiative/views.py",
    "webinars/models.py",
    "webinars/forms.py",
    "webinars/services.py",
    "webinars/ics.py",
    "consultations/forms/comments.py",
    "consultations/views/drafts.py",
    "consultations/views/comments.py",
    "consultations/views/publication.py",
    "consultations/services/comments.py",
    "consultations/selectors/drafts.py",
    "webinars/views.py",
    "discovery/forms/search.py",
    "discovery/models/search.py",
    "discovery/selectors/activity.py",
    "discovery/views/activity.py",
    "workstreams/forms/glossary.py",
    "workstreams/models/glossary.py",
    "workstreams/models/dialogue.py",
    "workstreams/models/sessions.py",
    "consultations/models/approvals.py",
    # notification titles, written in each language (initiative.notifications.event_raise)
    "consultations/services/following.py",
    "consultations/models/reviews.py",
    "workstreams/services/sessions.py",
    "webinars/tasks.py",
]

KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext_lazy": (1, 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext_lazy": ((1, "c"), 2, 3),
}


def po_path() -> Path:
    return Path(settings.BASE_DIR) / "locale" / LOCALE / "LC_MESSAGES" / "django.po"


def mo_path() -> Path:
    return po_path().with_suffix(".mo")


def public_template_paths() -> list[Path]:
    root = Path(settings.BASE_DIR) / "templates"
    paths = {path for pattern in PUBLIC_TEMPLATES for path in root.glob(pattern) if path.is_file()}
    return sorted(paths)


def extract_catalog() -> Catalog:
    """Every message the public templates and modules mark, with where each is used."""
    base = Path(settings.BASE_DIR)
    catalog = Catalog(locale=LOCALE, project="der-initiative", charset="utf-8")
    sources = [(path, "template") for path in public_template_paths()]
    sources += [(base / module, "python") for module in PUBLIC_MODULES]
    for path, kind in sources:
        text = path.read_text(encoding="utf-8")
        code = _template_code(text, path) if kind == "template" else text
        for lineno, message, comments, context in extract(
            "python", io.BytesIO(code.encode("utf-8")), keywords=KEYWORDS, comment_tags=("Translators",)
        ):
            flags = ("python-format",) if kind == "template" and _has_format(message) else ()
            catalog.add(
                message,
                locations=[(str(path.relative_to(base)), lineno)],
                auto_comments=comments,
                context=context,
                flags=flags,
            )
    return catalog


def _template_code(text: str, path: Path) -> str:
    """`templatize` writes the template's messages as gettext calls among filler for xgettext, which is
    lenient; left-aligned, every line tokenizes as Python (line numbers kept)."""
    return "\n".join(line.lstrip() for line in templatize(text, origin=str(path)).splitlines())


def _has_format(message) -> bool:
    ids = message if isinstance(message, tuple) else (message,)
    return any("%(" in msgid for msgid in ids)


def read_catalog(path: Path | None = None) -> Catalog:
    with open(path or po_path(), "rb") as f:
        return read_po(f, locale=LOCALE)


def update() -> Catalog:
    """Merge freshly extracted messages into the `.po` (new ones empty, gone ones dropped; never fuzzy)."""
    template = extract_catalog()
    path = po_path()
    if path.exists():
        catalog = read_catalog(path)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
    else:
        catalog = Catalog(locale=LOCALE, project="der-initiative", charset="utf-8")
        catalog.update(template, no_fuzzy_matching=True)
    catalog.fuzzy = False  # the header: translations are written by hand, not guessed
    catalog.version = "1"
    catalog.revision_date = datetime.datetime.now(datetime.UTC)
    catalog.language_team = "DER Integration Initiative"
    catalog.last_translator = "DER Integration Initiative"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        write_po(f, catalog, width=100, sort_output=True)
    return catalog


def compile_mo() -> None:
    """Write the `.mo` Django loads (fuzzy entries left out, like msgfmt)."""
    with open(mo_path(), "wb") as f:
        write_mo(f, read_catalog(), use_fuzzy=False)


def problems(catalog: Catalog, extracted: Catalog) -> list[str]:
    """What keeps the Spanish catalog from covering the extracted messages: a message missing from it, an
    empty or partly empty translation, or a fuzzy one."""
    found = []
    for message in extracted:
        if not message.id:
            continue
        entry = catalog.get(message.id, context=message.context)
        label = message.id if isinstance(message.id, str) else message.id[0]
        if entry is None:
            found.append(f"missing: {label!r}")
        elif entry.fuzzy:
            found.append(f"fuzzy: {label!r}")
        elif not entry.string or (isinstance(entry.string, tuple) and not all(entry.string)):
            found.append(f"empty: {label!r}")
    return found


def mo_is_current() -> bool:
    """The committed `.mo` says exactly what the `.po` says (so a fresh machine needs no compiler)."""
    buffer = io.BytesIO()
    write_mo(buffer, read_catalog(), use_fuzzy=False)
    buffer.seek(0)
    expected = gettext.GNUTranslations(buffer)._catalog
    with open(mo_path(), "rb") as f:
        committed = gettext.GNUTranslations(f)._catalog
    return expected == committed
