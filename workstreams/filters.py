"""The deliverable tracker's filters: one FilterSet for the page, its CSV export and any API list."""

import datetime

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiative.models import User

from .models import Deliverable, ReviewStage, Workstream

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
