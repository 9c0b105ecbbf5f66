"""Comments through the API: a review's comments (read, and post one), one comment, a reply, a flag and
a disposition. Thin callers of the pages' selectors and services:

- visibility as on the pages: `consultations.view_review` first (members-only reviews for members, staff
  and the committee), then the comment scope (hidden comments to moderators only, marked); a comment
  outside your scope is a 404, as its page is;
- the words a redaction withholds are masked (`withheld_for`, `mask_comments`) for whoever may not read
  the original, and files attached to such a deliverable's comments are withheld from them
  (`consultations.download_attachment`): only their number is given;
- writes call `comment_create`, `comment_reply`, `comment_flag`, `comment_dispose`; the service's refusals
  become problem documents: bad input 400 (naming the field), a closed window, a hidden parent or a
  reply to a reply 409, too many comments 429 with `Retry-After`, a refused actor 401/403."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, generics, serializers, status
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from initiative import policy
from initiative.api.errors import ProblemSerializer, problem_response
from initiative.listing import CursorPagination

from ..models import Comment, Disposition, DraftVersion, Flag, Review
from ..models.comments import MAX_ATTACHMENTS, MAX_COMMENT_LENGTH
from ..selectors import comments as selectors
from ..selectors import drafts as draft_selectors
from ..services import comments as services
from .reviews import review_for


class CommentSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author_display", help_text="The name, never the email address")
    version = serializers.IntegerField(source="version.number")
    question = serializers.SerializerMethodField()
    campaign_size = serializers.IntegerField()
    addressed_in_version = serializers.SerializerMethodField()
    hidden = serializers.BooleanField(source="is_hidden")
    attachments = serializers.SerializerMethodField()
    withheld_attachments = serializers.SerializerMethodField(
        help_text="Files attached but withheld from you: the deliverable's published copy withholds "
        "some words, and a file cannot be masked"
    )

    class Meta:
        model = Comment
        fields = [
            "id",
            "review",
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
            "withheld_attachments",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_question(self, obj) -> str | None:
        return obj.question.text if obj.question_id else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_addressed_in_version(self, obj) -> int | None:
        return obj.addressed_in.number if obj.addressed_in_id else None

    def _may_download(self) -> bool:
        return self.context.get("may_download", False)

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_attachments(self, obj) -> list[dict]:
        if not self._may_download():
            return []
        return [
            {
                "name": a.original_name,
                "size": a.size,
                "url": reverse("consultations:attachment-download", args=[a.pk]),
            }
            for a in obj.attachments.all()
        ]

    def get_withheld_attachments(self, obj) -> int:
        return 0 if self._may_download() else len(obj.attachments.all())


class CommentCreateSerializer(serializers.Serializer):
    """A comment sent as JSON (no files)."""

    body = serializers.CharField(max_length=MAX_COMMENT_LENGTH, trim_whitespace=False)
    paragraph_key = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="The paragraph; empty: the whole draft"
    )
    question = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="Id of one of the review's questions"
    )
    on_behalf = serializers.BooleanField(
        required=False, default=False, help_text="Comment on behalf of your organization"
    )


def _files():
    return serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        max_length=MAX_ATTACHMENTS,
        help_text="PDF or common office documents (checked by content), 10 MB each",
    )


class CommentUploadSerializer(CommentCreateSerializer):
    """A comment with attached files, sent as multipart/form-data."""

    attachments = _files()


class ReplyCreateSerializer(serializers.Serializer):
    """A reply sent as JSON (no files)."""

    body = serializers.CharField(max_length=MAX_COMMENT_LENGTH, trim_whitespace=False)
    on_behalf = serializers.BooleanField(required=False, default=False)


class ReplyUploadSerializer(ReplyCreateSerializer):
    """A reply with attached files, sent as multipart/form-data."""

    attachments = _files()


class FlagCreateSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, help_text="Briefly, why a moderator should look")


class FlagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Flag
        fields = ["comment", "reason", "created_at"]


class DispositionSerializer(serializers.Serializer):
    disposition = serializers.ChoiceField(choices=Disposition.choices)
    response = serializers.CharField(help_text="The response the commenter will read")
    addressed_in_version = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="The version that addressed the comment"
    )


_FIELD_OF = {
    "empty": "body",
    "too_long": "body",
    "malformed": "body",
    "paragraph": "paragraph_key",
    "question": "question",
    "organization": "on_behalf",
    "too_many_files": "attachments",
    "file_too_large": "attachments",
    "file_type": "attachments",
    "disposition": "disposition",
    "version": "addressed_in_version",
}
_CONFLICTS = {"closed", "hidden", "nesting"}


def refusal(exc: services.CommentError, *, empty_field: str = "body"):
    """The API's answer to a comment the service refused."""
    if isinstance(exc, services.RateLimited):
        raise exceptions.Throttled(wait=exc.retry_after, detail=str(exc))
    if exc.code in _CONFLICTS:
        return problem_response(status=status.HTTP_409_CONFLICT, detail=str(exc), code=exc.code)
    field = empty_field if exc.code == "empty" else _FIELD_OF.get(exc.code, "non_field_errors")
    raise exceptions.ValidationError({field: [str(exc)]})


class SignedInWritePermission(policy.PolicyPermission):
    """Writes need a person: a write-scoped token or a session (with its CSRF check); reads are open."""

    def has_permission(self, request, view) -> bool:
        if request.method not in ("GET", "HEAD", "OPTIONS") and not request.user.is_authenticated:
            return False
        return super().has_permission(request, view)


class _CommentView:
    permission_classes = [SignedInWritePermission]

    def comment_for(self, pk: int) -> Comment:
        """The comment if the requesting user may see it (its review, then the comment scope), else
        401/403 for the review or a 404 for a comment outside the scope, as on the pages."""
        comment = get_object_or_404(
            Comment.objects.select_related("version__deliverable__workstream", "review"), pk=pk
        )
        review_for(self, comment.review_id)
        return self.shown(comment.pk, comment.version.deliverable)

    def shown(self, pk: int, deliverable) -> Comment:
        comment = selectors.comment_get_visible(pk=pk, user=self.request.user, deliverable=deliverable)
        if comment is None:
            raise exceptions.NotFound()
        return comment

    def respond(self, comment: Comment, *, code: int = status.HTTP_200_OK) -> Response:
        deliverable_id = comment.version.deliverable_id
        user = self.request.user
        draft_selectors.mask_comments(
            [comment],
            draft_selectors.withheld_for(user=user, deliverable_id=deliverable_id),
            markdown=False,
            replies=False,
        )
        context = {"may_download": policy.can(user, "consultations.download_attachment", comment)}
        return Response(CommentSerializer(comment, context=context).data, status=code)


class ReviewCommentListApi(_CommentView, generics.ListAPIView):
    """Every comment and reply of one review (member review or public consultation), oldest first.
    Members-only reviews are for the workstream's members, staff and the committee."""

    serializer_class = CommentSerializer
    pagination_class = CursorPagination
    filterset_fields = ["paragraph_key", "disposition", "stakeholder_type"]
    filter_backends = [DjangoFilterBackend]  # a cursor keeps its own order: no `ordering` parameter
    parser_classes = [JSONParser, MultiPartParser]

    def review(self) -> Review:
        if not hasattr(self, "_review"):
            self._review = review_for(self, self.kwargs["pk"])
        return self._review

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return Comment.objects.none()
        return selectors.review_comment_list(review=self.review(), user=self.request.user)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        review = self.review()
        withheld = draft_selectors.withheld_for(
            user=self.request.user, deliverable_id=review.version.deliverable_id
        )
        draft_selectors.mask_comments(page, withheld, markdown=False, replies=False)
        self.may_download = policy.can(self.request.user, "consultations.download_attachment", review)
        return page

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "may_download": getattr(self, "may_download", False)}

    @extend_schema(
        request={
            "application/json": CommentCreateSerializer,
            "multipart/form-data": CommentUploadSerializer,
        },
        description="Comment on the review's version (a paragraph, or the whole draft) while its window "
        "is open: JSON, or multipart/form-data with `attachments`.",
        responses={201: CommentSerializer, 409: ProblemSerializer},
    )
    def post(self, request, pk: int):
        review = self.review()
        data = CommentUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        question = None
        if values["question"] is not None:
            question = next((q for q in review.offered_questions() if q.pk == values["question"]), None)
            if question is None:
                raise exceptions.ValidationError(
                    {"question": ["That question is not one of this consultation's questions."]}
                )
        try:
            comment = services.comment_create(
                actor=request.user,
                review=review,
                body=values["body"],
                paragraph_key=values["paragraph_key"],
                on_behalf=values["on_behalf"],
                question=question,
                files=values["attachments"],
            )
        except services.CommentError as exc:
            return refusal(exc)
        return self.respond(self.shown(comment.pk, review.version.deliverable), code=status.HTTP_201_CREATED)


class CommentDetailApi(_CommentView, APIView):
    """One comment or reply, as its page shows it to you."""

    @extend_schema(responses=CommentSerializer)
    def get(self, request, pk: int):
        return self.respond(self.comment_for(pk))


class CommentReplyApi(_CommentView, APIView):
    """Reply to a comment (one level of replies) while its review is open."""

    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(
        request={"application/json": ReplyCreateSerializer, "multipart/form-data": ReplyUploadSerializer},
        responses={201: CommentSerializer, 409: ProblemSerializer},
    )
    def post(self, request, pk: int):
        parent = self.comment_for(pk)
        data = ReplyUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            reply = services.comment_reply(
                actor=request.user,
                parent=parent,
                body=data.validated_data["body"],
                on_behalf=data.validated_data["on_behalf"],
                files=data.validated_data["attachments"],
            )
        except services.CommentError as exc:
            return refusal(exc)
        return self.respond(self.shown(reply.pk, parent.version.deliverable), code=status.HTTP_201_CREATED)


class CommentFlagApi(_CommentView, APIView):
    """Ask a moderator to look at a comment (once per person: flagging again changes nothing)."""

    @extend_schema(request=FlagCreateSerializer, responses={201: FlagSerializer})
    def post(self, request, pk: int):
        comment = self.comment_for(pk)
        data = FlagCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            flag = services.comment_flag(
                actor=request.user, comment=comment, reason=data.validated_data["reason"]
            )
        except services.CommentError as exc:
            return refusal(exc, empty_field="reason")
        return Response(FlagSerializer(flag).data, status=status.HTTP_201_CREATED)


class CommentDispositionApi(_CommentView, APIView):
    """Give a comment its disposition and response (implementation team); a campaign's representative
    passes them to every copy."""

    @extend_schema(request=DispositionSerializer, responses=CommentSerializer)
    def put(self, request, pk: int):
        comment = self.comment_for(pk)
        data = DispositionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        addressed_in = None
        if values["addressed_in_version"] is not None:
            addressed_in = DraftVersion.objects.filter(
                deliverable_id=comment.version.deliverable_id, number=values["addressed_in_version"]
            ).first()
            if addressed_in is None:
                raise exceptions.ValidationError({"addressed_in_version": ["No such version of this draft."]})
        try:
            services.comment_dispose(
                actor=request.user,
                comment=comment,
                disposition=values["disposition"],
                response=values["response"],
                addressed_in=addressed_in,
            )
        except services.CommentError as exc:
            return refusal(exc, empty_field="response")
        return self.respond(self.shown(comment.pk, comment.version.deliverable))
