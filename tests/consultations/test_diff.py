"""Version comparison on known inputs: unchanged, edited (word marks), inserted and removed paragraphs."""

import pytest
from django.template.loader import render_to_string

from consultations import diff
from tests.consultations.factories import make_version

pytestmark = pytest.mark.django_db

V1 = """# Planning

Distribution planning is not coordinated with transmission planning.

Forecasts of DER adoption are rarely shared.

This paragraph will be removed entirely from the next version of the draft.
"""

V2 = """# Planning

Distribution planning is not yet coordinated with bulk transmission planning.

Forecasts of DER adoption are rarely shared.

A brand new paragraph about hosting capacity maps.
"""


def test_diff_marks_unchanged_edited_inserted_and_removed_paragraphs():
    v1 = make_version(body=V1)
    v2 = make_version(deliverable=v1.deliverable, body=V2)
    rows = diff.diff_versions(v1, v2)
    assert [r.op for r in rows] == ["changed", "equal", "inserted", "deleted"] or [r.op for r in rows] == [
        "changed",
        "equal",
        "deleted",
        "inserted",
    ]
    changed = rows[0]
    assert changed.old.key == changed.new.key
    assert changed.new_html == (
        "Distribution planning is not <ins>yet </ins>coordinated with<ins> bulk</ins> transmission planning."
    )
    assert changed.old_html == "Distribution planning is not coordinated with transmission planning."
    assert "<del>" not in changed.new_html and "<ins>" not in changed.old_html
    assert diff.diff_stats(rows) == {"equal": 1, "changed": 1, "inserted": 1, "deleted": 1}


def test_words_diff_escapes_markup():
    old, new = diff.words_diff("plain text", "plain <script>alert(1)</script> text")
    assert "<script>" not in new
    assert "&lt;script&gt;" in new


def test_identical_versions_have_only_equal_rows():
    v1 = make_version(body=V1)
    v2 = make_version(deliverable=v1.deliverable, body=V1)
    assert {r.op for r in diff.diff_versions(v1, v2)} == {"equal"}


def test_long_documents_with_repeated_paragraphs_align_with_autojunk_off():
    """Over 200 paragraphs, a repeated block must not be treated as junk and misaligned."""
    body = "\n\n".join(
        [
            "Repeated boilerplate paragraph."
            if i % 3 == 0
            else f"Paragraph number {i} of the long draft about planning."
            for i in range(300)
        ]
    )
    edited = body.replace("number 250 of the long", "number 250 of the very long")
    v1 = make_version(body=body)
    v2 = make_version(deliverable=v1.deliverable, body=edited)
    stats = diff.diff_stats(diff.diff_versions(v1, v2))
    assert stats == {"equal": 299, "changed": 1, "inserted": 0, "deleted": 0}


def test_version_diff_component_renders_a_table():
    v1 = make_version(body=V1)
    v2 = make_version(deliverable=v1.deliverable, body=V2)
    html = render_to_string("consultations/components/version_diff.html", {"old": v1, "new": v2})
    assert "<caption>" in html and "<ins>" in html and "<del>" in html
