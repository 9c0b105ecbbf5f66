"""Admin for the governance domain. The audit log is read-only here as everywhere."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import AuditEvent, Body, BodyMembership, Delivery, Gap, Goal, Initiative, Organization, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "organization", "is_staff", "is_active"]
    search_fields = ["email", "full_name"]
    list_filter = ["is_staff", "is_active"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["full_name", "title", "organization", "stakeholder_type"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "jurisdiction_kind", "jurisdiction", "representative"]
    list_filter = ["type", "jurisdiction_kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["representative"]


class GoalInline(admin.TabularInline):
    model = Goal
    extra = 0


class GapInline(admin.TabularInline):
    model = Gap
    extra = 0


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    inlines = [GoalInline, GapInline]


class MembershipInline(admin.TabularInline):
    model = BodyMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    inlines = [MembershipInline]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "object_repr"]
    list_filter = ["action"]
    search_fields = ["object_repr", "action"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The outbox, read-only: what went out, what waits, what could not be built."""

    list_display = ["created_at", "event", "email", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["event", "email"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
