"""API of step 4's prioritization rounds: the rounds a person may see (active members of the workstream,
staff, the committee, as the round page), their results once stored, and casting a ballot (active
members only, not feedback providers) through the same service as the page."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from initiative import policy
from initiative.api.errors import ProblemSerializer, problem_response

from .. import selectors
from ..filters import RoundFilter
from ..models import Ballot, Topic
from ..services import prioritization as services


class TopicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["id", "title", "description"]


class ResultRowSerializer(serializers.Serializer):
    topic = serializers.IntegerField()
    title = serializers.CharField()
    points = serializers.IntegerField()
    rank = serializers.IntegerField()
    tied = serializers.BooleanField()


class TypeResultSerializer(serializers.Serializer):
    stakeholder_type = serializers.CharField()
    label = serializers.CharField()
    ballots = serializers.IntegerField()
    weight = serializers.IntegerField(
        help_text="Each ballot's weight in the overall result (0: outside the electorate)."
    )
    rows = ResultRowSerializer(many=True)


class ResultSerializer(serializers.Serializer):
    method = serializers.CharField()
    ballots = serializers.IntegerField()
    stakeholder_types = serializers.DictField(child=serializers.IntegerField())
    rows = ResultRowSerializer(many=True)
    electorate = serializers.CharField(required=False)
    regulator_weight = serializers.IntegerField(required=False)
    counted_weight = serializers.IntegerField(required=False)
    by_stakeholder_type = TypeResultSerializer(
        many=True, required=False, help_text="Each stakeholder type's own ranking, one vote per ballot."
    )


class RoundSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    workstream = serializers.CharField(source="workstream.code")
    title = serializers.CharField()
    method = serializers.CharField()
    status = serializers.CharField()
    electorate = serializers.CharField(help_text="all, regulators_only or regulators_weighted")
    regulator_weight = serializers.IntegerField()
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)
    topics = TopicSerializer(many=True)
    ballot_count = serializers.IntegerField()
    result = serializers.SerializerMethodField(
        help_text="Stored once the round closes; null while it is open."
    )

    @extend_schema_field(ResultSerializer(allow_null=True))
    def get_result(self, obj):
        return obj.result or None


class BallotSerializer(serializers.ModelSerializer):
    round = serializers.IntegerField(source="round_id", read_only=True)

    class Meta:
        model = Ballot
        fields = ["round", "ranking", "stakeholder_type", "submitted_at", "updated_at"]
        read_only_fields = fields


class BallotRequestSerializer(serializers.Serializer):
    ranking = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        allow_empty=False,
        help_text="Every topic id of the round, first choice first (a full ranking).",
    )


class RoundListApi(generics.ListAPIView):
    """The rounds you may see: those of your workstreams (every round for staff and the committee)."""

    serializer_class = RoundSerializer
    permission_classes = [policy.SignedInPermission]
    filterset_class = RoundFilter
    ordering_fields = ["opens_at", "closes_at", "status"]

    def get_queryset(self):
        return selectors.round_list_for(user=self.request.user)


class RoundDetailApi(generics.RetrieveAPIView):
    serializer_class = RoundSerializer
    permission_classes = [policy.SignedInPermission]
    policy_object_action = "workstreams.view_round"

    def get_object(self):
        rnd = selectors.round_get(pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, rnd)
        return rnd


class BallotApi(APIView):
    """GET: your ballot in the round (404 if you have not voted). POST: cast or replace it, until the
    deadline; only active members of the round's workstream vote (staff and the committee see
    rounds but do not vote)."""

    permission_classes = [policy.SignedInPermission]
    policy_object_action = "workstreams.view_round"

    def _round(self):
        rnd = selectors.round_get(pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, rnd)
        return rnd

    @extend_schema(responses={200: BallotSerializer})
    def get(self, request, pk: int):
        ballot = selectors.ballot_for(round=self._round(), user=request.user)
        if ballot is None:
            raise NotFound("You have not cast a ballot in this round.")
        return Response(BallotSerializer(ballot).data)

    @extend_schema(
        request=BallotRequestSerializer,
        responses={200: BallotSerializer, 404: ProblemSerializer, 409: ProblemSerializer},
    )
    def post(self, request, pk: int):
        rnd = self._round()
        data = BallotRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            ballot = services.ballot_cast(
                actor=request.user, round=rnd, ranking=data.validated_data["ranking"]
            )
        except services.RoundClosed as exc:
            return problem_response(
                status=status.HTTP_409_CONFLICT, detail=str(exc.message), round_status="closed"
            )
        except services.RoundError as exc:
            raise ValidationError({"ranking": [str(exc.message)]}) from exc
        return Response(BallotSerializer(get_object_or_404(Ballot, pk=ballot.pk)).data)
