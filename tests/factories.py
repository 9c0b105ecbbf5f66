"""factory_boy factories for the governance and workstreams models. Other apps keep theirs in
tests/<app>/factories.py and import from here."""

import datetime

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.utils import timezone

from initiative.models import Body, BodyMembership, Organization, StakeholderType, User
from workstreams.models import (
    Deliverable,
    Enrollment,
    Invitation,
    LifecycleStep,
    Track,
    Workstream,
    WorkstreamStakeholder,
    hash_token,
)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Organization {n}")
    slug = factory.Sequence(lambda n: f"organization-{n}")
    type = StakeholderType.IOU


# The authenticator-app key every factory-made second factor uses; `totp_code()` is what the app shows.
TOTP_TEST_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret: str = TOTP_TEST_SECRET, at=None) -> str:
    """The 6-digit code an authenticator app shows for `secret` now (or at the datetime `at`)."""
    moment = (at or timezone.now()).timestamp()
    return format_hotp_value(hotp_value(secret, int(moment) // 30))


def give_second_factor(user: User, secret: str = TOTP_TEST_SECRET) -> Authenticator:
    """Activate an authenticator app for `user` (once), as if they had set it up themselves."""
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return existing or TOTP.activate(user, secret).instance


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", "a-long-test-password")

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """`UserFactory(verified=True)` gives the user a confirmed email address (allauth)."""
        self.save()
        if create and extracted:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)

    @factory.post_generation
    def second_factor(self, create, extracted, **kwargs):
        """`UserFactory(second_factor=True)` gives the user an authenticator app (TOTP_TEST_SECRET)."""
        if create and extracted:
            give_second_factor(self)


class BodyMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BodyMembership
        skip_postgeneration_save = True

    class Params:
        implementation_team = factory.Trait(
            body=factory.LazyFunction(
                lambda: Body.objects.get_or_create(
                    kind=Body.Kind.IMPLEMENTATION_TEAM, defaults={"name": "Implementation team"}
                )[0]
            ),
            role=BodyMembership.Role.STAFF,
        )
        steering_committee = factory.Trait(
            body=factory.LazyFunction(
                lambda: Body.objects.get_or_create(
                    kind=Body.Kind.STEERING_COMMITTEE, defaults={"name": "Steering committee"}
                )[0]
            ),
            role=BodyMembership.Role.MEMBER,
        )

    body = factory.LazyFunction(
        lambda: Body.objects.get_or_create(
            kind=Body.Kind.IMPLEMENTATION_TEAM, defaults={"name": "Implementation team"}
        )[0]
    )
    user = factory.SubFactory(UserFactory, verified=True)
    role = BodyMembership.Role.STAFF
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))

    @factory.post_generation
    def second_factor(self, create, extracted, **kwargs):
        """Seated people have the second factor their role requires, unless `second_factor=False`."""
        if create and extracted is not False:
            give_second_factor(self.user)


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track
        django_get_or_create = ["number"]

    number = 2
    slug = factory.LazyAttribute(lambda o: f"track-{o.number}")
    name = "Least-regrets strategies"
    title = factory.LazyAttribute(lambda o: f"Track {o.number}: {o.name}")
    objective = "Identify near-term, least-regrets strategies."


class WorkstreamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workstream
        skip_postgeneration_save = True

    track = factory.SubFactory(TrackFactory)
    code = factory.Sequence(lambda n: f"W{n}")
    slug = factory.LazyAttribute(lambda o: f"workstream-{o.code.lower()}")
    name = "Coordinated planning"
    challenge = "Planning is not well coordinated."
    objective = "Develop processes and methods for planning coordination."
    start_month = 12
    end_month = 36

    @factory.post_generation
    def steps(self, create, extracted, **kwargs):
        if create:
            for number in range(1, 6):
                LifecycleStep.objects.create(workstream=self, number=number, name=f"Step {number}")


class WorkstreamStakeholderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkstreamStakeholder

    workstream = factory.SubFactory(WorkstreamFactory)
    type = StakeholderType.IOU


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    workstream = factory.SubFactory(WorkstreamFactory)
    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(
        UserFactory, verified=True, organization=factory.SelfAttribute("..organization")
    )
    commitment = "I commit to take part throughout."


class InvitationFactory(factory.django.DjangoModelFactory):
    """`InvitationFactory(token="abc")` stores the hash of that token."""

    class Meta:
        model = Invitation
        exclude = ["token"]

    workstream = factory.SubFactory(WorkstreamFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    token = factory.Sequence(lambda n: f"token-{n}")
    token_hash = factory.LazyAttribute(lambda o: hash_token(o.token))
    created_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyAttribute(lambda o: o.created_at + datetime.timedelta(days=14))


class DeliverableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deliverable

    workstream = factory.SubFactory(WorkstreamFactory)
    slug = factory.Sequence(lambda n: f"deliverable-{n}")
    title = factory.Sequence(lambda n: f"Deliverable {n}")
    is_key = True
