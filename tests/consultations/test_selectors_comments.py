"""The matrix and summary selectors and their include templates, which other pages embed."""

import pytest
from django.template.loader import render_to_string

from consultations import selectors
from consultations.models import Disposition
from tests.consultations.factories import CommentFactory, ReviewFactory, bulk_comments

pytestmark = pytest.mark.django_db


def test_matrix_rows_filter_by_paragraph_disposition_and_stakeholder_type():
    review = ReviewFactory()
    first, second = list(review.version.paragraphs.values_list("key", flat=True))
    a = CommentFactory(
        review=review, paragraph_key=first, stakeholder_type="iou", disposition=Disposition.ACCEPTED
    )
    b = CommentFactory(review=review, paragraph_key=second, stakeholder_type="state_regulator")
    c = CommentFactory(review=review, paragraph_key="", stakeholder_type="iou")
    assert list(selectors.matrix_rows(review)) == [c, a, b]  # whole draft first, then paragraph order
    assert list(selectors.matrix_rows(review, paragraph=first)) == [a]
    assert list(selectors.matrix_rows(review, paragraph="")) == [c]
    assert list(selectors.matrix_rows(review, disposition="accepted")) == [a]
    assert set(selectors.matrix_rows(review, disposition="none")) == {b, c}
    assert list(selectors.matrix_rows(review, stakeholder_type="state_regulator")) == [b]
    rows = list(selectors.matrix_rows(review))
    assert rows[1].paragraph_number == 0 and rows[0].paragraph_number is None


def test_summary_counts_by_paragraph_stakeholder_and_disposition():
    review = ReviewFactory()
    bulk_comments(review, 10)
    CommentFactory(review=review, disposition=Disposition.ACCEPTED)
    summary = selectors.review_summary(review)
    assert summary.total == 11
    assert summary.accepted == 1
    assert sum(b.count for b in summary.by_paragraph) == 11
    assert sum(b.count for b in summary.by_stakeholder) == 11
    assert max(b.percent for b in summary.by_paragraph) == 100


def test_summary_and_matrix_components_render(django_assert_max_num_queries):
    review = ReviewFactory()
    bulk_comments(review, 30)
    with django_assert_max_num_queries(12):
        html = render_to_string("consultations/components/review_summary.html", {"review": review})
    assert "<svg" in html and "<table" in html and "30 comments" in html
    with django_assert_max_num_queries(3):
        html = render_to_string("consultations/components/matrix.html", {"review": review})
    assert "Comment–response matrix" in html
    assert "@example.org" not in html  # commenter emails are never shown
