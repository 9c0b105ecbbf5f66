"""What of this app's text a person may find through search: query sets, so that the search applies them
inside its own query (see `discovery.selectors.search`)."""

from django.db.models import QuerySet

from initiative.rules import is_committee_member, is_implementation_staff

from ..models import WorkingSession
from ..rules import active_member_workstream_ids


def session_minutes_search_scope(*, user) -> QuerySet[WorkingSession]:
    """Sessions whose minutes `user` may read (`workstreams.view_session_private`): the workstream's
    active members, staff and the committee."""
    qs = WorkingSession.objects.exclude(minutes="")
    if is_implementation_staff(user) or is_committee_member(user):
        return qs
    return qs.filter(workstream_id__in=list(active_member_workstream_ids(user)))
