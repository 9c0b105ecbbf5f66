"""API of the consultations app, served under `/api/v1/` (namespace `api`) by initiative/urls.py."""

from django.urls import path

from . import workflow

urlpatterns = [
    path(
        "deliverables/<int:pk>/transitions/",
        workflow.DeliverableTransitionApi.as_view(),
        name="deliverable-transitions",
    ),
    path("library/", workflow.LibraryListApi.as_view(), name="library-list"),
    path("library/<int:pk>/", workflow.LibraryDetailApi.as_view(), name="library-detail"),
    path("decisions/", workflow.DecisionListApi.as_view(), name="decision-list"),
]
