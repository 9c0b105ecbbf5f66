"""Filters: the deliverable tracker's (one FilterSet for the page, its CSV export and the staff API) and the
API lists' across workstreams (deliverables, rounds, sessions, action items, matrix cells)."""

import datetime

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiative.listing import UtcDateTimeFilter
from initiative.models import User

from .models import (
    ActionItem,
    Deliverable,
    MatrixCell,
    PrioritizationRound,
    ReviewStage,
    WorkingSession,
    Workstream,
)

DONE_STAGES = (ReviewStage.APPROVED, ReviewStage.PUBLISHED)
SOON_DAYS = 30


class DeliverableFilter(django_filters.FilterSet):
    workstream = django_filters.ModelChoiceFilter(
        label=_("Workstream"),
        queryset=Workstream.objects.order_by("track__number", "code"),
        to_field_name="code",
        empty_label=_("All workstreams"),
    )
    stage = django_filters.ChoiceFilter(
        label=_("Review stage"), choices=ReviewStage.choices, empty_label=_("All stages")
    )
    owner = django_filters.ModelChoiceFilter(
        label=_("Owner"),
        queryset=User.objects.filter(deliverables__isnull=False).distinct().order_by("full_name"),
        empty_label=_("Anyone"),
        null_label=_("No owner"),
        null_value="none",
    )
    lateness = django_filters.ChoiceFilter(
        label=_("Lateness"),
        method="filter_lateness",
        empty_label=_("Any"),
        choices=[
            ("late", _("Late")),
            ("soon", _("Due in the next 30 days")),
            ("on_track", _("Not late")),
            ("done", _("Approved or published")),
        ],
    )

    class Meta:
        model = Deliverable
        fields = ["workstream", "stage", "owner", "lateness"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            field.widget.attrs.setdefault("class", "usa-select")

    def filter_lateness(self, queryset, name, value):
        today = timezone.localdate()
        open_ = ~Q(stage__in=DONE_STAGES)
        if value == "late":
            return queryset.filter(open_, due_date__lt=today)
        if value == "soon":
            return queryset.filter(
                open_, due_date__gte=today, due_date__lte=today + datetime.timedelta(days=SOON_DAYS)
            )
        if value == "on_track":
            return queryset.filter(
                Q(stage__in=DONE_STAGES) | Q(due_date__gte=today) | Q(due_date__isnull=True)
            )
        if value == "done":
            return queryset.filter(stage__in=DONE_STAGES)
        return queryset


# The API's lists (the pages list these per workstream; programs filter across workstreams) --------------


class _ByWorkstream(django_filters.FilterSet):
    workstream = django_filters.CharFilter(
        field_name="workstream__code", label=_("Workstream (code)"), lookup_expr="iexact"
    )


class PublicDeliverableFilter(_ByWorkstream):
    """What the workstream pages show of a deliverable; owner and lateness are the staff tracker's."""

    due_after = django_filters.DateFilter(
        field_name="due_date", lookup_expr="gte", label=_("Due on or after")
    )
    due_before = django_filters.DateFilter(
        field_name="due_date", lookup_expr="lte", label=_("Due on or before")
    )

    class Meta:
        model = Deliverable
        fields = ["workstream", "stage", "kind", "is_key", "due_after", "due_before"]


class RoundFilter(_ByWorkstream):
    class Meta:
        model = PrioritizationRound
        fields = ["workstream", "status"]


class SessionFilter(_ByWorkstream):
    issue_area = django_filters.CharFilter(
        field_name="issue_areas__slug", label=_("Track 3 issue area (slug)")
    )
    starts_after = UtcDateTimeFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = UtcDateTimeFilter(field_name="starts_at", lookup_expr="lt")

    class Meta:
        model = WorkingSession
        fields = ["workstream", "kind", "status", "issue_area", "starts_after", "starts_before"]


class ActionItemFilter(_ByWorkstream):
    issue_area = django_filters.CharFilter(
        field_name="issue_area__slug", label=_("Track 3 issue area (slug)")
    )
    due_after = django_filters.DateFilter(field_name="due_date", lookup_expr="gte")
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte")

    class Meta:
        model = ActionItem
        fields = ["workstream", "status", "session", "issue_area", "due_after", "due_before"]


class MatrixCellFilter(django_filters.FilterSet):
    model = django_filters.CharFilter(field_name="model__slug", label=_("Operating model (slug)"))
    function = django_filters.CharFilter(field_name="function__slug", label=_("Function (slug)"))
    actor = django_filters.CharFilter(field_name="actor__slug", label=_("Actor (slug)"))

    class Meta:
        model = MatrixCell
        fields = ["model", "function", "actor", "role"]
