"""Models of the consultations app, one module per entity group."""

from .drafts import DraftVersion, Paragraph, Section
from .reviews import Review

__all__ = ["DraftVersion", "Paragraph", "Review", "Section"]

# issue 4: comments, attachments, flags, campaigns, matrix exports
from .comments import Attachment, Campaign, Comment, Disposition, Flag, MatrixExport  # noqa: E402

__all__ += ["Attachment", "Campaign", "Comment", "Disposition", "Flag", "MatrixExport"]

# The review workflow, approval and publication (issue 5)
from .approvals import Approval, Decision, Majority, Vote  # noqa: E402
from .publication import Publication, Redaction  # noqa: E402
from .workflow import DeliverableTransition, Follow, Subscriber  # noqa: E402

__all__ += [
    "Approval",
    "Decision",
    "DeliverableTransition",
    "Follow",
    "Majority",
    "Publication",
    "Redaction",
    "Subscriber",
    "Vote",
]
