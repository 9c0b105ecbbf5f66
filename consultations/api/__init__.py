"""API of the consultations app, served under `/api/v1/` (namespace `api`) by initiative/urls.py."""

from django.urls import path

from . import approvals, comments, drafts, publication, reviews, workflow

urlpatterns = [
    path(
        "deliverables/<int:pk>/transitions/",
        workflow.DeliverableTransitionApi.as_view(),
        name="deliverable-transitions",
    ),
    path("deliverables/<int:pk>/versions/", drafts.DraftVersionListApi.as_view(), name="version-list"),
    path(
        "deliverables/<int:pk>/versions/<int:number>/",
        drafts.DraftVersionDetailApi.as_view(),
        name="version-detail",
    ),
    path("reviews/", reviews.ReviewListApi.as_view(), name="review-list"),
    path("consultations/", reviews.ConsultationListApi.as_view(), name="consultation-list"),
    path("reviews/<int:pk>/", reviews.ReviewDetailApi.as_view(), name="review-detail"),
    path("reviews/<int:pk>/matrix/", reviews.ReviewMatrixApi.as_view(), name="review-matrix"),
    path("reviews/<int:pk>/comments/", comments.ReviewCommentListApi.as_view(), name="review-comments"),
    path("comments/<int:pk>/", comments.CommentDetailApi.as_view(), name="comment-detail"),
    path("comments/<int:pk>/replies/", comments.CommentReplyApi.as_view(), name="comment-replies"),
    path("comments/<int:pk>/flags/", comments.CommentFlagApi.as_view(), name="comment-flags"),
    path(
        "comments/<int:pk>/disposition/", comments.CommentDispositionApi.as_view(), name="comment-disposition"
    ),
    path("approvals/<int:pk>/vote/", approvals.ApprovalVoteApi.as_view(), name="approval-vote"),
    path("library/", publication.LibraryListApi.as_view(), name="library-list"),
    path("library/<int:pk>/", publication.LibraryDetailApi.as_view(), name="library-detail"),
    path("decisions/", publication.DecisionListApi.as_view(), name="decision-list"),
]
