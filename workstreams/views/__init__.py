"""Pages of the workstreams app, one module per sub-domain (imported by workstreams/urls.py)."""
