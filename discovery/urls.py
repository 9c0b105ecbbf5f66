"""Search and the activity feed (namespace `discovery`)."""

from django.urls import path

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
]
