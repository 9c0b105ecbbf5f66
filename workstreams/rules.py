"""Permissions on workstreams, built from the shared predicates of `initiative.rules`."""

import rules

from initiative.rules import (
    enrolled_workstream_ids,
    is_authenticated,
    is_committee_member,
    is_implementation_staff,
    is_self,
)


@rules.predicate
def is_member_of_workstream(user, workstream) -> bool:
    """Enrolled (and not withdrawn) in this workstream."""
    return workstream is not None and workstream.pk in enrolled_workstream_ids(user)


rules.add_perm("workstreams.manage_workstream", is_implementation_staff)
rules.add_perm("workstreams.invite_participant", is_implementation_staff)
rules.add_perm("workstreams.view_invitations", is_implementation_staff)
rules.add_perm(
    "workstreams.view_members_area", is_member_of_workstream | is_implementation_staff | is_committee_member
)
rules.add_perm("workstreams.withdraw_enrollment", is_authenticated & is_self)
