"""The site's URL map: the governance pages (namespace `initiative`), each app's pages, the API, accounts,
admin and /healthz.

One API under `/api/v1/` (namespace `api`), composed here from each app's `api/` package; the paths
it had before, directly under `/api/`, answer with a permanent redirect there for one release."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from consultations import api as consultations_api
from discovery import api as discovery_api
from webinars import api as webinars_api
from workstreams import api as workstreams_api

from . import api as initiative_api
from . import views

# The admin signs people in through allauth's log-in, which asks for the second factor; its own password-only
# form would skip it.
admin.site.login = secure_admin_login(admin.site.login)

api_v1 = [
    *initiative_api.urlpatterns,
    *workstreams_api.urlpatterns,
    *consultations_api.urlpatterns,
    *webinars_api.urlpatterns,
    *discovery_api.urlpatterns,
]

initiative_patterns = [
    path("", views.home, name="home"),
    path("governance/", views.governance, name="governance"),
    path("governance/bodies/<slug:kind>/", views.body_manage, name="body-manage"),
    path("governance/seats/<int:pk>/", views.membership_update, name="membership-update"),
    path("governance/documents/<slug:kind>/", views.document_detail, name="document-detail"),
    path("account/", views.account, name="account"),
    path("account/api-tokens/", views.api_token_create, name="api-token-create"),
    path("account/api-tokens/<str:key>/revoke/", views.api_token_revoke, name="api-token-revoke"),
    path("account/enrollments/<int:pk>/withdraw/", views.enrollment_withdraw, name="enrollment-withdraw"),
    path("notifications/", views.notification_list, name="notification-list"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification-read"),
    path("notifications/read-all/", views.notification_read_all, name="notification-read-all"),
    path("notifications/follow/", views.follow_toggle, name="follow-toggle"),
    path(
        "notifications/unsubscribe/<str:token>/",
        views.notification_unsubscribe,
        name="notification-unsubscribe",
    ),
    path("account/notifications/", views.notification_preferences, name="notification-preferences"),
    path("staff/audit/", views.audit_log, name="audit-log"),
    path("staff/second-factors/", views.second_factor_list, name="second-factor-list"),
    path("staff/second-factors/<int:pk>/reset/", views.second_factor_reset, name="second-factor-reset"),
]

urlpatterns = [
    # Consultations first: drafts and their comments are the pages the public reads and posts to most,
    # and the resolver tries the apps' patterns in order (their paths do not overlap).
    path("", include("consultations.urls")),
    path("", include((initiative_patterns, "initiative"))),
    path("", include("workstreams.urls")),
    path("", include("webinars.urls")),
    path("", include("discovery.urls")),
    path("accounts/", include("allauth.urls")),  # with allauth.mfa installed: /accounts/2fa/
    path("api/v1/", include((api_v1, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI from drf-spectacular-sidecar's static files (no CDN); its script is `?script`, not inline,
    # so the CSP's `script-src 'self'` lets it run.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    re_path(r"^api/(?!v1/|schema/|docs/)(?P<rest>.+)$", views.api_moved, name="api-moved"),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", views.language_set, name="set_language"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
]

handler400 = "initiative.views.bad_request"
handler403 = "initiative.views.permission_denied"
handler404 = "initiative.views.page_not_found"
handler429 = "initiative.views.too_many_requests"  # allauth's rate limits look this up
handler500 = "initiative.views.server_error"
