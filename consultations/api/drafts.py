"""A deliverable's draft versions through the API: which versions you may read, and one version's
sections and paragraphs with their comment counts. The same reads as the draft page
(`draft_access`, `draft_page`), the same rule (`consultations.view_draft`) and the same masking of
redacted words for whoever may not read the original."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from initiative import policy

from ..selectors import comments as comment_selectors
from ..selectors import drafts as draft_selectors
from ..selectors import workflow as workflow_selectors


class VersionEntrySerializer(serializers.Serializer):
    number = serializers.IntegerField()
    readable = serializers.BooleanField(help_text="Whether you may read this version")
    note = serializers.CharField(help_text="When not readable: who may read it, and when it opens")


class ParagraphSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Stable across versions while the paragraph survives")
    order = serializers.IntegerField()
    text = serializers.CharField(help_text="Markdown; redacted words masked for those who may not read them")
    comment_count = serializers.IntegerField(help_text="Comments you may see on this paragraph")


class SectionSerializer(serializers.Serializer):
    key = serializers.CharField()
    order = serializers.IntegerField()
    level = serializers.IntegerField()
    title = serializers.CharField()
    paragraphs = ParagraphSerializer(many=True, source="paragraph_list")


class VersionSerializer(serializers.Serializer):
    deliverable = serializers.IntegerField(source="version.deliverable_id")
    number = serializers.IntegerField(source="version.number")
    title = serializers.CharField(source="version.title")
    change_note = serializers.CharField(source="version.change_note")
    created_at = serializers.DateTimeField(source="version.created_at")
    preamble = ParagraphSerializer(many=True, help_text="Paragraphs before the first heading")
    sections = SectionSerializer(many=True)
    whole_draft_comment_count = serializers.IntegerField(source="whole_draft_count")


class DraftVersionListApi(APIView):
    """The versions of a deliverable's draft, newest first, each saying whether you may read it (and,
    when not, who may and when it opens to everyone)."""

    @extend_schema(responses=VersionEntrySerializer(many=True))
    def get(self, request, pk: int):
        deliverable = workflow_selectors.deliverable_get(pk=pk)
        access = draft_selectors.draft_access(user=request.user, deliverable=deliverable)
        return Response(VersionEntrySerializer(access.versions, many=True).data)


class DraftVersionDetailApi(APIView):
    """One version: its sections and paragraphs in order, each paragraph with its comment count. A
    version in member review is for the workstream's participants, the implementation team and the
    steering committee until a public consultation on it opens."""

    @extend_schema(responses=VersionSerializer)
    def get(self, request, pk: int, number: int):
        version = comment_selectors.version_get(deliverable_id=pk, number=number)
        if not policy.can(request.user, "consultations.view_draft", version):
            self.permission_denied(request, message=draft_selectors.closed_note(version))
        withheld = draft_selectors.withheld_for(user=request.user, deliverable_id=pk)
        page = comment_selectors.draft_page(version=version, user=request.user, withheld=withheld)
        draft_selectors.mask_version(version, withheld)
        return Response(VersionSerializer(page).data)
