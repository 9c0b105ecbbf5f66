"""API of the governance core, served under `/api/v1/` (namespace `api`) by initiative/urls.py."""

from django.urls import path

from . import governance

urlpatterns = [
    path("organizations/", governance.OrganizationListApi.as_view(), name="organization-list"),
]
