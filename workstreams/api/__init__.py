"""API of the workstreams app, served under `/api/v1/` (namespace `api`) by initiative/urls.py."""

from django.urls import path

from . import tracker

urlpatterns = [
    path("staff/deliverables/", tracker.DeliverableTrackerApi.as_view(), name="deliverable-tracker"),
]
