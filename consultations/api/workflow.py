"""API of the review workflow: a deliverable's stage and its transitions (read, and move). Thin callers of
the same services and selectors as the pages; an illegal transition is a 409 carrying the current and the
requested stage, bad input a 400, a refused actor a 403."""

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from initiative import policy
from initiative.api.errors import ProblemSerializer, problem_response
from initiative.models import StakeholderType

from .. import workflow
from ..models import DeliverableTransition
from ..selectors import workflow as selectors
from ..services import workflow as workflow_services


class TransitionSerializer(serializers.Serializer):
    name = serializers.CharField()
    target = serializers.CharField()
    label = serializers.CharField()
    needs = serializers.ListField(child=serializers.CharField())


class HistorySerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = DeliverableTransition
        fields = ["name", "from_stage", "to_stage", "actor", "reason", "created_at"]

    def get_actor(self, obj) -> str | None:
        return obj.actor.display_name if obj.actor_id else None


class TransitionRequestSerializer(serializers.Serializer):
    transition = serializers.CharField(
        required=False, help_text="A transition name from consultations.workflow"
    )
    to = serializers.ChoiceField(choices=workflow.S.choices, required=False, help_text="Or the target stage")
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    opens_at = serializers.DateTimeField(required=False)
    closes_at = serializers.DateTimeField(required=False)
    deadline = serializers.DateTimeField(required=False)
    quorum = serializers.IntegerField(required=False, min_value=1)
    majority = serializers.ChoiceField(choices=["simple", "two_thirds"], required=False)
    note = serializers.CharField(required=False, allow_blank=True)
    waive = serializers.ListField(
        child=serializers.ChoiceField(choices=sorted(workflow.REQUIREMENTS)),
        required=False,
        help_text="Requirements of the move to waive (staff), e.g. held_webinar; needs waiver_reason",
    )
    waiver_reason = serializers.CharField(required=False, allow_blank=True)
    invite_types = serializers.ListField(
        child=serializers.ChoiceField(choices=StakeholderType.choices),
        required=False,
        help_text="open_public_consultation: invite every organization of these stakeholder types",
    )
    invite_organizations = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        help_text="open_public_consultation: ids of organizations to invite as well",
    )

    def validate(self, attrs):
        if not attrs.get("transition") and not attrs.get("to"):
            raise serializers.ValidationError("Give `transition` or `to`.")
        return attrs


class WorkflowStateSerializer(serializers.Serializer):
    """A deliverable's place in the review workflow (the answer to a read and to a move)."""

    deliverable = serializers.IntegerField()
    stage = serializers.ChoiceField(choices=workflow.S.choices)
    available = TransitionSerializer(many=True, help_text="The moves you may make now")
    history = HistorySerializer(many=True, help_text="The last 50 moves, newest first")


def _state(deliverable, user) -> dict:
    return {
        "deliverable": deliverable.pk,
        "stage": deliverable.stage,
        "available": TransitionSerializer(
            [
                {"name": t.name, "target": t.target, "label": str(t.label), "needs": list(t.needs)}
                for t in workflow.available(deliverable, user)
            ],
            many=True,
        ).data,
        "history": HistorySerializer(selectors.transition_list(deliverable=deliverable)[:50], many=True).data,
    }


class DeliverableTransitionApi(APIView):
    """GET: the stage, the moves you may make and the history. POST: make one move."""

    @extend_schema(responses={200: WorkflowStateSerializer, 403: ProblemSerializer})
    def get(self, request, pk: int):
        deliverable = selectors.deliverable_get(pk=pk)
        if not policy.can(request.user, "consultations.view_workflow", deliverable):
            self.permission_denied(request)  # 401 with `WWW-Authenticate` when anonymous, else 403
        return Response(_state(deliverable, request.user))

    @extend_schema(
        request=TransitionRequestSerializer, responses={200: WorkflowStateSerializer, 409: ProblemSerializer}
    )
    def post(self, request, pk: int):
        deliverable = selectors.deliverable_get(pk=pk)
        data = TransitionRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        inputs = {k: v for k, v in data.validated_data.items() if k not in {"transition", "to", "reason"}}
        try:
            workflow_services.deliverable_transition(
                actor=request.user,
                deliverable=deliverable,
                name=data.validated_data.get("transition"),
                to=data.validated_data.get("to"),
                reason=data.validated_data.get("reason", ""),
                **inputs,
            )
        except PermissionDenied:
            self.permission_denied(request)
        except workflow.IllegalTransition as exc:
            return problem_response(
                status=status.HTTP_409_CONFLICT,
                detail=str(exc.message),
                current=exc.current,
                requested=exc.requested,
            )
        except workflow_services.TransitionInputError as exc:
            return problem_response(status=status.HTTP_400_BAD_REQUEST, detail=str(exc))
        deliverable.refresh_from_db()
        return Response(_state(deliverable, request.user))
