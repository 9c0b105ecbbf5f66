"""Finding things across the apps: search and the activity feed. It composes every app (reading through
their selectors) and nothing imports it back; see docs/ARCHITECTURE.md, "Discovery"."""
