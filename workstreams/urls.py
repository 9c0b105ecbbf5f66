"""URLs of the workstreams app (namespace `workstreams`). Its API is in `api/`, served under `/api/v1/` by
initiative/urls.py."""

from django.urls import path

from .views import dialogue as dialogue_views
from .views import efforts as effort_views
from .views import framework as framework_views
from .views import glossary as glossary_views
from .views import interfaces as interface_views
from .views import lifecycle as lifecycle_views
from .views import prioritization as prioritization_views
from .views import sessions as session_views
from .views import tracker as tracker_views
from .views import workstreams as workstream_views

app_name = "workstreams"

urlpatterns = [
    path("tracks/<slug:slug>/", workstream_views.track_detail, name="track-detail"),
    path("workstreams/<slug:slug>/", workstream_views.workstream_detail, name="workstream-detail"),
    path(
        "workstreams/<slug:slug>/invitations/", workstream_views.invitation_manage, name="invitation-manage"
    ),
    path(
        "workstreams/<slug:slug>/invitations/<int:pk>/revoke/",
        workstream_views.invitation_revoke,
        name="invitation-revoke",
    ),
    path("invitations/<str:token>/", workstream_views.invitation_accept, name="invitation-accept"),
    path("glossary/", glossary_views.glossary, name="glossary"),
    path("related-efforts/", effort_views.related_effort_list, name="related-effort-list"),
    path("related-efforts/new/", effort_views.related_effort_create, name="related-effort-create"),
    path("related-efforts/<slug:slug>/edit/", effort_views.related_effort_edit, name="related-effort-edit"),
    path("glossary/propose/", glossary_views.term_propose, name="glossary-propose"),
    path("glossary/download.<str:fmt>", glossary_views.glossary_download, name="glossary-download"),
    path("glossary/<slug:slug>/", glossary_views.term_detail, name="glossary-term"),
    path("glossary/<slug:slug>/wordings/", glossary_views.definition_propose, name="glossary-reword"),
    path("glossary/<slug:slug>/comments/", glossary_views.term_comment, name="glossary-comment"),
    path("glossary/<slug:slug>/<str:verb>/", glossary_views.term_transition, name="glossary-transition"),
    path("workstreams/<slug:slug>/report/", lifecycle_views.workstream_report, name="workstream-report"),
    path("workstreams/<slug:slug>/steps/<int:number>/", lifecycle_views.step_edit, name="step-edit"),
    path(
        "workstreams/<slug:slug>/steps/<int:number>/<str:verb>/",
        lifecycle_views.step_transition,
        name="step-transition",
    ),
    path("workstreams/<slug:slug>/topics/", lifecycle_views.topic_manage, name="topic-manage"),
    path(
        "workstreams/<slug:slug>/topics/<int:pk>/toggle/", lifecycle_views.topic_toggle, name="topic-toggle"
    ),
    path("workstreams/<slug:slug>/rounds/new/", prioritization_views.round_open, name="round-open"),
    path("rounds/<int:pk>/", prioritization_views.round_detail, name="round-detail"),
    path("rounds/<int:pk>/close/", prioritization_views.round_close, name="round-close"),
    path("workstreams/<slug:slug>/sessions/", session_views.session_list, name="session-list"),
    path("workstreams/<slug:slug>/sessions/new/", session_views.session_create, name="session-create"),
    path("sessions/<int:pk>/", session_views.session_detail, name="session-detail"),
    path("sessions/<int:pk>/edit/", session_views.session_edit, name="session-edit"),
    path("sessions/<int:pk>/record/", session_views.session_record, name="session-record"),
    path("workstreams/<slug:slug>/action-items/", session_views.action_item_list, name="action-item-list"),
    path("action-items/<int:pk>/status/", session_views.action_item_status, name="action-item-status"),
    path("track-3/issue-areas/", dialogue_views.issue_area_list, name="issue-area-list"),
    path("track-3/issue-areas/<slug:slug>/", dialogue_views.issue_area_detail, name="issue-area-detail"),
    path(
        "track-3/issue-areas/<slug:slug>/settings/", dialogue_views.area_settings, name="issue-area-settings"
    ),
    path(
        "track-3/issue-areas/<slug:slug>/action-items/new/",
        dialogue_views.area_action_item,
        name="issue-area-action-item",
    ),
    path(
        "track-3/issue-areas/<slug:slug>/solutions/new/", dialogue_views.solution_edit, name="solution-create"
    ),
    path(
        "track-3/issue-areas/<slug:slug>/solutions/<int:pk>/",
        dialogue_views.solution_edit,
        name="solution-edit",
    ),
    path(
        "track-3/issue-areas/<slug:slug>/solutions/<int:pk>/withdraw/",
        dialogue_views.solution_retire,
        name="solution-retire",
    ),
    path(
        "track-3/issue-areas/<slug:slug>/<str:kind>/edit/", dialogue_views.section_edit, name="section-edit"
    ),
    path(
        "track-3/issue-areas/<slug:slug>/<str:kind>/history/",
        dialogue_views.section_history,
        name="section-history",
    ),
    path(
        "track-3/issue-areas/<slug:slug>/<str:kind>/comments/",
        dialogue_views.section_comment,
        name="section-comment",
    ),
    path(
        "track-3/reevaluations/<int:pk>/complete/",
        dialogue_views.reevaluation_complete,
        name="reevaluation-complete",
    ),
    path("workstreams/<slug:slug>/topics/propose/", prioritization_views.topic_propose, name="topic-propose"),
    path("workstreams/<slug:slug>/representation/", tracker_views.representation, name="representation"),
    path("enrollments/<int:pk>/role/", tracker_views.enrollment_role, name="enrollment-role"),
    path("staff/deliverables/", tracker_views.tracker_list, name="tracker"),
    path("staff/deliverables/timeline/", tracker_views.tracker_timeline, name="tracker-timeline"),
    path("staff/deliverables/<int:pk>/", tracker_views.deliverable_edit, name="deliverable-edit"),
    path("staff/dashboard/", tracker_views.staff_dashboard, name="staff-dashboard"),
    path("dashboard/", tracker_views.my_dashboard, name="my-dashboard"),
    path("digest/unsubscribe/<str:token>/", tracker_views.digest_unsubscribe, name="digest-unsubscribe"),
    # Track 1 framework (Workstream A's tools)
    path("track-1/framework/", framework_views.framework_overview, name="framework"),
    path("track-1/framework/models/", framework_views.model_list, name="framework-models"),
    path("track-1/framework/models/propose/", framework_views.model_propose, name="framework-model-propose"),
    path(
        "track-1/framework/models/rounds/open/", framework_views.model_round_open, name="framework-round-open"
    ),
    path(
        "track-1/framework/models/rounds/<int:pk>/adopt/",
        framework_views.models_adopt,
        name="framework-adopt",
    ),
    path("track-1/framework/models/<slug:slug>/", framework_views.model_detail, name="framework-model"),
    path(
        "track-1/framework/models/<slug:slug>/edit/",
        framework_views.model_revise,
        name="framework-model-edit",
    ),
    path(
        "track-1/framework/models/<slug:slug>/comment/",
        framework_views.model_comment,
        name="framework-model-comment",
    ),
    path(
        "track-1/framework/models/<slug:slug>/merge/",
        framework_views.model_merge,
        name="framework-model-merge",
    ),
    path(
        "track-1/framework/models/<slug:slug>/retire/",
        framework_views.model_retire,
        name="framework-model-retire",
    ),
    path(
        "track-1/framework/models/<slug:slug>/freeze/",
        framework_views.model_freeze,
        name="framework-model-freeze",
    ),
    path(
        "track-1/framework/models/<slug:slug>/v/<int:n>/",
        framework_views.model_version,
        name="framework-model-version",
    ),
    # Interfaces between actors: the data exchanged, and the common features for standardization
    path("track-1/framework/interfaces/", interface_views.overview, name="interfaces"),
    path("track-1/framework/interfaces/export.csv", interface_views.export, name="interfaces-export"),
    path("track-1/framework/interfaces/new/", interface_views.exchange_create, name="interfaces-create"),
    path(
        "track-1/framework/interfaces/exchanges/<int:pk>/edit/",
        interface_views.exchange_edit,
        name="interfaces-edit",
    ),
    path(
        "track-1/framework/interfaces/exchanges/<int:pk>/delete/",
        interface_views.exchange_delete,
        name="interfaces-delete",
    ),
    path("track-1/framework/interfaces/<slug:a>/<slug:b>/", interface_views.pair, name="interfaces-pair"),
    path(
        "track-1/framework/models/<slug:slug>/cells/<slug:function>/<slug:actor>/",
        framework_views.cell_edit,
        name="framework-cell-edit",
    ),
    path("track-1/framework/compare/", framework_views.compare, name="framework-compare"),
    path(
        "track-1/framework/functions/<slug:function>/link/",
        framework_views.topic_link,
        name="framework-topic-link",
    ),
    path(
        "track-1/framework/links/<int:pk>/unlink/",
        framework_views.topic_unlink,
        name="framework-topic-unlink",
    ),
    path("track-1/framework/framing-questions/", framework_views.framing, name="framework-framing"),
    path("track-1/framework/roadmap/", framework_views.roadmap, name="framework-roadmap"),
    path("track-1/self-assessments/", framework_views.assessment_list, name="assessment-list"),
    path("track-1/self-assessments/new/", framework_views.assessment_create, name="assessment-create"),
    path("track-1/self-assessments/compare/", framework_views.assessment_compare, name="assessment-compare"),
    path("track-1/self-assessments/map/", framework_views.assessment_map, name="assessment-map"),
    path("track-1/self-assessments/<int:pk>/", framework_views.assessment_detail, name="assessment-detail"),
    path("track-1/self-assessments/<int:pk>/edit/", framework_views.assessment_edit, name="assessment-edit"),
]
