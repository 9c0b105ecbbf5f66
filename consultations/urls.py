"""URLs of the consultations app (namespace `consultations`). Its API is in `api/`, served under
`/api/v1/` by initiative/urls.py."""

from django.urls import path

from .views import approvals as approval_views
from .views import comments as comment_views
from .views import drafts as draft_views
from .views import endorsements as endorsement_views
from .views import outreach as outreach_views
from .views import participation as participation_views
from .views import publication as publication_views
from .views import reviews as review_views
from .views import workflow as workflow_views

app_name = "consultations"

urlpatterns = [
    path("consultations/", draft_views.consultation_list, name="consultation-list"),
    path("drafts/<int:deliverable_id>/", draft_views.draft_latest, name="draft-latest"),
    path("drafts/<int:deliverable_id>/v<int:number>/", draft_views.draft_detail, name="draft-detail"),
    path(
        "drafts/<int:deliverable_id>/v<int:number>/comments/",
        comment_views.comment_create,
        name="comment-create",
    ),
    path(
        "drafts/<int:deliverable_id>/v<int:number>/comments/<slug:key>/",
        draft_views.paragraph_comments,
        name="paragraph-comments",
    ),
    path("drafts/<int:deliverable_id>/compare/", draft_views.version_compare, name="version-compare"),
    path("drafts/<int:deliverable_id>/new-version/", draft_views.version_create, name="version-create"),
    path("track-3/report/assemble/", draft_views.track3_report_assemble, name="track3-report-assemble"),
    path(
        "drafts/<int:deliverable_id>/v<int:number>/spanish/",
        draft_views.version_translate,
        name="version-translate",
    ),
    path("drafts/<int:deliverable_id>/orphaned/", draft_views.orphaned, name="orphaned"),
    path("drafts/<int:deliverable_id>/reviews/", review_views.review_manage, name="review-manage"),
    path("reviews/<int:pk>/extend/", review_views.review_extend_view, name="review-extend"),
    path("reviews/<int:pk>/close/", review_views.review_close_view, name="review-close"),
    path("reviews/<int:pk>/matrix/", review_views.matrix, name="matrix"),
    path("reviews/<int:pk>/outreach/", outreach_views.outreach_detail, name="outreach"),
    path("reviews/<int:pk>/exports/", review_views.export_create, name="export-create"),
    path("reviews/<int:pk>/summary/", review_views.review_summary_page, name="review-summary"),
    path("exports/<int:pk>/", review_views.export_detail, name="export-detail"),
    path("exports/<int:pk>/download/", review_views.export_download, name="export-download"),
    path("comments/<int:pk>/reply/", comment_views.comment_reply, name="comment-reply"),
    path("comments/<int:pk>/flag/", comment_views.comment_flag, name="comment-flag"),
    path("comments/<int:pk>/hide/", comment_views.comment_hide, name="comment-hide"),
    path("comments/<int:pk>/unhide/", comment_views.comment_unhide, name="comment-unhide"),
    path("comments/<int:pk>/dismiss-flags/", comment_views.flags_dismiss, name="flags-dismiss"),
    path("comments/<int:pk>/disposition/", comment_views.comment_dispose, name="comment-dispose"),
    path("moderation/", comment_views.moderation_queue, name="moderation-queue"),
    path("staff/participation/", participation_views.participation, name="participation"),
    path("attachments/<int:pk>/", comment_views.attachment_download, name="attachment-download"),
    path("deliverables/<int:pk>/workflow/", workflow_views.deliverable_workflow, name="deliverable-workflow"),
    path(
        "deliverables/<int:pk>/workflow/transition/",
        workflow_views.deliverable_transition,
        name="deliverable-transition",
    ),
    path("deliverables/<int:pk>/checkpoints/", workflow_views.checkpoint_ask, name="checkpoint-ask"),
    path("deliverables/<int:pk>/follow/", workflow_views.deliverable_follow, name="deliverable-follow"),
    path("deliverables/<int:pk>/redactions/", publication_views.redaction_manage, name="redaction-manage"),
    path("redactions/<int:pk>/delete/", publication_views.redaction_delete, name="redaction-delete"),
    path(
        "deliverables/<int:pk>/endorsements/",
        endorsement_views.endorsement_manage,
        name="endorsement-manage",
    ),
    path("endorsements/<int:pk>/", endorsement_views.endorsement_window, name="endorsement-window"),
    path(
        "endorsements/<int:pk>/close/",
        endorsement_views.endorsement_window_close,
        name="endorsement-window-close",
    ),
    path("approvals/<int:pk>/", approval_views.approval_detail, name="approval-detail"),
    path("approvals/<int:pk>/vote/", approval_views.approval_vote, name="approval-vote"),
    path("approvals/<int:pk>/close/", approval_views.approval_close, name="approval-close"),
    path("decisions/", approval_views.decision_list, name="decision-list"),
    path("decisions/<int:pk>/", approval_views.decision_detail, name="decision-detail"),
    path("library/", publication_views.library, name="library"),
    path("library/<int:pk>/", publication_views.publication_detail, name="publication-detail"),
    path("library/<int:pk>/pdf/", publication_views.publication_pdf, name="publication-pdf"),
    path("library/<int:pk>/original/", publication_views.publication_original, name="publication-original"),
    path("mailing-list/", publication_views.list_subscribe, name="list-subscribe"),
    path("mailing-list/confirm/<str:token>/", publication_views.list_confirm, name="list-confirm"),
    path(
        "mailing-list/unsubscribe/<str:token>/", publication_views.list_unsubscribe, name="list-unsubscribe"
    ),
    path("follows/unsubscribe/<str:token>/", workflow_views.follow_unsubscribe, name="follow-unsubscribe"),
    path("staff/task-failures/", workflow_views.task_failure_list, name="task-failure-list"),
    path(
        "staff/task-failures/<int:pk>/resolve/",
        workflow_views.task_failure_resolve,
        name="task-failure-resolve",
    ),
]
