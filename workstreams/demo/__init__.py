"""Demo data of the workstreams app (run by `manage.py load_demo`), one module per sub-domain."""

from .workstreams import load  # noqa: F401
