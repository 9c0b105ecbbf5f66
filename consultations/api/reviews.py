"""Reviews and public consultations through the API: their windows and questions, and the comment–
response matrix. Lists are filtered by the same rule the pages ask (`consultations.view_review`, said as
a query by `review_list_visible`); the matrix is the data behind the staff's export (`export_matrix`)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers

from initiative import policy

from ..models import Comment, Review
from ..selectors import comments as comment_selectors
from ..selectors import drafts as draft_selectors
from ..selectors import reviews as selectors


class QuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    text = serializers.CharField()


class ReviewSerializer(serializers.ModelSerializer):
    status = serializers.SerializerMethodField(help_text="upcoming, open or closed, now")
    deliverable = serializers.IntegerField(source="version.deliverable_id")
    deliverable_title = serializers.CharField(source="version.deliverable.title")
    workstream = serializers.CharField(source="version.deliverable.workstream.code")
    version = serializers.IntegerField(source="version.number")
    questions = serializers.SerializerMethodField(
        help_text="The questions a comment may answer: those chosen, else the workstream's"
    )

    class Meta:
        model = Review
        fields = [
            "id",
            "kind",
            "status",
            "deliverable",
            "deliverable_title",
            "workstream",
            "version",
            "opens_at",
            "closes_at",
            "closed_at",
            "questions",
        ]

    def get_status(self, obj) -> str:
        return obj.status()

    @extend_schema_field(QuestionSerializer(many=True))
    def get_questions(self, obj):
        questions = self.context.get("questions", {}).get(obj.pk)
        if questions is None:
            questions = obj.offered_questions()
        return QuestionSerializer(questions, many=True).data


class _ReviewListApi(generics.ListAPIView):
    serializer_class = ReviewSerializer
    filterset_fields = ["kind"]
    ordering_fields = ["opens_at", "closes_at"]

    def get_queryset(self):
        return selectors.review_list_visible(user=self.request.user)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self.questions = selectors.offered_questions_map(page if page is not None else queryset)
        return page

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "questions": getattr(self, "questions", {})}


class ReviewListApi(_ReviewListApi):
    """Member reviews and public consultations you may see, newest first: member reviews only for the
    workstream's participants, the implementation team and the steering committee."""


class ConsultationListApi(_ReviewListApi):
    """Public consultations, newest first (open to everyone)."""

    filterset_fields = []

    def get_queryset(self):
        return super().get_queryset().filter(kind=Review.Kind.PUBLIC_CONSULTATION)


def review_for(view, pk: int, action: str = "consultations.view_review") -> Review:
    """The review, or the API's refusal: 404 when there is none, 401/403 when the policy refuses."""
    review = get_object_or_404(Review.objects.select_related("version__deliverable__workstream"), pk=pk)
    if not policy.can(view.request.user, action, review):
        view.permission_denied(view.request, message="This review is for the workstream's members.")
    return review


class ReviewDetailApi(generics.RetrieveAPIView):
    """One review's window and questions."""

    serializer_class = ReviewSerializer

    def get_object(self):
        return review_for(self, self.kwargs["pk"])


class MatrixRowSerializer(serializers.ModelSerializer):
    paragraph_number = serializers.IntegerField(
        allow_null=True, help_text="1-based number of the paragraph in the version under review"
    )
    commenter = serializers.CharField(source="author.display_name")
    organization = serializers.SerializerMethodField()
    question = serializers.SerializerMethodField()
    campaign_size = serializers.IntegerField()
    addressed_in_version = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = [
            "id",
            "paragraph_key",
            "paragraph_number",
            "commenter",
            "organization",
            "stakeholder_type",
            "question",
            "body",
            "campaign_size",
            "disposition",
            "response",
            "addressed_in_version",
            "created_at",
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if data["paragraph_number"] is not None:
            data["paragraph_number"] += 1
        return data

    def get_organization(self, obj) -> str:
        return obj.organization.name if obj.organization_id else ""

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_question(self, obj) -> str | None:
        return obj.question.text if obj.question_id else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_addressed_in_version(self, obj) -> int | None:
        return obj.addressed_in.number if obj.addressed_in_id else None


class MatrixFilterSerializer(serializers.Serializer):
    paragraph_key = serializers.CharField(required=False, allow_blank=True)
    disposition = serializers.CharField(required=False, help_text="A disposition, or `none` for unanswered")
    stakeholder_type = serializers.CharField(required=False)


class ReviewMatrixApi(generics.ListAPIView):
    """The comment–response matrix of one review (implementation team and steering committee): its
    visible top-level comments in paragraph order, a campaign once, with dispositions and responses."""

    serializer_class = MatrixRowSerializer
    filter_backends = []  # the selector filters (as the page's form does) and keeps the paragraph order

    @extend_schema(parameters=[MatrixFilterSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return Comment.objects.none()
        review = review_for(self, self.kwargs["pk"], "consultations.export_matrix")
        params = MatrixFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        filters = dict(params.validated_data)
        if "paragraph_key" in filters:
            filters["paragraph"] = filters.pop("paragraph_key")
        self.withheld = draft_selectors.withheld_for(
            user=self.request.user, deliverable_id=review.version.deliverable_id
        )
        return comment_selectors.matrix_rows(review, **filters)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        draft_selectors.mask_comments(page, self.withheld, markdown=False, replies=False)
        return page
