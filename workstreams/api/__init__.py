"""API of the workstreams app, served under `/api/v1/` (namespace `api`) by initiative/urls.py."""

from django.urls import path

from . import glossary, tracker, workstreams

urlpatterns = [
    path("tracks/", workstreams.TrackListApi.as_view(), name="track-list"),
    path("workstreams/", workstreams.WorkstreamListApi.as_view(), name="workstream-list"),
    path("workstreams/<slug:slug>/", workstreams.WorkstreamDetailApi.as_view(), name="workstream-detail"),
    path("glossary/", glossary.GlossaryListApi.as_view(), name="glossary-list"),
    path("staff/deliverables/", tracker.DeliverableTrackerApi.as_view(), name="deliverable-tracker"),
]
