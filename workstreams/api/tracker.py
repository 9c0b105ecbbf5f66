"""Staff API of the deliverable tracker: the same selector and FilterSet as the tracker page."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import generics, serializers

from initiative.policy import PolicyPermission

from .. import selectors
from ..filters import DONE_STAGES, DeliverableFilter
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
