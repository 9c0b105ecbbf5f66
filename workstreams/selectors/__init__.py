"""Reads of the workstreams app for pages and the API, one module per sub-domain. The names are re-exported
here (callers write `selectors.<name>`); the framework's reads are imported from `selectors.framework`."""

from .efforts import (
    related_effort_get,
    related_effort_list,
)
from .glossary import (
    glossary_search,
)
from .lifecycle import (
    deep_dive_agenda,
    step_get,
    workstream_for_report,
)
from .prioritization import (
    ballot_for,
    round_get,
    round_list,
    round_list_for,
)
from .sessions import (
    action_item_list,
    action_item_list_for,
    issue_area_list,
    session_get,
    session_list,
    session_list_all,
)
from .tracker import (
    DONE_STAGES,
    TRACK_COLORS,
    TRACKER_COLUMNS,
    deliverable_list,
    deliverable_tracker,
    months_between,
    participant_dashboard,
    representation,
    staff_dashboard,
    tracker_rows,
    tracker_timeline,
    with_lateness,
    workstream_work,
)
from .workstreams import (
    enrolled_users,
    enrollment_list_for_user,
    in_scope,
    invitation_list,
    members_area_scope,
    track_get,
    track_list,
    workstream_get,
    workstream_list,
    workstream_participation,
)

__all__ = [
    "related_effort_get",
    "related_effort_list",
    "DONE_STAGES",
    "TRACK_COLORS",
    "TRACKER_COLUMNS",
    "action_item_list",
    "action_item_list_for",
    "deliverable_list",
    "in_scope",
    "members_area_scope",
    "round_list_for",
    "session_list_all",
    "ballot_for",
    "deep_dive_agenda",
    "deliverable_tracker",
    "tracker_rows",
    "enrolled_users",
    "enrollment_list_for_user",
    "glossary_search",
    "invitation_list",
    "issue_area_list",
    "months_between",
    "participant_dashboard",
    "representation",
    "round_get",
    "round_list",
    "session_get",
    "session_list",
    "staff_dashboard",
    "step_get",
    "track_get",
    "track_list",
    "tracker_timeline",
    "with_lateness",
    "workstream_for_report",
    "workstream_get",
    "workstream_list",
    "workstream_participation",
    "workstream_work",
]
