"""The site's URL map: each app's pages, the API, accounts, admin and /healthz."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from . import views

# The admin signs people in through allauth's log-in, which asks for the second factor; its own password-only
# form would skip it.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", include("initiative.app_urls")),
    path("", include("workstreams.urls")),
    path("", include("webinars.urls")),
    path("", include("consultations.urls")),
    path("accounts/", include("allauth.urls")),  # with allauth.mfa installed: /accounts/2fa/
    path("api/", include("initiative.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
]
