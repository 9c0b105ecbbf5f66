"""Models of the consultations app, one module per entity group."""

from .drafts import DraftVersion, Paragraph, Section
from .reviews import Review

__all__ = ["DraftVersion", "Paragraph", "Review", "Section"]
