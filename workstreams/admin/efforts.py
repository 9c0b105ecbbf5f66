from django.contrib import admin

from ..models import RelatedEffort


@admin.register(RelatedEffort)
class RelatedEffortAdmin(admin.ModelAdmin):
    """Read-only: staff add and edit efforts on /related-efforts/, through the audited service."""

    list_display = ["name", "kind", "led_by", "origin", "updated_at"]
    list_filter = ["kind", "origin"]
    search_fields = ["name", "led_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
