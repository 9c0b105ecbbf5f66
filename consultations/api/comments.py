"""A consultation's comments as JSON: the same visibility as its pages (the policy's `view_review`, then
the comment scope), cursor-paginated so a program can follow a long consultation as it grows."""

from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework import generics, serializers

from initiative import policy
from initiative.listing import CursorPagination

from ..models import Comment, Review
from ..selectors import comments as selectors


class CommentSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author_display", help_text="The name, never the email address")
    version = serializers.IntegerField(source="version.number")
    question = serializers.SerializerMethodField()
    campaign_size = serializers.IntegerField()
    addressed_in_version = serializers.SerializerMethodField()
    hidden = serializers.BooleanField(source="is_hidden")
    attachments = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = [
            "id",
            "parent",
            "version",
            "paragraph_key",
            "author",
            "stakeholder_type",
            "question",
            "body",
            "campaign_size",
            "disposition",
            "response",
            "addressed_in_version",
            "hidden",
            "created_at",
            "attachments",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_question(self, obj) -> str | None:
        return obj.question.text if obj.question_id else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_addressed_in_version(self, obj) -> int | None:
        return obj.addressed_in.number if obj.addressed_in_id else None

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_attachments(self, obj) -> list[dict]:
        from django.urls import reverse

        return [
            {
                "name": a.original_name,
                "size": a.size,
                "url": reverse("consultations:attachment-download", args=[a.pk]),
            }
            for a in obj.attachments.all()
        ]


class ReviewCommentListApi(generics.ListAPIView):
    """Every comment and reply of one review (member review or public consultation), oldest first.
    Members-only reviews are for the workstream's members, staff and the committee."""

    serializer_class = CommentSerializer
    pagination_class = CursorPagination
    filterset_fields = ["paragraph_key", "disposition", "stakeholder_type"]
    filter_backends = [DjangoFilterBackend]  # a cursor keeps its own order: no `ordering` parameter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return Comment.objects.none()
        review = get_object_or_404(
            Review.objects.select_related("version__deliverable__workstream"), pk=self.kwargs["pk"]
        )
        if not policy.can(self.request.user, "consultations.view_review", review):
            self.permission_denied(self.request, message="This review is for the workstream's members.")
        return selectors.review_comment_list(review=review, user=self.request.user)
