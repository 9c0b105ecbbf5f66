"""Reads of the consultations app for pages, exports and tasks, one module per entity group.

Stable entry points other modules import from here: `review_summary(review)` and
`matrix_rows(review, **filters)`.
"""

from .comments import matrix_rows, review_summary

__all__ = ["matrix_rows", "review_summary"]
