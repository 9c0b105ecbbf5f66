"""API of the consultations app, served under `/api/v1/` (namespace `api`) by initiative/urls.py."""

from django.urls import path

from . import comments, publication, workflow

urlpatterns = [
    path(
        "deliverables/<int:pk>/transitions/",
        workflow.DeliverableTransitionApi.as_view(),
        name="deliverable-transitions",
    ),
    path("reviews/<int:pk>/comments/", comments.ReviewCommentListApi.as_view(), name="review-comments"),
    path("library/", publication.LibraryListApi.as_view(), name="library-list"),
    path("library/<int:pk>/", publication.LibraryDetailApi.as_view(), name="library-detail"),
    path("decisions/", publication.DecisionListApi.as_view(), name="decision-list"),
]
