"""Pages of the consultations app, one module per entity group (imported by consultations/urls.py)."""
