"""Writes of the consultations app, one module per entity group; import from the module."""
