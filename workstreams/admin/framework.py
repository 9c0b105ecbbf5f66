"""Admin for the Track 1 framework tables (loaded from track1.yaml; the matrix is edited on the site)."""

from django.contrib import admin

from ..models import (
    Actor,
    DataExchange,
    FramingGroup,
    FramingOption,
    FramingQuestion,
    FunctionCategory,
    FunctionTopicLink,
    GridFunction,
    MatrixCell,
    ModelDimension,
    ModelVersion,
    OperatingModel,
    RoadmapFunction,
    RoadmapStep,
)

for model in (FunctionCategory, Actor, ModelDimension, FramingGroup, RoadmapStep):
    admin.site.register(model)


@admin.register(GridFunction)
class GridFunctionAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "order"]


@admin.register(OperatingModel)
class OperatingModelAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "end_point", "status"]
    list_filter = ["status"]


@admin.register(MatrixCell)
class MatrixCellAdmin(admin.ModelAdmin):
    """Read-only: edits go through the matrix page so they are audited."""

    list_display = ["model", "function", "actor", "role", "origin", "source"]
    list_filter = ["model", "origin", "role"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(FramingQuestion)
class FramingQuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "group", "order"]


@admin.register(FramingOption)
class FramingOptionAdmin(admin.ModelAdmin):
    list_display = ["label", "question"]
    filter_horizontal = ["favors"]


@admin.register(RoadmapFunction)
class RoadmapFunctionAdmin(admin.ModelAdmin):
    list_display = ["dso_function", "order"]


admin.site.register(FunctionTopicLink)


@admin.register(ModelVersion)
class ModelVersionAdmin(admin.ModelAdmin):
    """Read-only: a frozen version is cited from deliverables and never changes."""

    list_display = ["model", "number", "frozen_at", "frozen_by"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(DataExchange)
class DataExchangeAdmin(admin.ModelAdmin):
    list_display = ["data_item", "sender", "receiver", "timing"]
    list_filter = ["sender", "receiver", "timing"]
