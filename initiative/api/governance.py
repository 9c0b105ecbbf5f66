"""Read API of the governance core: the initiative itself (goals, gaps), the participating organizations,
and the audit log (implementation staff and the steering committee, as the audit page)."""

import django_filters
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from initiative import policy
from initiative.api.errors import ProblemSerializer
from initiative.listing import ConditionalListMixin, CursorPagination

from .. import selectors
from ..filters import AuditEventFilter
from ..models import AuditEvent, Gap, Goal, Initiative, Organization


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["name", "slug", "type", "jurisdiction_kind", "jurisdiction"]


class OrganizationListApi(generics.ListAPIView):
    serializer_class = OrganizationSerializer
    filterset_fields = ["type", "jurisdiction_kind", "jurisdiction"]
    ordering_fields = ["name", "type"]

    def get_queryset(self):
        return Organization.objects.all()


class GoalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Goal
        fields = ["number", "title", "description"]


class GapSerializer(serializers.ModelSerializer):
    class Meta:
        model = Gap
        fields = ["number", "title", "description"]


class InitiativeSerializer(serializers.ModelSerializer):
    goals = GoalSerializer(many=True)
    gaps = GapSerializer(many=True)

    class Meta:
        model = Initiative
        fields = [
            "name",
            "short_name",
            "tagline",
            "summary",
            "governance",
            "engagement",
            "duration",
            "start_date",
            "source_title",
            "source_publisher",
            "source_year",
            "citation",
            "goals",
            "gaps",
        ]


class InitiativeApi(ConditionalListMixin, generics.RetrieveAPIView):
    """The initiative: what it is, its goals and the gaps it exists to close (404 until loaded)."""

    serializer_class = InitiativeSerializer

    @extend_schema(responses={200: InitiativeSerializer, 404: ProblemSerializer})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_object(self):
        initiative = selectors.initiative_get()
        if initiative is None:
            raise Http404
        return initiative


class AuditEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.display_name", allow_null=True, default=None)
    object_type = serializers.SerializerMethodField()

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "created_at",
            "action",
            "actor",
            "object_type",
            "object_id",
            "object_repr",
            "before",
            "after",
            "reason",
        ]

    def get_object_type(self, obj) -> str | None:
        ct = obj.content_type
        return f"{ct.app_label}.{ct.model}" if ct is not None else None


class AuditPagination(CursorPagination):
    """Newest first, stable while events are appended."""

    ordering = ("-created_at", "-pk")


class AuditEventListApi(generics.ListAPIView):
    """Every audited change, newest first (cursor pagination): who did what to which object."""

    serializer_class = AuditEventSerializer
    permission_classes = [policy.SignedInPermission]
    policy_action = "initiative.view_audit_log"
    pagination_class = AuditPagination
    filterset_class = AuditEventFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend]

    def get_queryset(self):
        return selectors.audit_events()
