"""Factories for the workstreams app's models at work (lifecycle, prioritization, sessions, tracker)."""

import datetime

import factory
from django.utils import timezone

from tests.factories import UserFactory, WorkstreamFactory
from workstreams.models import (
    ActionItem,
    Ballot,
    IssueArea,
    PrioritizationRound,
    Topic,
    WorkingSession,
)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    workstream = factory.SubFactory(WorkstreamFactory)
    title = factory.Sequence(lambda n: f"Topic {n}")


class IssueAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IssueArea

    slug = factory.Sequence(lambda n: f"issue-area-{n}")
    name = factory.Sequence(lambda n: f"Issue area {n}")
    issues = [{"name": "An issue", "description": "What it is"}]


class RoundFactory(factory.django.DjangoModelFactory):
    """An open round over `topics` (three new topics of the workstream by default)."""

    class Meta:
        model = PrioritizationRound
        skip_postgeneration_save = True

    workstream = factory.SubFactory(WorkstreamFactory)
    title = "Which topics first?"
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if not create:
            return
        topics = (
            extracted
            if extracted is not None
            else [TopicFactory(workstream=self.workstream) for _ in range(3)]
        )
        self.topics.set(topics)


class BallotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ballot

    round = factory.SubFactory(RoundFactory)
    voter = factory.SubFactory(UserFactory)
    stakeholder_type = "iou"
    ranking = factory.LazyAttribute(lambda o: sorted(o.round.topics.values_list("pk", flat=True)))


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingSession

    workstream = factory.SubFactory(WorkstreamFactory)
    title = factory.Sequence(lambda n: f"Session {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=2))
    time_zone = "America/Chicago"
    meeting_url = "https://meet.example.org/secret-room"


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    workstream = factory.SubFactory(WorkstreamFactory)
    description = factory.Sequence(lambda n: f"Do thing {n}")
    owner = factory.SubFactory(UserFactory)
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=10))


LOCAL_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "query-counts"}
}


# Glossary -------------------------------------------------------------------------------------------------
from workstreams.models import GlossaryDefinition, GlossaryTerm, TermStatus  # noqa: E402


class GlossaryTermFactory(factory.django.DjangoModelFactory):
    """An agreed term with its wording 1 (as the report's terms are after migration)."""

    class Meta:
        model = GlossaryTerm
        skip_postgeneration_save = True

    term = factory.Sequence(lambda n: f"Term {n}")
    slug = factory.LazyAttribute(lambda o: o.term.lower().replace(" ", "-").replace("(", "").replace(")", ""))
    definition = factory.LazyAttribute(lambda o: f"What {o.term} means.")
    status = TermStatus.AGREED
    agreed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def wording(self, create, extracted, **kwargs):
        if not create:
            return
        first = GlossaryDefinition.objects.create(term=self, number=1, text=self.definition)
        if self.status == TermStatus.AGREED:
            self.agreed_definition = first
            self.save(update_fields=["agreed_definition"])
