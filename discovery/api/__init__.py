"""API of discovery, served under `/api/v1/` (namespace `api`) by initiative/urls.py."""

from django.urls import path

from . import search

urlpatterns = [
    path("search/", search.SearchApi.as_view(), name="search"),
]
