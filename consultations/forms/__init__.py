"""Forms of the consultations app, one module per sub-domain; import from the module."""
