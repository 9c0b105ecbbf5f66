from django.contrib import admin
from django.db import transaction
from modeltranslation.admin import TranslationAdmin

from ..models import (
    Deliverable,
    Enrollment,
    GlossaryTerm,
    IllustrativeQuestion,
    Invitation,
    LifecycleStep,
    Topic,
    Track,
    Workstream,
    WorkstreamStakeholder,
)


@admin.register(Track)
class TrackAdmin(TranslationAdmin):  # the report's text, in English and (optionally) Spanish
    list_display = ["number", "title"]


class StepInline(admin.TabularInline):
    model = LifecycleStep
    extra = 0
    fields = ["number", "name", "status", "planned_start", "planned_end", "started_on", "completed_on"]
    readonly_fields = ["status", "started_on", "completed_on"]


class StakeholderInline(admin.TabularInline):
    model = WorkstreamStakeholder
    extra = 0


class QuestionInline(admin.TabularInline):
    model = IllustrativeQuestion
    extra = 0


@admin.register(Workstream)
class WorkstreamAdmin(TranslationAdmin):
    list_display = ["code", "name", "track", "lead"]
    inlines = [StepInline, StakeholderInline, QuestionInline]


@admin.register(Deliverable)
class DeliverableAdmin(admin.ModelAdmin):
    list_display = ["title", "workstream", "stage", "due_date", "owner", "is_key"]
    list_filter = ["workstream", "stage", "is_key"]
    readonly_fields = ["stage"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["title", "workstream", "source", "is_active"]
    list_filter = ["workstream", "source"]


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(admin.ModelAdmin):
    """Status and definition move through the glossary services (audited, with a wording history); the
    admin corrects the rest (a typo in a name, the abbreviation) and then refreshes the linked terms."""

    list_display = ["term", "kind", "status"]
    list_filter = ["status", "kind"]
    search_fields = ["term", "definition"]
    readonly_fields = ["status", "definition", "agreed_definition", "agreed_at", "proposed_by", "created_at"]

    def save_model(self, request, obj, form, change):
        from ..selectors.glossary import glossary_changed

        super().save_model(request, obj, form, change)
        transaction.on_commit(glossary_changed)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "workstream", "status", "created_at", "expires_at"]
    list_filter = ["status", "workstream"]
    readonly_fields = [f.name for f in Invitation._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["user", "workstream", "organization", "status", "committed_at"]
    list_filter = ["status", "workstream"]
    readonly_fields = ["status", "committed_at", "withdrawn_at", "commitment", "invitation"]
