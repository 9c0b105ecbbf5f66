"""Webinars through the API, served under `/api/v1/` by initiative/urls.py: the public list and page, your
own registration (register with your account's name and address, read it, cancel it) and, for the
implementation team, the registrants. The same selectors and services as the pages: seats are decided
by `registration_create` under its lock, a cancelled seat goes to the waitlist by `registration_cancel`,
and the join link is shown only to a confirmed registrant whose address is confirmed, as on their page."""

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from consultations.api.comments import SignedInWritePermission
from initiative import policy
from initiative.api.errors import ProblemSerializer, problem_response
from initiative.models import StakeholderType

from . import selectors, services
from .models import Registration, Webinar


class WebinarSerializer(serializers.ModelSerializer):
    deliverable = serializers.IntegerField(source="deliverable_id", allow_null=True)
    consultation = serializers.IntegerField(source="consultation_id", allow_null=True)
    remaining_seats = serializers.IntegerField()
    waitlist_count = serializers.IntegerField()
    registration_open = serializers.SerializerMethodField()
    url = serializers.CharField(source="get_absolute_url")

    class Meta:
        model = Webinar
        fields = [
            "slug",
            "title",
            "description",
            "status",
            "starts_at",
            "ends_at",
            "time_zone",
            "duration_minutes",
            "capacity",
            "remaining_seats",
            "waitlist_count",
            "registration_open",
            "registration_closes_at",
            "recording_url",
            "deliverable",
            "consultation",
            "url",
        ]

    def get_registration_open(self, obj) -> bool:
        return obj.registration_open()


class WebinarListApi(generics.ListAPIView):
    """Scheduled webinars, soonest first (`when=upcoming` or `past` for one side)."""

    serializer_class = WebinarSerializer
    ordering_fields = ["starts_at"]

    @extend_schema(parameters=[OpenApiParameter("when", enum=["upcoming", "past"], required=False)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        when = self.request.query_params.get("when", "")
        if when not in ("", "upcoming", "past"):
            raise exceptions.ValidationError({"when": ["Give `upcoming` or `past`."]})
        return selectors.webinar_list(when=when)


class WebinarDetailApi(generics.RetrieveAPIView):
    serializer_class = WebinarSerializer

    def get_object(self):
        return selectors.webinar_get(slug=self.kwargs["slug"])


class RegistrationSerializer(serializers.ModelSerializer):
    webinar = serializers.CharField(source="webinar.slug")
    email_confirmed = serializers.SerializerMethodField()
    waitlist_position = serializers.SerializerMethodField()
    join_url = serializers.SerializerMethodField(
        help_text="Only once you hold a seat and have confirmed your address (from the email)"
    )

    class Meta:
        model = Registration
        fields = [
            "webinar",
            "name",
            "organization",
            "stakeholder_type",
            "status",
            "created_at",
            "email_confirmed",
            "waitlist_position",
            "join_url",
        ]

    def get_email_confirmed(self, obj) -> bool:
        return obj.email_confirmed_at is not None

    def get_waitlist_position(self, obj) -> int | None:
        return selectors.waitlist_position(obj)

    def get_join_url(self, obj) -> str | None:
        return obj.webinar.join_url if obj.is_invited and not obj.webinar.is_cancelled else None


class RegistrationRequestSerializer(serializers.Serializer):
    stakeholder_type = serializers.ChoiceField(
        choices=StakeholderType.choices, required=False, help_text="Defaults to your account's"
    )
    consent = serializers.BooleanField(help_text="You agree to the privacy notice (required)")

    def validate_consent(self, value):
        if not value:
            raise serializers.ValidationError("Please agree to the privacy notice to register.")
        return value


class RegistrationApi(APIView):
    """Your registration for a webinar, made with your account's name and email address. GET: read it.
    POST: register (a seat while seats remain, else the waitlist; registering again changes nothing).
    DELETE: cancel it (your seat goes to the first on the waitlist)."""

    permission_classes = [SignedInWritePermission]

    def _webinar(self) -> Webinar:
        return get_object_or_404(Webinar, slug=self.kwargs["slug"])

    def _mine(self, webinar) -> Registration:
        if not self.request.user.is_authenticated:
            self.permission_denied(self.request)
        registration = selectors.registration_of(webinar=webinar, user=self.request.user)
        if registration is None:
            raise exceptions.NotFound("You have not registered for this webinar.")
        registration.webinar = webinar
        return registration

    @extend_schema(responses=RegistrationSerializer)
    def get(self, request, slug: str):
        return Response(RegistrationSerializer(self._mine(self._webinar())).data)

    @extend_schema(
        request=RegistrationRequestSerializer,
        responses={200: RegistrationSerializer, 201: RegistrationSerializer, 409: ProblemSerializer},
    )
    def post(self, request, slug: str):
        webinar = self._webinar()
        data = RegistrationRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = request.user
        try:
            result = services.registration_create(
                actor=user,
                webinar_id=webinar.pk,
                name=user.display_name,
                email=user.email,
                organization=user.organization.name if user.organization_id else "",
                stakeholder_type=data.validated_data.get("stakeholder_type")
                or user.effective_stakeholder_type
                or StakeholderType.OTHER,
                consent=True,
            )
        except services.WebinarError as exc:
            return problem_response(status=status.HTTP_409_CONFLICT, detail=exc.message, code=exc.code)
        result.registration.webinar = webinar
        return Response(
            RegistrationSerializer(result.registration).data,
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )

    @extend_schema(responses=RegistrationSerializer)
    def delete(self, request, slug: str):
        registration = services.registration_cancel(
            actor=request.user, registration=self._mine(self._webinar())
        )
        return Response(RegistrationSerializer(registration).data)


class RegistrantSerializer(serializers.ModelSerializer):
    email_confirmed = serializers.SerializerMethodField()

    class Meta:
        model = Registration
        fields = [
            "id",
            "name",
            "email",
            "organization",
            "stakeholder_type",
            "status",
            "created_at",
            "email_confirmed",
            "attended",
        ]

    def get_email_confirmed(self, obj) -> bool:
        return obj.email_confirmed_at is not None


class RegistrantListApi(generics.ListAPIView):
    """A webinar's registrants (implementation team): seats first, then the waitlist in order, then
    cancellations; `status` keeps one kind."""

    serializer_class = RegistrantSerializer
    permission_classes = [policy.PolicyPermission]
    policy_action = "webinars.view_registrants"
    filter_backends = []  # the selector orders (the waitlist's order matters)

    @extend_schema(
        parameters=[OpenApiParameter("status", enum=list(Registration.Status.values), required=False)]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return Registration.objects.none()
        webinar = get_object_or_404(Webinar, slug=self.kwargs["slug"])
        wanted = self.request.query_params.get("status", "")
        if wanted and wanted not in Registration.Status.values:
            raise exceptions.ValidationError({"status": ["Not a registration status."]})
        return selectors.registrant_list(webinar=webinar, status=wanted)


urlpatterns = [
    path("webinars/", WebinarListApi.as_view(), name="webinar-list"),
    path("webinars/<slug:slug>/", WebinarDetailApi.as_view(), name="webinar-detail"),
    path("webinars/<slug:slug>/registration/", RegistrationApi.as_view(), name="webinar-registration"),
    path("webinars/<slug:slug>/registrants/", RegistrantListApi.as_view(), name="webinar-registrants"),
]
