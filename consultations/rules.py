"""Permissions on drafts and reviews (other modules of this app add theirs below)."""

import rules

from initiative.rules import is_committee_member, is_implementation_staff

rules.add_perm("consultations.write_draft", is_implementation_staff)
rules.add_perm("consultations.manage_reviews", is_implementation_staff)
rules.add_perm("consultations.view_draft_history", is_implementation_staff | is_committee_member)
