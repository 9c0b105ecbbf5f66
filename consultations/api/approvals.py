"""A steering-committee member's vote through the API: the same service as the vote page
(`approval_vote_cast`), so the same rule (sitting members only), the same deadline and the same audit row.
A vote the service refuses (closed, or a member who joined after it opened) is a 409."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from initiative.api.errors import ProblemSerializer, problem_response

from ..models import Vote
from ..selectors import workflow as selectors
from ..services import approvals as services
from .comments import SignedInWritePermission


class VoteRequestSerializer(serializers.Serializer):
    choice = serializers.ChoiceField(choices=Vote.Choice.choices)
    reason = serializers.CharField(help_text="Why: recorded with the vote")


class VoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Vote
        fields = ["approval", "choice", "reason", "cast_at", "changed_at"]


class ApprovalVoteApi(APIView):
    """Cast (or change) your vote on a version submitted for approval (sitting committee members)."""

    permission_classes = [SignedInWritePermission]

    @extend_schema(request=VoteRequestSerializer, responses={200: VoteSerializer, 409: ProblemSerializer})
    def put(self, request, pk: int):
        approval = selectors.approval_get(pk=pk)
        data = VoteRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            vote = services.approval_vote_cast(actor=request.user, approval=approval, **data.validated_data)
        except services.VoteError as exc:
            return problem_response(status=status.HTTP_409_CONFLICT, detail=str(exc))
        return Response(VoteSerializer(vote).data)
