from django.urls import path

from . import views

app_name = "workstreams"

urlpatterns = [
    path("tracks/<slug:slug>/", views.track_detail, name="track-detail"),
    path("workstreams/<slug:slug>/", views.workstream_detail, name="workstream-detail"),
    path("workstreams/<slug:slug>/invitations/", views.invitation_manage, name="invitation-manage"),
    path("workstreams/<slug:slug>/invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation-revoke"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("glossary/", views.glossary, name="glossary"),
]
