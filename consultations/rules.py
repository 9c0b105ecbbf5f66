"""Permissions on drafts and reviews (other modules of this app add theirs below)."""

import rules

from initiative.rules import is_committee_member, is_implementation_staff

rules.add_perm("consultations.write_draft", is_implementation_staff)
rules.add_perm("consultations.manage_reviews", is_implementation_staff)
rules.add_perm("consultations.view_draft_history", is_implementation_staff | is_committee_member)

# Review workflow, approval and publication (issue 5) ------------------------------------------------
from initiative.rules import is_authenticated, is_committee_chair  # noqa: E402

rules.add_perm("consultations.move_deliverable", is_implementation_staff)
rules.add_perm("consultations.view_workflow", is_implementation_staff | is_committee_member)
rules.add_perm("consultations.vote_approval", is_committee_member)
rules.add_perm("consultations.close_approval", is_committee_chair)
rules.add_perm("consultations.view_approval", is_implementation_staff | is_committee_member)
rules.add_perm("consultations.redact", is_implementation_staff)
rules.add_perm("consultations.view_unredacted", is_implementation_staff | is_committee_member)
rules.add_perm("consultations.view_task_failures", is_implementation_staff)
rules.add_perm("consultations.follow_deliverable", is_authenticated)
