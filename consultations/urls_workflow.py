"""URLs of the review workflow, approval, publication, library and decisions (issue 5); included by
consultations/urls.py into the `consultations` namespace."""

from django.urls import path

from . import api_workflow as api
from . import views_workflow as views

urlpatterns = [
    path("deliverables/<int:pk>/workflow/", views.deliverable_workflow, name="deliverable-workflow"),
    path(
        "deliverables/<int:pk>/workflow/transition/",
        views.deliverable_transition,
        name="deliverable-transition",
    ),
    path("deliverables/<int:pk>/follow/", views.deliverable_follow, name="deliverable-follow"),
    path("deliverables/<int:pk>/redactions/", views.redaction_manage, name="redaction-manage"),
    path("redactions/<int:pk>/delete/", views.redaction_delete, name="redaction-delete"),
    path("approvals/<int:pk>/", views.approval_detail, name="approval-detail"),
    path("approvals/<int:pk>/vote/", views.approval_vote, name="approval-vote"),
    path("approvals/<int:pk>/close/", views.approval_close, name="approval-close"),
    path("decisions/", views.decision_list, name="decision-list"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision-detail"),
    path("library/", views.library, name="library"),
    path("library/<int:pk>/", views.publication_detail, name="publication-detail"),
    path("library/<int:pk>/pdf/", views.publication_pdf, name="publication-pdf"),
    path("library/<int:pk>/original/", views.publication_original, name="publication-original"),
    path("mailing-list/", views.list_subscribe, name="list-subscribe"),
    path("mailing-list/confirm/<str:token>/", views.list_confirm, name="list-confirm"),
    path("mailing-list/unsubscribe/<str:token>/", views.list_unsubscribe, name="list-unsubscribe"),
    path("follows/unsubscribe/<str:token>/", views.follow_unsubscribe, name="follow-unsubscribe"),
    path("staff/task-failures/", views.task_failure_list, name="task-failure-list"),
    path("staff/task-failures/<int:pk>/resolve/", views.task_failure_resolve, name="task-failure-resolve"),
    path(
        "api/deliverables/<int:pk>/transitions/",
        api.DeliverableTransitionApi.as_view(),
        name="api-deliverable-transitions",
    ),
    path("api/library/", api.LibraryListApi.as_view(), name="api-library-list"),
    path("api/library/<int:pk>/", api.LibraryDetailApi.as_view(), name="api-library-detail"),
    path("api/decisions/", api.DecisionListApi.as_view(), name="api-decision-list"),
]
