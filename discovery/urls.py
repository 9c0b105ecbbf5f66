"""Search and the activity feed (namespace `discovery`)."""

from django.urls import path

from .api import search as search_api
from .views import activity, search

app_name = "discovery"

urlpatterns = [
    path("search/", search.search, name="search"),
    path("activity/", activity.activity_list, name="activity"),
    path("activity/feed/", activity.InitiativeActivityFeed(), name="activity-feed"),
    path("workstreams/<slug:slug>/activity/", activity.activity_list, name="workstream-activity"),
    path(
        "workstreams/<slug:slug>/activity/feed/",
        activity.WorkstreamActivityFeed(),
        name="workstream-activity-feed",
    ),
    path("api/search/", search_api.SearchApi.as_view(), name="api-search"),
]
