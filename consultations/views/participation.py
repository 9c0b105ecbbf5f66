"""The participation record page (staff): participants and organizations with their sessions attended,
reviews commented on, ballots cast and endorsements given; drop-off is flagged beside it."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from initiative import policy
from workstreams.selectors.sessions import drop_offs

from ..selectors import participation as selectors


@login_required
def participation(request):
    policy.require(request.user, "consultations.view_participation")
    people = Paginator(selectors.participant_record(), 50).get_page(request.GET.get("page"))
    organizations = Paginator(selectors.organization_record(), 50).get_page(request.GET.get("org_page"))
    dropped = {}
    for e in drop_offs():
        dropped.setdefault(e.user_id, []).append(e.workstream.code)
    for person in people:
        person.dropped_in = dropped.get(person.pk, [])
    return render(
        request,
        "consultations/participation/participation.html",
        {"people": people, "organizations": organizations},
    )
