"""Admin of the workstreams app, one module per sub-domain (imported here so the admin finds them)."""

from . import efforts, framework, workstreams  # noqa: F401
