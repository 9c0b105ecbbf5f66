"""The workflow demo: one deliverable at each review stage, one published with redactions; idempotent."""

import pytest

from consultations.demo import workflow as demo_workflow
from consultations.models import Publication
from workstreams.models import Deliverable, ReviewStage


@pytest.mark.django_db
def test_demo_puts_a_deliverable_at_each_stage_and_publishes_one_with_redactions(loaded_initiative):
    from initiative import demo as initiative_demo
    from workstreams import demo as workstreams_demo

    initiative_demo.load()
    workstreams_demo.load()
    demo_workflow.load()
    demo_workflow.load()  # idempotent
    by_slug = {slug: stage for stage, slug, _ in demo_workflow.PLAN}
    stages = dict(Deliverable.objects.filter(slug__in=by_slug).values_list("slug", "stage"))
    assert stages == by_slug
    assert set(by_slug.values()) == set(ReviewStage.values)
    publication = Publication.objects.public().get()
    assert publication.redaction_count == 2
    assert "10.20.30.40" not in publication.html and "Jane Example" not in publication.html
    assert publication.html.count("[Redacted —") == 2
    assert bytes(publication.pdf).startswith(b"%PDF")


@pytest.mark.django_db
def test_every_demo_deliverable_past_drafting_has_the_version_its_stage_needs(settings):
    """A deliverable in review (or later) has a draft to read; none is at a stage without one."""
    from django.core.management import call_command

    from consultations.models import DraftVersion

    call_command("load_initiative", verbosity=0)
    call_command("load_demo", force=True, verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    missing = list(
        Deliverable.objects.exclude(stage=ReviewStage.DRAFTING)
        .exclude(pk__in=DraftVersion.objects.values("deliverable_id"))
        .values_list("slug", "stage")
    )
    assert missing == []
