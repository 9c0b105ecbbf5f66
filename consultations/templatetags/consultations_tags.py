"""Template helpers of the consultations app, so the shared include templates need only their objects
(`old`/`new`, `review`) in context."""

from django import template

from .. import diff, selectors

register = template.Library()

MATRIX_PREVIEW_ROWS = 50


@register.simple_tag
def version_diff_rows(old, new):
    """`{% version_diff_rows old new as rows %}`"""
    return diff.diff_versions(old, new)


@register.simple_tag
def review_summary_of(review):
    """`{% review_summary_of review as summary %}`"""
    return selectors.review_summary(review)


@register.simple_tag
def matrix_preview(review, limit: int = MATRIX_PREVIEW_ROWS):
    """The first `limit` rows of a review's matrix, and whether there are more."""
    rows = list(selectors.matrix_rows(review)[: limit + 1])
    return {"rows": rows[:limit], "more": len(rows) > limit}


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
