"""The site's URL map: each app's pages, the API, accounts, admin and /healthz.

One API under `/api/v1/` (namespace `api`), composed here from each app's `api/` package; the paths
it had before, directly under `/api/`, answer with a permanent redirect there for one release."""

from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView

from consultations import api as consultations_api
from workstreams import api as workstreams_api

from . import views
from .api import urls as initiative_api

api_v1 = [*initiative_api.urlpatterns, *workstreams_api.urlpatterns, *consultations_api.urlpatterns]

urlpatterns = [
    path("", include("initiative.app_urls")),
    path("", include("workstreams.urls")),
    path("", include("webinars.urls")),
    path("", include("consultations.urls")),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", include((api_v1, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    re_path(r"^api/(?!v1/|schema/)(?P<rest>.+)$", views.api_moved, name="api-moved"),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
]
