from django.urls import path

from . import api, views, views_lifecycle, views_sessions, views_tracker

app_name = "workstreams"

urlpatterns = [
    path("tracks/<slug:slug>/", views.track_detail, name="track-detail"),
    path("workstreams/<slug:slug>/", views.workstream_detail, name="workstream-detail"),
    path("workstreams/<slug:slug>/invitations/", views.invitation_manage, name="invitation-manage"),
    path(
        "workstreams/<slug:slug>/invitations/<int:pk>/revoke/",
        views.invitation_revoke,
        name="invitation-revoke",
    ),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("glossary/", views.glossary, name="glossary"),
    # Issue 3: the workstream at work
    path("workstreams/<slug:slug>/report/", views_lifecycle.workstream_report, name="workstream-report"),
    path("workstreams/<slug:slug>/steps/<int:number>/", views_lifecycle.step_edit, name="step-edit"),
    path(
        "workstreams/<slug:slug>/steps/<int:number>/<str:verb>/",
        views_lifecycle.step_transition,
        name="step-transition",
    ),
    path("workstreams/<slug:slug>/topics/", views_lifecycle.topic_manage, name="topic-manage"),
    path(
        "workstreams/<slug:slug>/topics/<int:pk>/toggle/", views_lifecycle.topic_toggle, name="topic-toggle"
    ),
    path("workstreams/<slug:slug>/rounds/new/", views_lifecycle.round_open, name="round-open"),
    path("rounds/<int:pk>/", views_lifecycle.round_detail, name="round-detail"),
    path("rounds/<int:pk>/close/", views_lifecycle.round_close, name="round-close"),
    path("workstreams/<slug:slug>/sessions/", views_sessions.session_list, name="session-list"),
    path("workstreams/<slug:slug>/sessions/new/", views_sessions.session_create, name="session-create"),
    path("sessions/<int:pk>/", views_sessions.session_detail, name="session-detail"),
    path("sessions/<int:pk>/edit/", views_sessions.session_edit, name="session-edit"),
    path("sessions/<int:pk>/record/", views_sessions.session_record, name="session-record"),
    path("workstreams/<slug:slug>/action-items/", views_sessions.action_item_list, name="action-item-list"),
    path("action-items/<int:pk>/status/", views_sessions.action_item_status, name="action-item-status"),
    path("track-3/issue-areas/", views_sessions.issue_area_list, name="issue-area-list"),
    path("track-3/issue-areas/<slug:slug>/", views_sessions.issue_area_detail, name="issue-area-detail"),
    path("workstreams/<slug:slug>/representation/", views_tracker.representation, name="representation"),
    path("staff/deliverables/", views_tracker.tracker_list, name="tracker"),
    path("staff/deliverables/timeline/", views_tracker.tracker_timeline, name="tracker-timeline"),
    path("staff/deliverables/<int:pk>/", views_tracker.deliverable_edit, name="deliverable-edit"),
    path("staff/dashboard/", views_tracker.staff_dashboard, name="staff-dashboard"),
    path("dashboard/", views_tracker.my_dashboard, name="my-dashboard"),
    path("digest/unsubscribe/<str:token>/", views_tracker.digest_unsubscribe, name="digest-unsubscribe"),
    path("api/staff/deliverables/", api.DeliverableTrackerApi.as_view(), name="api-deliverable-tracker"),
]

# Track 1 framework (Workstream A's tools)
from . import views_framework  # noqa: E402

urlpatterns += [
    path("track-1/framework/", views_framework.framework_overview, name="framework"),
    path("track-1/framework/models/", views_framework.model_list, name="framework-models"),
    path("track-1/framework/models/<slug:slug>/", views_framework.model_detail, name="framework-model"),
    path(
        "track-1/framework/models/<slug:slug>/cells/<slug:function>/<slug:actor>/",
        views_framework.cell_edit,
        name="framework-cell-edit",
    ),
    path("track-1/framework/compare/", views_framework.compare, name="framework-compare"),
    path(
        "track-1/framework/functions/<slug:function>/link/",
        views_framework.topic_link,
        name="framework-topic-link",
    ),
    path(
        "track-1/framework/links/<int:pk>/unlink/",
        views_framework.topic_unlink,
        name="framework-topic-unlink",
    ),
    path("track-1/framework/framing-questions/", views_framework.framing, name="framework-framing"),
    path("track-1/framework/roadmap/", views_framework.roadmap, name="framework-roadmap"),
]
