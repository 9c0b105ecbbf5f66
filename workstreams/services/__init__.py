"""Writes of the workstreams app, one module per sub-domain; import from the module."""
