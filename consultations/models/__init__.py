"""Models of the consultations app, one module per sub-domain; imported here so the app label stays
`consultations` (no migrations when a model moves between modules)."""

from .drafts import DraftVersion, Paragraph, Section
from .reviews import Review

__all__ = ["DraftVersion", "Paragraph", "Review", "Section"]

from .comments import (  # noqa: E402
    Attachment,
    Campaign,
    Comment,
    CommentCount,
    Disposition,
    Flag,
    MatrixExport,
)

__all__ += ["Attachment", "Campaign", "Comment", "CommentCount", "Disposition", "Flag", "MatrixExport"]

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

from .endorsements import DISSENT, Endorsement, EndorsementWindow, Position  # noqa: E402

__all__ += ["DISSENT", "Endorsement", "EndorsementWindow", "Position"]

from .outreach import Outreach, OutreachInvitation  # noqa: E402

__all__ += ["Outreach", "OutreachInvitation"]
