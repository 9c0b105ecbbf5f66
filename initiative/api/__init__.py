"""API of the governance core, served under `/api/v1/` (namespace `api`) by initiative/urls.py."""

from django.urls import path

from . import governance

urlpatterns = [
    path("initiative/", governance.InitiativeApi.as_view(), name="initiative"),
    path("organizations/", governance.OrganizationListApi.as_view(), name="organization-list"),
    path("audit-events/", governance.AuditEventListApi.as_view(), name="audit-event-list"),
]
