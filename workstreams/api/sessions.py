"""API of working sessions, action items and Track 3's issue areas, with the pages' visibility: anyone
sees when sessions are and what they are about; the meeting link, minutes and attendance are for the
active members of the session's workstream (and staff, the committee), and so are action items."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import generics, serializers

from initiative import policy

from .. import selectors
from ..filters import ActionItemFilter, SessionFilter
from ..models import ActionItem, IssueArea, WorkingSession


class SessionSerializer(serializers.ModelSerializer):
    """A session; `meeting_url`, `minutes` and `attendees` are null unless you may see the members' area
    of its workstream."""

    workstream = serializers.CharField(source="workstream.code")
    topic = serializers.CharField(source="topic.title", allow_null=True, default=None)
    issue_areas = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    url = serializers.CharField(source="get_absolute_url")
    meeting_url = serializers.SerializerMethodField()
    minutes = serializers.SerializerMethodField()
    attendees = serializers.SerializerMethodField()

    class Meta:
        model = WorkingSession
        fields = [
            "id",
            "workstream",
            "kind",
            "title",
            "agenda",
            "starts_at",
            "time_zone",
            "duration_minutes",
            "status",
            "topic",
            "issue_areas",
            "url",
            "meeting_url",
            "minutes",
            "minutes_recorded_at",
            "attendees",
        ]

    def _members(self, obj) -> bool:
        scope = self.context["members_scope"]
        return scope is None or obj.workstream_id in scope

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_meeting_url(self, obj):
        return obj.meeting_url if self._members(obj) else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_minutes(self, obj):
        return obj.minutes if self._members(obj) else None

    @extend_schema_field(serializers.ListField(child=serializers.CharField(), allow_null=True))
    def get_attendees(self, obj):
        if not self._members(obj):
            return None
        return [str(u.display_name) for u in obj.attendees.all()]


class _MembersScope:
    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "members_scope": selectors.members_area_scope(self.request.user),
        }


class SessionListApi(_MembersScope, generics.ListAPIView):
    serializer_class = SessionSerializer
    queryset = selectors.session_list_all()
    filterset_class = SessionFilter
    ordering_fields = ["starts_at", "title", "status"]


class SessionDetailApi(_MembersScope, generics.RetrieveAPIView):
    serializer_class = SessionSerializer
    queryset = selectors.session_list_all()


class ActionItemSerializer(serializers.ModelSerializer):
    workstream = serializers.CharField(source="workstream.code")
    owner = serializers.CharField(source="owner.display_name")
    owner_organization = serializers.CharField(
        source="owner_organization.name", allow_null=True, default=None
    )
    issue_area = serializers.CharField(source="issue_area.slug", allow_null=True, default=None)

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "workstream",
            "description",
            "owner",
            "owner_organization",
            "due_date",
            "status",
            "session",
            "issue_area",
            "created_at",
            "completed_at",
        ]


class ActionItemListApi(generics.ListAPIView):
    """The action items of your workstreams (every workstream's for staff and the committee)."""

    serializer_class = ActionItemSerializer
    permission_classes = [policy.SignedInPermission]
    filterset_class = ActionItemFilter
    ordering_fields = ["due_date", "status", "created_at"]

    def get_queryset(self):
        return selectors.action_item_list_for(user=self.request.user)


class IssueAreaSerializer(serializers.ModelSerializer):
    track2_workstream = serializers.CharField(source="track2_workstream.code", allow_null=True, default=None)
    issues = serializers.ListField(child=serializers.DictField(child=serializers.CharField()))
    open_actions = serializers.IntegerField()
    session_count = serializers.IntegerField()

    class Meta:
        model = IssueArea
        fields = [
            "slug",
            "name",
            "description",
            "issues",
            "track2_workstream",
            "open_actions",
            "session_count",
        ]


class IssueAreaListApi(generics.ListAPIView):
    serializer_class = IssueAreaSerializer
    queryset = selectors.issue_area_list()
    ordering_fields = ["order", "name"]


class IssueAreaDetailApi(generics.RetrieveAPIView):
    serializer_class = IssueAreaSerializer
    queryset = selectors.issue_area_list()
    lookup_field = "slug"
