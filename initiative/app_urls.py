"""URLs of the governance app's pages (namespace `initiative`)."""

from django.urls import path

from . import views

app_name = "initiative"

urlpatterns = [
    path("", views.home, name="home"),
    path("governance/", views.governance, name="governance"),
    path("account/", views.account, name="account"),
    path("account/enrollments/<int:pk>/withdraw/", views.enrollment_withdraw, name="enrollment-withdraw"),
    path("staff/audit/", views.audit_log, name="audit-log"),
    path("staff/second-factors/", views.second_factor_list, name="second-factor-list"),
    path("staff/second-factors/<int:pk>/reset/", views.second_factor_reset, name="second-factor-reset"),
]
