"""The Spanish catalog covers the public site: extracted afresh from the templates and modules (with
Babel, no GNU gettext), every message has a Spanish translation that is neither empty nor fuzzy, and the
committed .mo says what the .po says (a fresh machine compiles nothing)."""

import io

import pytest
from babel.messages.pofile import read_po, write_po
from django.utils import translation

from initiative import catalog


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The catalog extracted into a temporary directory, as a .pot a translator would get."""
    path = tmp_path_factory.mktemp("messages") / "django.pot"
    with open(path, "wb") as f:
        write_po(f, catalog.extract_catalog())
    with open(path, "rb") as f:
        return read_po(f)


def test_extraction_finds_the_public_messages(extracted):
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in extracted if m.id}
    assert len(ids) > 400
    for message in (
        "Skip to main content",  # the frame
        "Change language",  # the switcher
        "Three tracks",  # home
        "The challenge",  # a workstream
        "Send comment",  # the comment form
        "Library of published work products",  # the library
        "Steering committee decisions",  # decisions
        "Public webinars",  # webinars
        "Confirm your registration: %(title)s",  # a webinar email
        "Join",  # the calendar invite
        "Page not found",  # error pages
        "%(n)s comment",  # a plural
    ):
        assert message in ids, message


def test_every_public_message_has_a_spanish_translation_that_is_neither_empty_nor_fuzzy(extracted):
    assert catalog.problems(catalog.read_catalog(), extracted) == []


def test_every_public_template_pattern_still_names_a_template(settings):
    root = settings.BASE_DIR / "templates"
    for pattern in catalog.PUBLIC_TEMPLATES:
        assert list(root.glob(pattern)), pattern


def test_the_check_fails_on_a_fuzzy_an_empty_or_a_missing_entry(extracted):
    po = catalog.read_catalog()
    po["Change language"].flags.add("fuzzy")
    po["Three tracks"].string = ""
    po.delete("Public webinars")
    problems = catalog.problems(po, extracted)
    assert "fuzzy: 'Change language'" in problems
    assert "empty: 'Three tracks'" in problems
    assert "missing: 'Public webinars'" in problems


def test_the_committed_mo_is_compiled_from_the_po():
    assert catalog.mo_is_current(), "run `python manage.py messages compile` and commit the .mo"


def test_django_loads_the_spanish_catalog():
    with translation.override("es"):
        assert translation.gettext("Skip to main content") == "Ir al contenido principal"
        assert translation.ngettext("%(n)s comment", "%(n)s comments", 3) % {"n": 3} == "3 comentarios"
    assert translation.gettext("Skip to main content") == "Skip to main content"


def test_the_po_parses_as_gnu_gettext_would_see_it():
    """Babel reads it back with the same plural forms as Django's own Spanish catalog (three)."""
    with open(catalog.po_path(), "rb") as f:
        text = f.read()
    po = read_po(io.BytesIO(text))
    assert po.num_plurals == 3
    assert b"#, fuzzy" not in text
