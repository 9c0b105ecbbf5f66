"""API of the workstreams app, served under `/api/v1/` (namespace `api`) by initiative/urls.py."""

from django.urls import path

from . import framework, glossary, prioritization, sessions, tracker, workstreams

urlpatterns = [
    path("tracks/", workstreams.TrackListApi.as_view(), name="track-list"),
    path("workstreams/", workstreams.WorkstreamListApi.as_view(), name="workstream-list"),
    path("workstreams/<slug:slug>/", workstreams.WorkstreamDetailApi.as_view(), name="workstream-detail"),
    path(
        "workstreams/<slug:slug>/steps/", workstreams.LifecycleStepListApi.as_view(), name="workstream-steps"
    ),
    path("deliverables/", tracker.DeliverableListApi.as_view(), name="deliverable-list"),
    path("deliverables/<int:pk>/", tracker.DeliverableDetailApi.as_view(), name="deliverable-detail"),
    path("rounds/", prioritization.RoundListApi.as_view(), name="round-list"),
    path("rounds/<int:pk>/", prioritization.RoundDetailApi.as_view(), name="round-detail"),
    path("rounds/<int:pk>/ballot/", prioritization.BallotApi.as_view(), name="round-ballot"),
    path("sessions/", sessions.SessionListApi.as_view(), name="session-list"),
    path("sessions/<int:pk>/", sessions.SessionDetailApi.as_view(), name="session-detail"),
    path("action-items/", sessions.ActionItemListApi.as_view(), name="action-item-list"),
    path("issue-areas/", sessions.IssueAreaListApi.as_view(), name="issue-area-list"),
    path("issue-areas/<slug:slug>/", sessions.IssueAreaDetailApi.as_view(), name="issue-area-detail"),
    path("framework/models/", framework.OperatingModelListApi.as_view(), name="framework-model-list"),
    path(
        "framework/models/<slug:slug>/",
        framework.OperatingModelDetailApi.as_view(),
        name="framework-model-detail",
    ),
    path("framework/functions/", framework.GridFunctionListApi.as_view(), name="framework-function-list"),
    path("framework/actors/", framework.ActorListApi.as_view(), name="framework-actor-list"),
    path("framework/cells/", framework.MatrixCellListApi.as_view(), name="framework-cell-list"),
    path("glossary/", glossary.GlossaryListApi.as_view(), name="glossary-list"),
    path("staff/deliverables/", tracker.DeliverableTrackerApi.as_view(), name="deliverable-tracker"),
]
