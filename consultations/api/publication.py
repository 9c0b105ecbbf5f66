"""API of the public library and the decisions: thin callers of the same selectors as the pages."""

from django.db.models import Max
from django.urls import reverse
from rest_framework import generics, serializers

from initiative.listing import ConditionalListMixin

from ..models import Approval, Publication
from ..selectors import workflow as selectors


class PublicationSerializer(serializers.ModelSerializer):
    workstream = serializers.CharField(source="deliverable.workstream.code")
    track = serializers.IntegerField(source="deliverable.workstream.track.number")
    kind = serializers.CharField(source="deliverable.kind")
    version = serializers.IntegerField(source="version.number")
    decided_at = serializers.DateTimeField(source="approval.decided_at")
    url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()
    decision_url = serializers.SerializerMethodField()

    class Meta:
        model = Publication
        fields = [
            "id",
            "title",
            "workstream",
            "track",
            "kind",
            "version",
            "published_at",
            "decided_at",
            "citation",
            "redaction_count",
            "url",
            "pdf_url",
            "decision_url",
        ]

    def get_url(self, obj) -> str:
        return reverse("consultations:publication-detail", kwargs={"pk": obj.pk})

    def get_pdf_url(self, obj) -> str:
        return reverse("consultations:publication-pdf", kwargs={"pk": obj.pk})

    def get_decision_url(self, obj) -> str:
        return reverse("consultations:decision-detail", kwargs={"pk": obj.approval_id})


class PublicationDetailSerializer(PublicationSerializer):
    html = serializers.CharField(help_text="The published (redacted) text as sanitized HTML")

    class Meta(PublicationSerializer.Meta):
        fields = PublicationSerializer.Meta.fields + ["html"]


class LibraryListApi(ConditionalListMixin, generics.ListAPIView):
    serializer_class = PublicationSerializer
    filterset_class = selectors.PublicationFilter
    ordering_fields = ["published_at", "title"]

    def last_modified(self):
        return Publication.objects.public().aggregate(latest=Max("published_at"))["latest"]

    def get_queryset(self):
        return selectors.publication_list()


class LibraryDetailApi(generics.RetrieveAPIView):
    serializer_class = PublicationDetailSerializer

    def get_queryset(self):
        return (
            Publication.objects.public()
            .select_related("deliverable__workstream__track", "version", "approval")
            .defer("pdf", "body")
        )


class DecisionSerializer(serializers.ModelSerializer):
    deliverable = serializers.CharField(source="deliverable.title")
    workstream = serializers.CharField(source="deliverable.workstream.code")
    version = serializers.IntegerField(source="version.number")

    class Meta:
        model = Approval
        fields = [
            "id",
            "deliverable",
            "workstream",
            "version",
            "decision",
            "decided_at",
            "approve_count",
            "changes_count",
            "abstain_count",
            "quorum",
            "eligible",
            "majority",
        ]


class DecisionListApi(generics.ListAPIView):
    serializer_class = DecisionSerializer
    ordering_fields = ["decided_at"]

    def get_queryset(self):
        return selectors.decision_list()
