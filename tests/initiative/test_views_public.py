"""The public pages render the report's content, for anyone."""

import pytest

from workstreams.models import Workstream

pytestmark = pytest.mark.django_db


def test_home_shows_goals_tracks_and_timeline(client, loaded_initiative):
    page = client.get("/").content.decode()
    assert "U.S. National Initiative on DER Integration" in page
    assert "Consistency in terminology, concepts, and vision" in page
    for title in ("Track 1: Technical Foundations", "Track 2", "Track 3"):
        assert title in page
    assert 'class="timeline"' in page
    for ws in Workstream.objects.all():
        assert ws.get_absolute_url() in page


def test_every_workstream_page_shows_its_challenge_questions_and_steps(client, loaded_initiative):
    for ws in Workstream.objects.prefetch_related("questions", "steps", "deliverables"):
        response = client.get(ws.get_absolute_url())
        assert response.status_code == 200
        page = response.content.decode()
        assert ws.title in page
        first_words = ws.challenge.split("\n")[0][:40]
        assert (
            first_words.replace("'", "&#x27;").replace('"', "&quot;")[:30] in page or first_words[:20] in page
        )
        for q in ws.questions.all()[:2]:
            assert q.text[:30].replace('"', "&quot;").replace("'", "&#x27;") in page
        for step in ws.steps.all():
            assert step.name.replace("'", "&#x27;") in page
        for d in ws.deliverables.all():
            assert d.title.replace("'", "&#x27;").replace('"', "&quot;").replace("&", "&amp;")[:30] in page
