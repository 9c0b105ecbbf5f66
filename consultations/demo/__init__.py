"""Demo data of the consultations app (run by `manage.py load_demo`): drafts, reviews and comments, then
one deliverable at each review stage."""

from .comments import load  # noqa: F401
