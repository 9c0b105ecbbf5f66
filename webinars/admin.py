from django.contrib import admin

from .models import Notice, Registration, Webinar


@admin.register(Webinar)
class WebinarAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_at", "capacity", "status"]
    list_filter = ["status"]
    search_fields = ["title"]
    # Seats and notifications change only through webinars.services (locks, audit, emails).
    readonly_fields = ["status", "ics_uid", "ics_sequence", "ends_at"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["name", "webinar", "status", "created_at"]
    list_filter = ["status", "webinar"]
    search_fields = ["name", "email", "organization"]
    list_select_related = ["webinar"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["registration", "kind", "ref", "sent_at"]
    list_filter = ["kind"]
    list_select_related = ["registration"]
