"""Deliverables: the public list and detail (what the workstream pages show: kind, due date, review stage),
and the staff API of the deliverable tracker (the same selector and FilterSet as the tracker page). A
deliverable's transitions (history, and moving it) are the review workflow's, in
`consultations/api/workflow.py`: this layer may not import it."""

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import generics, serializers

from initiative.policy import PolicyPermission

from .. import selectors
from ..filters import DONE_STAGES, DeliverableFilter, PublicDeliverableFilter
from ..models import Deliverable


class TrackedDeliverableSerializer(serializers.ModelSerializer):
    workstream = serializers.CharField(source="workstream.code")
    owner = serializers.SerializerMethodField()
    days_late = serializers.SerializerMethodField()

    class Meta:
        model = Deliverable
        fields = [
            "id",
            "workstream",
            "slug",
            "title",
            "kind",
            "is_key",
            "owner",
            "due_date",
            "stage",
            "days_late",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_owner(self, obj) -> str | None:
        return str(obj.owner.display_name) if obj.owner_id else None

    def get_days_late(self, obj) -> int:
        today = timezone.localdate()
        if obj.due_date is None or obj.stage in DONE_STAGES or obj.due_date >= today:
            return 0
        return (today - obj.due_date).days


class DeliverableTrackerApi(generics.ListAPIView):
    """Every deliverable with owner, due date, review stage and days late (implementation team only).
    Filters: workstream (code), stage, owner (id or "none"), lateness (late, soon, on_track, done)."""

    serializer_class = TrackedDeliverableSerializer
    permission_classes = [PolicyPermission]
    policy_action = "workstreams.view_tracker"
    filterset_class = DeliverableFilter
    ordering_fields = ["due_date", "stage", "title", "workstream__code"]

    def get_queryset(self):
        return selectors.deliverable_tracker()


class DeliverableSerializer(serializers.ModelSerializer):
    workstream = serializers.CharField(source="workstream.code")
    transitions = serializers.SerializerMethodField(
        help_text="Its workflow: stage, the moves you may make, the history (staff and the committee)."
    )

    class Meta:
        model = Deliverable
        fields = [
            "id",
            "workstream",
            "slug",
            "title",
            "kind",
            "description",
            "is_key",
            "due_month",
            "due_date",
            "stage",
            "transitions",
        ]

    def get_transitions(self, obj) -> str:
        return reverse("api:deliverable-transitions", args=[obj.pk])


class DeliverableListApi(generics.ListAPIView):
    """Every deliverable of every workstream, soonest due first. Filters: workstream (code), stage, kind,
    is_key, due_after, due_before."""

    serializer_class = DeliverableSerializer
    queryset = selectors.deliverable_list()
    filterset_class = PublicDeliverableFilter
    ordering_fields = ["due_date", "stage", "title", "workstream__code"]


class DeliverableDetailApi(generics.RetrieveAPIView):
    serializer_class = DeliverableSerializer
    queryset = selectors.deliverable_list()
