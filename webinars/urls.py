from django.urls import path

from . import views

app_name = "webinars"

urlpatterns = [
    path("webinars/", views.webinar_list, name="webinar-list"),
    path("webinars/new/", views.webinar_create, name="webinar-create"),
    path("webinars/registration/<str:token>/", views.registration_manage, name="registration-manage"),
    path("webinars/registration/<str:token>/cancel/", views.registration_cancel, name="registration-cancel"),
    path("webinars/<slug:slug>/", views.webinar_detail, name="webinar-detail"),
    path("webinars/<slug:slug>/register/", views.webinar_register, name="webinar-register"),
    path("webinars/<slug:slug>/edit/", views.webinar_edit, name="webinar-edit"),
    path("webinars/<slug:slug>/cancel/", views.webinar_cancel, name="webinar-cancel"),
    path("webinars/<slug:slug>/registrants/", views.registrant_list, name="registrant-list"),
    path(
        "webinars/<slug:slug>/registrants.csv", views.registrant_export, {"fmt": "csv"}, name="registrant-csv"
    ),
    path(
        "webinars/<slug:slug>/registrants.xlsx",
        views.registrant_export,
        {"fmt": "xlsx"},
        name="registrant-xlsx",
    ),
]
