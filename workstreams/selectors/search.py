"""What of this app's text a person may find through search: query sets, so that the search applies them
inside its own query (see `discovery.selectors.search`)."""

from django.db.models import QuerySet

from ..models import WorkingSession
from .workstreams import in_scope, members_area_scope


def session_minutes_search_scope(*, user) -> QuerySet[WorkingSession]:
    """Sessions whose minutes `user` may read (`workstreams.view_session_private`): the workstream's
    active members (not its feedback providers), staff and the committee; the same scope as the API's
    sessions and action items."""
    return in_scope(WorkingSession.objects.exclude(minutes=""), members_area_scope(user))
