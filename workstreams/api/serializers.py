"""Read-only serializers of the public API of tracks and workstreams."""

from rest_framework import serializers

from ..models import LifecycleStep, Track, Workstream


class LifecycleStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = LifecycleStep
        fields = ["number", "name", "status", "planned_start", "planned_end", "started_on", "completed_on"]


class WorkstreamSerializer(serializers.ModelSerializer):
    track = serializers.IntegerField(source="track.number")
    steps = LifecycleStepSerializer(many=True)
    participant_count = serializers.IntegerField()
    url = serializers.CharField(source="get_absolute_url")

    class Meta:
        model = Workstream
        fields = [
            "code",
            "slug",
            "title",
            "name",
            "track",
            "challenge",
            "objective",
            "planned_outputs",
            "start_month",
            "end_month",
            "steps",
            "participant_count",
            "url",
        ]


class TrackSerializer(serializers.ModelSerializer):
    workstreams = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")

    class Meta:
        model = Track
        fields = ["number", "slug", "title", "name", "objective", "workstreams"]


class LifecycleStepDetailSerializer(serializers.ModelSerializer):
    class Meta:
        model = LifecycleStep
        fields = [
            "number",
            "name",
            "description",
            "status",
            "planned_start",
            "planned_end",
            "started_on",
            "completed_on",
            "section",
        ]
