from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("tracks/", views.TrackListApi.as_view(), name="track-list"),
    path("workstreams/", views.WorkstreamListApi.as_view(), name="workstream-list"),
    path("workstreams/<slug:slug>/", views.WorkstreamDetailApi.as_view(), name="workstream-detail"),
    path("glossary/", views.GlossaryListApi.as_view(), name="glossary-list"),
    path("organizations/", views.OrganizationListApi.as_view(), name="organization-list"),
]
