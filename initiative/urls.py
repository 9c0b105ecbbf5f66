"""The site's URL map: each app's pages, the API, accounts, admin and /healthz."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from . import views

urlpatterns = [
    path("", include("initiative.app_urls")),
    path("", include("workstreams.urls")),
    path("", include("webinars.urls")),
    path("", include("consultations.urls")),
    path("", include("discovery.urls")),
    path("accounts/", include("allauth.urls")),
    path("api/", include("initiative.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
]
