"""The audit log's filters: one FilterSet for the audit page and the API's audit events."""

import django_filters

from .listing import UtcDateTimeFilter
from .models import AuditEvent


class AuditEventFilter(django_filters.FilterSet):
    action = django_filters.CharFilter(
        lookup_expr="startswith", help_text="e.g. `deliverable.` or `ballot.cast`"
    )
    object_type = django_filters.CharFilter(method="filter_object_type", help_text="`app_label.model`")
    since = UtcDateTimeFilter(field_name="created_at", lookup_expr="gte")
    until = UtcDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = AuditEvent
        fields = ["action", "actor", "object_type", "object_id", "since", "until"]

    def filter_object_type(self, queryset, name, value):
        app_label, _dot, model = value.lower().partition(".")
        return queryset.filter(content_type__app_label=app_label, content_type__model=model)
